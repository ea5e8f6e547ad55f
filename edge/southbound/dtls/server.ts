/**
 * A DTLS 1.2 server core (RFC 6347) for PSK devices (RFC 4279) with the AEAD suites
 * TLS_PSK_WITH_AES_128_CCM_8 and TLS_PSK_WITH_AES_128_GCM_SHA256, stateless cookies, the extended
 * master secret (RFC 7627) and Connection ID (RFC 9146). Transport-free: the caller feeds datagrams
 * to `handle` with a function that sends datagrams back; `handle` never throws for anything a
 * peer sends. docs/reference/dtls.md describes what it does and what it does not yet.
 */
import { randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';
import { YiwangError } from '../../../common/errors.js';
import { AlertDescription, AlertLevel, alertBody } from './alerts.js';
import { Association, type FlightItem, type HandshakeState, SLOT } from './association.js';
import { type CipherSuiteInfo, EXPLICIT_NONCE, SUITES } from './cipher.js';
import { CookieJar } from './cookie.js';
import {
  type ClientHello,
  EMPTY_RENEGOTIATION_INFO_SCSV,
  ExtensionType,
  encodeHandshake,
  fragmentHandshake,
  HANDSHAKE_HEADER,
  type HandshakeFragment,
  HandshakeType,
  helloVerifyRequestBody,
  parseClientHello,
  parseHandshakeFragments,
  parsePskClientKeyExchange,
  pskServerKeyExchangeBody,
  serverHelloBody,
} from './handshake-messages.js';
import { finishedVerifyData, keyBlock, masterSecret, pskPremaster, Transcript } from './prf.js';
import { Reassembler } from './reassembly.js';
import {
  ContentType,
  DTLS_1_0,
  DTLS_1_2,
  type DtlsRecord,
  encodeRecord,
  parseRecords,
  RECORD_HEADER,
} from './record.js';
import { ResumptionCache, type ResumptionEntry, SESSION_ID_LENGTH } from './resumption-cache.js';
import type {
  DtlsServerOptions,
  DtlsSession,
  DtlsStats,
  Peer,
  SendDatagram,
  SessionEndReason,
} from './server-types.js';
import { zeroCounters } from './server-types.js';
import { SessionTable } from './session-table.js';
import { Slab } from './slab.js';

export type * from './server-types.js';

/** Estimated bytes of an established session (without its identity) and of a handshake in progress (without buffers). */
const SESSION_BYTES = 400;
const HANDSHAKE_BYTES = 1536;
const MAX_RETRANSMITS = 16;
const DAY_MS = 24 * 60 * 60 * 1000;
const EMPTY = Buffer.alloc(0);

function peerKey(p: Peer): string {
  return `${p.address}|${p.port}`;
}

/** A fatal handshake error: the alert to send and the coded error to report. */
class HandshakeFailure extends Error {
  constructor(
    readonly alert: number,
    readonly code: 'DTLS_ERR_HANDSHAKE' | 'DTLS_ERR_UNKNOWN_IDENTITY',
    detail: string,
  ) {
    super(detail);
  }
}

/** A cached session a ClientHello may resume. */
interface Resumable {
  readonly entry: ResumptionEntry;
  readonly suite: CipherSuiteInfo;
  readonly master: Buffer;
}

export class DtlsServer {
  private readonly opts: DtlsServerOptions;
  private readonly now: () => number;
  private readonly cookies: CookieJar;
  private readonly suites: CipherSuiteInfo[];
  private readonly cidLength: number;
  private readonly mtu: number;
  private readonly maxHandshakes: number;
  private readonly handshakeTimeoutMs: number;
  private readonly sessionIdleMs: number;
  private readonly table: SessionTable<Association>;
  /** Per-association bytes (keys, sequence numbers, replay window, CID): association.ts SLOT. */
  readonly slab = new Slab(SLOT.size);
  /** Associations by slab slot: CIDs of 4 bytes or more start with the slot (masked), found without a map. */
  private readonly owners: (Association | undefined)[] = [];
  private readonly cidMask = randomBytes(4).readUInt32BE(0);
  /** Associations by CID (latin1) when CIDs are shorter than 4 bytes. */
  private readonly byCid = new Map<string, Association>();
  private readonly resumption: ResumptionCache | undefined;
  private readonly counters = zeroCounters();
  private lastSweep = 0;
  /** Numbers the keys of sessions pushed off their address by another session's CID move. */
  private displaced = 0;

  constructor(options: DtlsServerOptions) {
    const bad = (why: string): never => {
      throw new YiwangError('DTLS_ERR_CONFIG', why);
    };
    if (typeof options.pskFor !== 'function') bad('pskFor must be a function');
    const positive = (name: string, v: number | undefined, zero = false): void => {
      if (v !== undefined && (!Number.isInteger(v) || v < (zero ? 0 : 1)))
        bad(`${name} must be a ${zero ? 'non-negative' : 'positive'} integer`);
    };
    positive('maxSessions', options.maxSessions);
    positive('maxSessionBytes', options.maxSessionBytes);
    positive('maxHandshakes', options.maxHandshakes);
    positive('cookieLifetimeMs', options.cookieLifetimeMs);
    positive('handshakeTimeoutMs', options.handshakeTimeoutMs);
    positive('sessionIdleMs', options.sessionIdleMs);
    positive('maxResumptions', options.maxResumptions, true);
    positive('maxResumptionBytes', options.maxResumptionBytes);
    positive('resumptionLifetimeMs', options.resumptionLifetimeMs);
    positive('maxHandshakeMessage', options.maxHandshakeMessage);
    positive('maxBufferedMessages', options.maxBufferedMessages);
    positive('maxIdentityLength', options.maxIdentityLength);
    if (options.cookieSecret !== undefined && options.cookieSecret.length < 16)
      bad('cookieSecret must be at least 16 bytes');
    const cidLength = options.cidLength ?? 6;
    if (!Number.isInteger(cidLength) || cidLength < 1 || cidLength > 32) bad('cidLength must be 1..32');
    const mtu = options.mtu ?? 1152;
    if (!Number.isInteger(mtu) || mtu < 256 || mtu > 65507) bad('mtu must be 256..65507');
    const suites = (options.suites ?? SUITES.map((s) => s.name)).map(
      (name) => SUITES.find((s) => s.name === name) ?? bad(`unknown cipher suite ${name}`),
    );
    if (suites.length === 0) bad('suites must not be empty');
    this.opts = options;
    this.now = options.now ?? Date.now;
    this.cookies = new CookieJar(options.cookieSecret, options.cookieLifetimeMs ?? 60_000, this.now);
    this.suites = suites;
    this.cidLength = cidLength;
    this.mtu = mtu;
    this.maxHandshakes = options.maxHandshakes ?? Math.min(options.maxSessions, 1024);
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 30_000;
    this.sessionIdleMs = options.sessionIdleMs ?? DAY_MS;
    const maxResumptions = options.maxResumptions ?? options.maxSessions;
    this.resumption =
      maxResumptions > 0
        ? new ResumptionCache(
            maxResumptions,
            options.maxResumptionBytes ?? options.maxSessionBytes,
            options.resumptionLifetimeMs ?? DAY_MS,
          )
        : undefined;
    this.table = new SessionTable<Association>(options.maxSessions, options.maxSessionBytes, (a) => {
      // table pressure: a handshake goes first; a session idle past its limit counts as expired
      if (a.state === 'handshake') {
        this.counters.handshakesEvicted++;
        this.forget(a, 'evicted');
      } else if (this.now() - a.lastUsed >= this.sessionIdleMs) {
        this.counters.sessionsExpired++;
        this.forget(a, 'expired');
      } else {
        this.counters.sessionsEvicted++;
        this.forget(a, 'evicted');
      }
    });
  }

  /** Counters and table gauges (a copy). */
  stats(): DtlsStats {
    return {
      ...this.counters,
      resumptionsEvicted: this.resumption?.counters.evicted ?? 0,
      resumptionsExpired: this.resumption?.counters.expired ?? 0,
      recordsDropped: { ...this.counters.recordsDropped },
      sessions: this.table.sessionCount,
      handshakes: this.table.handshakeCount,
      tableBytes: this.table.bytes,
      resumptionEntries: this.resumption?.size ?? 0,
      resumptionBytes: this.resumption?.bytes ?? 0,
    };
  }

  /** The established session at a peer address, if any. */
  sessionAt(peer: Peer): DtlsSession | undefined {
    return this.table.session(peerKey(peer));
  }

  /** Sends close_notify to every session and forgets all state (the resumption cache too). */
  close(): void {
    for (const a of [...this.table.handshakes(), ...this.table.sessions()])
      this.endSession(a, 'server-closed', a.state === 'established');
    this.resumption?.clear();
  }

  /** Processes one datagram from `rinfo`; never throws for what the datagram holds. */
  handle(datagram: Buffer, rinfo: Peer, send: SendDatagram): void {
    try {
      const peer: Peer = { address: rinfo.address, port: rinfo.port };
      this.sweep();
      const records = parseRecords(datagram, this.opts.cid ? this.cidLength : 0);
      if (records.length === 0) {
        this.counters.recordsDropped.malformed++;
        return;
      }
      for (const record of records) this.onRecord(record, peer, send);
    } catch {
      this.counters.internalErrors++;
    }
  }

  private onRecord(record: DtlsRecord, peer: Peer, send: SendDatagram): void {
    const key = peerKey(peer);
    if (record.type === ContentType.tls12Cid) {
      const a = this.byOurCid(record.cid!);
      if (a === undefined) return void this.counters.recordsDropped.noSession++;
      return this.onProtected(a, record, peer, send, true);
    }
    const pending = this.table.handshake(key);
    const session = this.table.session(key);
    if (record.epoch === 0) {
      if (record.type === ContentType.handshake) {
        if (pending !== undefined && !this.isNewHello(pending, record)) return this.onPendingPlain(pending, record);
        return this.statelessHello(record, peer, send);
      }
      if (pending !== undefined) return this.onPendingPlain(pending, record);
      return void this.counters.recordsDropped[session === undefined ? 'noSession' : 'unexpected']++;
    }
    // epoch 1: a handshake record goes to the handshake in progress (its Finished), the rest to the session
    const keyed = pending?.hasKeys ? pending : undefined;
    const target = record.type === ContentType.handshake ? (keyed ?? session) : (session ?? keyed);
    if (target === undefined) return void this.counters.recordsDropped.noSession++;
    this.onProtected(target, record, peer, send, false);
  }

  private byOurCid(cid: Buffer): Association | undefined {
    if (this.cidLength < 4) return this.byCid.get(cid.toString('latin1'));
    const a = this.owners[(cid.readUInt32BE(0) ^ this.cidMask) >>> 0];
    return a?.hasCid(cid) ? a : undefined;
  }

  /** True if an epoch-0 handshake record is a ClientHello other than the one of `pending`. */
  private isNewHello(pending: Association, record: DtlsRecord): boolean {
    const b = record.fragment;
    if (b.length < HANDSHAKE_HEADER + 34 || b[0] !== HandshakeType.clientHello) return false;
    const random = b.subarray(HANDSHAKE_HEADER + 2, HANDSHAKE_HEADER + 34);
    return !random.equals(pending.hs?.clientRandom ?? EMPTY);
  }

  /** Marks an association as just used (table recency and the idle clock). */
  private use(a: Association): void {
    this.table.touch(a);
    a.lastUsed = this.now();
  }

  // ---- before any state: ClientHello and cookie -------------------------------------------------

  private statelessHello(record: DtlsRecord, peer: Peer, send: SendDatagram): void {
    const frags = parseHandshakeFragments(record.fragment);
    if (frags === undefined || frags.length !== 1) return void this.counters.recordsDropped.malformed++;
    const f = frags[0]!;
    if (f.msgType !== HandshakeType.clientHello) return void this.counters.recordsDropped.unexpected++;
    if (f.fragmentOffset !== 0 || f.body.length !== f.length)
      return void this.counters.recordsDropped.fragmentedHello++;
    if (f.length > (this.opts.maxHandshakeMessage ?? 4096)) return void this.counters.recordsDropped.malformed++;
    const hello = parseClientHello(f.body);
    if (hello === undefined) return void this.counters.recordsDropped.malformed++;
    if (hello.clientVersion > DTLS_1_0 || hello.clientVersion < DTLS_1_2) {
      // DTLS versions count down: 0xfeff is 1.0, 0xfefd is 1.2; anything else is not DTLS
      return void this.counters.recordsDropped.malformed++;
    }
    if (!this.cookies.verify(hello.cookie, peer.address, peer.port, hello.cookieInput)) {
      const cookie = this.cookies.make(peer.address, peer.port, hello.cookieInput);
      const hvr = encodeHandshake(
        HandshakeType.helloVerifyRequest,
        f.messageSeq,
        helloVerifyRequestBody(DTLS_1_0, cookie),
      );
      this.counters.cookiesSent++;
      send(encodeRecord(ContentType.handshake, DTLS_1_0, 0, record.seq, hvr), peer);
      return;
    }
    // a valid cookie: from here on the server keeps state for this client
    const old = this.table.handshake(peerKey(peer));
    if (old !== undefined) this.forget(old, 'replaced');
    this.counters.handshakesStarted++;
    try {
      this.startHandshake(hello, f, record, peer, send);
    } catch (err) {
      if (!(err instanceof HandshakeFailure)) throw err;
      this.counters.handshakesFailed++;
      send(encodeRecord(ContentType.alert, DTLS_1_2, 0, record.seq, alertBody(AlertLevel.fatal, err.alert)), peer);
      this.report(err, peer);
    }
  }

  /**
   * The cached session a ClientHello offers, if it may be resumed: known and within its lifetime,
   * its suite offered and allowed, the extended master secret used in both (RFC 7627 §5.3: a
   * session without it is never resumed — its master secret is not bound to its handshake), and
   * its identity still has the key it was made with. Anything else: a full handshake (counted).
   */
  private resumable(hello: ClientHello, ems: boolean): Resumable | undefined {
    if (this.resumption === undefined || hello.sessionId.length === 0) return undefined;
    const entry = this.resumption.get(hello.sessionId, this.now());
    if (entry === undefined) return void this.counters.resumptionsMissed++;
    let psk: Buffer | undefined;
    try {
      psk = this.opts.pskFor(entry.identity);
    } catch {
      this.counters.callbackErrors++;
    }
    const keyKept = psk !== undefined && psk.length > 0 && this.resumption.sameKey(entry, psk);
    const suite = this.suites.find((s) => s.id === entry.suiteId);
    if (!keyKept) this.resumption.remove(hello.sessionId); // removed or re-keyed: never again
    if (!keyKept || suite === undefined || !hello.cipherSuites.includes(entry.suiteId) || !entry.ems || !ems)
      return void this.counters.resumptionsRefused++;
    return { entry, suite, master: this.resumption.master(entry) };
  }

  private startHandshake(hello: ClientHello, f: HandshakeFragment, record: DtlsRecord, peer: Peer, send: SendDatagram) {
    const fail = (alert: number, why: string): never => {
      throw new HandshakeFailure(alert, 'DTLS_ERR_HANDSHAKE', why);
    };
    if (hello.clientVersion !== DTLS_1_2) fail(AlertDescription.protocolVersion, 'the client does not offer DTLS 1.2');
    if (!hello.compressionMethods.includes(0)) fail(AlertDescription.illegalParameter, 'no null compression');
    const exts: [number, Buffer][] = [];
    const reneg = hello.extensions.get(ExtensionType.renegotiationInfo);
    if (reneg !== undefined && !(reneg.length === 1 && reneg[0] === 0))
      fail(AlertDescription.handshakeFailure, 'renegotiation_info of an initial handshake is not empty');
    if (reneg !== undefined || hello.cipherSuites.includes(EMPTY_RENEGOTIATION_INFO_SCSV))
      exts.push([ExtensionType.renegotiationInfo, Buffer.of(0)]);
    const ems = hello.extensions.has(ExtensionType.extendedMasterSecret);
    if (ems) exts.push([ExtensionType.extendedMasterSecret, EMPTY]);
    const offered = hello.extensions.get(ExtensionType.connectionId);
    const withCid = this.opts.cid && offered !== undefined;
    if (withCid && (offered.length < 1 || offered[0] !== offered.length - 1))
      fail(AlertDescription.decodeError, 'malformed connection_id extension');
    const resume = this.resumable(hello, ems);
    const suite = resume?.suite ?? this.suites.find((s) => hello.cipherSuites.includes(s.id));
    if (suite === undefined) return fail(AlertDescription.handshakeFailure, 'no common PSK cipher suite');
    // no failure after this point: the slot is taken
    const slot = this.slab.alloc();
    let cid: Buffer | undefined;
    if (withCid) {
      cid = Buffer.allocUnsafe(this.cidLength);
      if (this.cidLength >= 4) {
        cid.writeUInt32BE((slot ^ this.cidMask) >>> 0, 0);
        randomFillSync(cid, 4);
      } else {
        do randomFillSync(cid);
        while (this.byCid.has(cid.toString('latin1')));
      }
      exts.push([ExtensionType.connectionId, Buffer.concat([Buffer.of(cid.length), cid])]);
    }
    // the client's CID, kept for the session's life when not empty: memory of its own, not a datagram slice
    const peerCid = withCid && offered.length > 1 ? Buffer.from(offered.subarray(1)) : undefined;
    const a = new Association(
      this,
      peerKey(peer),
      send,
      suite,
      slot,
      cid?.length ?? 0,
      peerCid,
      record.seq,
      HANDSHAKE_BYTES,
    );
    if (cid !== undefined) a.writeCid(cid);
    const transcript = new Transcript();
    transcript.update(encodeHandshake(HandshakeType.clientHello, f.messageSeq, f.body));
    const sessionId = resume ? Buffer.from(hello.sessionId) : this.resumption ? randomBytes(SESSION_ID_LENGTH) : EMPTY;
    const hs: HandshakeState = {
      startedAt: this.now(),
      clientRandom: Buffer.from(hello.random),
      serverRandom: randomBytes(32),
      ems,
      transcript,
      reassembler: new Reassembler(
        {
          maxMessageLength: this.opts.maxHandshakeMessage ?? 4096,
          maxBufferedMessages: this.opts.maxBufferedMessages ?? 4,
        },
        f.messageSeq + 1,
      ),
      sessionId,
      resumed: resume !== undefined,
      nextSendSeq: f.messageSeq,
      expecting: resume ? 'finished' : 'clientKeyExchange',
      retransmits: 0,
      flight: [],
    };
    a.hs = hs;
    const add = (type: number, body: Buffer): Buffer => {
      const m = encodeHandshake(type, hs.nextSendSeq++, body);
      transcript.update(m);
      hs.flight.push({ epoch: 0, type: ContentType.handshake, payload: m });
      return m;
    };
    add(HandshakeType.serverHello, serverHelloBody(DTLS_1_2, hs.serverRandom, sessionId, suite.id, exts));
    if (resume) {
      // RFC 5246 §7.3 abbreviated handshake: ServerHello, ChangeCipherSpec, Finished; the client answers with its own
      a.identity = resume.entry.identity;
      hs.master = resume.master;
      a.setKeys(keyBlock(resume.master, hs.clientRandom, hs.serverRandom));
      const fin = encodeHandshake(
        HandshakeType.finished,
        hs.nextSendSeq++,
        finishedVerifyData(resume.master, false, transcript.digest()),
      );
      transcript.update(fin);
      hs.flight.push(
        { epoch: 0, type: ContentType.changeCipherSpec, payload: Buffer.of(1) },
        { epoch: 1, type: ContentType.handshake, payload: fin },
      );
    } else {
      if (this.opts.pskIdentityHint !== undefined)
        add(HandshakeType.serverKeyExchange, pskServerKeyExchangeBody(Buffer.from(this.opts.pskIdentityHint, 'utf8')));
      add(HandshakeType.serverHelloDone, EMPTY);
    }
    // bound the handshakes in progress before adding one more (the table makes room in the same order)
    while (this.table.handshakeCount >= this.maxHandshakes) {
      this.counters.handshakesEvicted++;
      this.forget(this.table.handshakes().next().value as Association, 'evicted');
    }
    this.owners[slot] = a;
    if (cid !== undefined && this.cidLength < 4) this.byCid.set(cid.toString('latin1'), a);
    a.lastUsed = this.now();
    this.table.addHandshake(a);
    this.sendFlight(a);
  }

  // ---- handshake in progress --------------------------------------------------------------------

  /** An epoch-0 record for a handshake in progress (ClientKeyExchange, ChangeCipherSpec, alert). */
  private onPendingPlain(a: Association, record: DtlsRecord): void {
    this.use(a);
    try {
      if (record.type === ContentType.handshake) return this.onHandshakeRecord(a, record.fragment, 0);
      if (record.type === ContentType.changeCipherSpec) {
        if (record.fragment.length !== 1 || record.fragment[0] !== 1 || !a.hasKeys)
          throw new HandshakeFailure(
            AlertDescription.unexpectedMessage,
            'DTLS_ERR_HANDSHAKE',
            'unexpected ChangeCipherSpec',
          );
        return;
      }
      if (record.type === ContentType.alert) return this.onAlert(a, record.fragment);
      this.counters.recordsDropped.unexpected++;
    } catch (err) {
      this.failHandshake(a, err);
    }
  }

  private onHandshakeRecord(a: Association, fragment: Buffer, epoch: number): void {
    const hs = a.hs!;
    const frags = parseHandshakeFragments(fragment);
    if (frags === undefined)
      throw new HandshakeFailure(AlertDescription.decodeError, 'DTLS_ERR_HANDSHAKE', 'malformed handshake record');
    let retransmit = false;
    for (const f of frags) {
      // ClientKeyExchange comes in epoch 0, Finished in epoch 1 and nothing else
      if ((f.msgType === HandshakeType.finished) !== (epoch === 1)) {
        if (f.msgType === HandshakeType.clientHello && epoch === 0) retransmit = true;
        else this.counters.recordsDropped.unexpected++;
        continue;
      }
      const r = hs.reassembler.add(f);
      if (r === 'old') retransmit = true;
      else if (r !== 'ok')
        throw new HandshakeFailure(
          AlertDescription.handshakeFailure,
          'DTLS_ERR_HANDSHAKE',
          `handshake fragment refused (${r}: message ${f.messageSeq}, length ${f.length})`,
        );
    }
    this.table.resize(a, HANDSHAKE_BYTES + hs.reassembler.bufferedBytes);
    for (let m = hs.reassembler.take(); m !== undefined && a.state === 'handshake'; m = hs.reassembler.take()) {
      this.onHandshakeMessage(a, m.msgType, m.messageSeq, m.body);
    }
    // the client repeated its flight: ours was lost (a resumption waits for the client's Finished
    // after sending its whole flight; a full handshake only before ClientKeyExchange)
    if (
      retransmit &&
      a.state === 'handshake' &&
      (hs.expecting === 'clientKeyExchange' || hs.resumed) &&
      hs.retransmits < MAX_RETRANSMITS
    ) {
      hs.retransmits++;
      this.counters.flightsRetransmitted++;
      this.sendFlight(a);
    }
  }

  private onHandshakeMessage(a: Association, msgType: number, seq: number, body: Buffer): void {
    const hs = a.hs!;
    const unexpected = (): never => {
      throw new HandshakeFailure(
        AlertDescription.unexpectedMessage,
        'DTLS_ERR_HANDSHAKE',
        `unexpected handshake message ${msgType} while waiting for ${hs.expecting}`,
      );
    };
    if (hs.expecting === 'clientKeyExchange') {
      if (msgType !== HandshakeType.clientKeyExchange) unexpected();
      const id = parsePskClientKeyExchange(body, this.opts.maxIdentityLength ?? 128);
      if (id === undefined)
        throw new HandshakeFailure(AlertDescription.decodeError, 'DTLS_ERR_HANDSHAKE', 'malformed ClientKeyExchange');
      const identity = id.toString('utf8');
      let psk: Buffer | undefined;
      try {
        psk = this.opts.pskFor(identity);
      } catch {
        this.counters.callbackErrors++;
      }
      if (psk === undefined || psk.length === 0)
        throw new HandshakeFailure(
          AlertDescription.unknownPskIdentity,
          'DTLS_ERR_UNKNOWN_IDENTITY',
          `unknown PSK identity ${JSON.stringify(identity.slice(0, 64))}`,
        );
      a.identity = identity;
      hs.psk = psk;
      hs.transcript.update(encodeHandshake(msgType, seq, body));
      const master = masterSecret(pskPremaster(psk), hs.ems, hs.transcript.digest(), hs.clientRandom, hs.serverRandom);
      hs.master = master;
      a.setKeys(keyBlock(master, hs.clientRandom, hs.serverRandom));
      hs.expecting = 'finished';
      return;
    }
    if (msgType !== HandshakeType.finished) unexpected();
    const expected = finishedVerifyData(hs.master!, true, hs.transcript.digest());
    if (body.length !== expected.length || !timingSafeEqual(body, expected))
      throw new HandshakeFailure(
        AlertDescription.decryptError,
        'DTLS_ERR_HANDSHAKE',
        'the client Finished does not verify',
      );
    hs.transcript.update(encodeHandshake(msgType, seq, body));
    a.clientFinishedSeq = seq;
    if (hs.resumed) return this.establish(a); // the server's Finished went first
    const verify = finishedVerifyData(hs.master!, false, hs.transcript.digest());
    // the session keeps only verify_data and the message_seq to send this flight again (flightOf)
    a.setVerifyData(verify);
    a.serverFinishedSeq = hs.nextSendSeq++;
    hs.flight = this.finishedFlight(a);
    this.sendFlight(a);
    a.flightPending = true;
    this.establish(a);
  }

  /** The full handshake's last server flight: ChangeCipherSpec and Finished. */
  private finishedFlight(a: Association): FlightItem[] {
    return [
      { epoch: 0, type: ContentType.changeCipherSpec, payload: Buffer.of(1) },
      {
        epoch: 1,
        type: ContentType.handshake,
        payload: encodeHandshake(HandshakeType.finished, a.serverFinishedSeq, a.verifyData()),
      },
    ];
  }

  private establish(a: Association): void {
    const hs = a.hs!;
    const old = this.table.session(a.key);
    if (old !== undefined) this.endSession(old, 'replaced', false);
    this.table.establish(a);
    a.state = 'established';
    if (hs.resumed) this.counters.handshakesResumed++;
    else if (this.resumption && hs.ems && hs.sessionId.length > 0 && hs.master && hs.psk)
      this.resumption.add(hs.sessionId, hs.master, hs.psk, a.identity, a.suiteInfo.id, hs.ems, this.now());
    a.hs = undefined; // handshake-only state goes: randoms, transcript, reassembler, master, flight
    this.table.resize(a, SESSION_BYTES + a.identity.length * 2);
    this.counters.handshakesCompleted++;
    if (this.opts.onSessionStart) this.callback(() => this.opts.onSessionStart!(a));
  }

  private failHandshake(a: Association, err: unknown): void {
    if (!(err instanceof HandshakeFailure)) throw err;
    if (a.state !== 'handshake') return;
    const peer = a.peer;
    a.sendFn(a.plain(ContentType.alert, alertBody(AlertLevel.fatal, err.alert)), peer);
    this.counters.handshakesFailed++;
    this.forget(a, 'peer-alert');
    this.report(err, peer);
  }

  private report(err: HandshakeFailure, peer: Peer): void {
    const onFailed = this.opts.onHandshakeFailed;
    if (onFailed) this.callback(() => onFailed(new YiwangError(err.code, err.message), peer));
  }

  // ---- protected records ------------------------------------------------------------------------

  private onProtected(a: Association, record: DtlsRecord, peer: Peer, send: SendDatagram, viaCid: boolean): void {
    if (!a.hasKeys) return void this.counters.recordsDropped.unexpected++;
    if (record.epoch !== 1) return void this.counters.recordsDropped.oldEpoch++;
    if (!a.replayCheck(record.seq)) return void this.counters.recordsDropped.replay++;
    const opened = a.open(record);
    const key = peerKey(peer);
    if (opened === undefined) {
      if (a.state === 'handshake' && !viaCid && key === a.key) {
        // RFC 6347 §4.1.2.7: a bad MAC during the handshake is fatal
        return this.failHandshake(
          a,
          new HandshakeFailure(AlertDescription.badRecordMac, 'DTLS_ERR_HANDSHAKE', 'bad record MAC (wrong key?)'),
        );
      }
      return void this.counters.recordsDropped.badMac++;
    }
    const newest = record.seq > a.highestSeq;
    a.replayMark(record.seq);
    if (key !== a.key) {
      // only an authenticated CID record moves a session (RFC 9146 §6), and only the newest one
      if (!viaCid || !newest || a.state !== 'established') return void this.counters.recordsDropped.unexpected++;
      this.move(a, key);
    }
    a.sendFn = send;
    this.use(a);
    switch (opened.type) {
      case ContentType.applicationData:
        if (a.state !== 'established') {
          // data before the client's Finished of a resumption: our flight or its Finished was lost;
          // sending ours again makes the client repeat its Finished (RFC 6347 §4.2.4)
          const hs = a.hs;
          if (hs?.resumed && hs.retransmits < MAX_RETRANSMITS) {
            hs.retransmits++;
            this.counters.flightsRetransmitted++;
            this.sendFlight(a);
          }
          return void this.counters.recordsDropped.unexpected++;
        }
        // data in the new epoch: the client has our Finished, the last flight is not needed again (RFC 6347 §4.2.4)
        a.flightPending = false;
        if (this.opts.onData) this.callback(() => this.opts.onData!(opened.plaintext, a));
        return;
      case ContentType.handshake:
        if (a.state === 'handshake') {
          try {
            this.onHandshakeRecord(a, opened.plaintext, 1);
          } catch (err) {
            this.failHandshake(a, err);
          }
          return;
        }
        return this.onEstablishedHandshake(a, opened.plaintext);
      case ContentType.alert:
        return this.onAlert(a, opened.plaintext);
      default:
        this.counters.recordsDropped.unexpected++;
    }
  }

  /** A handshake record on an established session: the client's Finished again, or renegotiation. */
  private onEstablishedHandshake(a: Association, fragment: Buffer): void {
    const frags = parseHandshakeFragments(fragment) ?? [];
    if (frags.some((f) => f.msgType === HandshakeType.finished && f.messageSeq === a.clientFinishedSeq)) {
      if (a.flightPending && a.retransmits < MAX_RETRANSMITS) {
        a.retransmits++;
        this.counters.flightsRetransmitted++;
        this.sendFlight(a);
      }
      return;
    }
    if (frags.some((f) => f.msgType === HandshakeType.clientHello)) {
      this.counters.renegotiationsRefused++;
      const alert = a.protect(ContentType.alert, alertBody(AlertLevel.warning, AlertDescription.noRenegotiation));
      if (alert) a.sendFn(alert, a.peer);
      return;
    }
    this.counters.recordsDropped.unexpected++;
  }

  private onAlert(a: Association, body: Buffer): void {
    if (body.length !== 2) return void this.counters.recordsDropped.malformed++;
    const [level, description] = [body[0]!, body[1]!];
    if (level === AlertLevel.fatal || description === AlertDescription.closeNotify) {
      if (a.state === 'handshake') {
        const peer = a.peer;
        this.counters.handshakesFailed++;
        this.forget(a, 'peer-alert');
        this.report(
          new HandshakeFailure(description, 'DTLS_ERR_HANDSHAKE', `the client sent alert ${description}`),
          peer,
        );
      } else {
        this.endSession(a, description === AlertDescription.closeNotify ? 'peer-closed' : 'peer-alert', false);
      }
    }
  }

  private move(a: Association, key: string): void {
    // the address now belongs to this session; a session without CID that was there cannot be
    // reached any more, one with a CID stays (found by its CID) under a key no address has
    const there = this.table.session(key);
    if (there !== undefined && there.cidLength === 0) this.endSession(there, 'replaced', false);
    else if (there !== undefined) this.table.rekey(there, `\0${++this.displaced}|${key}`);
    this.table.rekey(a, key);
    this.counters.addressMoves++;
  }

  // ---- sending ----------------------------------------------------------------------------------

  /** Sends (again) the server's last flight, with fresh record sequence numbers, packed to the MTU. */
  private sendFlight(a: Association): void {
    const flight = a.hs ? a.hs.flight : a.flightPending ? this.finishedFlight(a) : [];
    const overhead = RECORD_HEADER + HANDSHAKE_HEADER + EXPLICIT_NONCE + 16 + 1 + (a.peerCid?.length ?? 0);
    const maxBody = this.mtu - overhead;
    const datagrams: Buffer[] = [];
    let current: Buffer[] = [];
    let size = 0;
    const push = (rec: Buffer): void => {
      if (size + rec.length > this.mtu && current.length > 0) {
        datagrams.push(Buffer.concat(current));
        current = [];
        size = 0;
      }
      current.push(rec);
      size += rec.length;
    };
    for (const item of flight) {
      const parts = item.type === ContentType.handshake ? fragmentHandshake(item.payload, maxBody) : [item.payload];
      for (const p of parts) {
        const rec = item.epoch === 0 ? a.plain(item.type, p) : a.protect(item.type, p);
        if (rec !== undefined) push(rec);
      }
    }
    if (current.length > 0) datagrams.push(Buffer.concat(current));
    const peer = a.peer;
    for (const d of datagrams) a.sendFn(d, peer);
  }

  // ---- ending -----------------------------------------------------------------------------------

  /** Ends an association; `notify`: send close_notify first. Public to the module (Association.close). */
  endSession(a: Association, reason: SessionEndReason, notify: boolean): void {
    if (a.state === 'closed') return;
    if (notify && a.state === 'established') {
      const alert = a.protect(ContentType.alert, alertBody(AlertLevel.warning, AlertDescription.closeNotify));
      if (alert) this.callback(() => a.sendFn(alert, a.peer));
    }
    this.forget(a, reason);
  }

  /** Removes every trace of an association; its slab slot is wiped and freed after onSessionEnd. */
  private forget(a: Association, reason: SessionEndReason): void {
    const wasEstablished = a.state === 'established';
    if (a.state === 'closed') return;
    a.state = 'closed';
    this.table.remove(a); // nothing when it is not there
    if (a.cidLength > 0 && this.cidLength < 4) {
      const k = a.cid!.toString('latin1');
      if (this.byCid.get(k) === a) this.byCid.delete(k);
    }
    a.hs = undefined;
    a.flightPending = false;
    if (wasEstablished) {
      this.counters.sessionsEnded++;
      if (this.opts.onSessionEnd) this.callback(() => this.opts.onSessionEnd!(a, reason));
    }
    if (this.owners[a.slot] === a) this.owners[a.slot] = undefined;
    a.release();
  }

  /**
   * At most once a second: forgets handshakes older than the timeout, sessions idle longer than
   * sessionIdleMs (from the least recently used end of the table, so only those and one more are
   * looked at) and expired resumption entries at the cache's old end.
   */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const a of this.table.handshakes()) {
      if (a.hs === undefined || now - a.hs.startedAt < this.handshakeTimeoutMs) break;
      this.counters.handshakesTimedOut++;
      this.forget(a, 'evicted');
    }
    for (const a of this.table.sessions()) {
      if (now - a.lastUsed < this.sessionIdleMs) break;
      this.counters.sessionsExpired++;
      this.forget(a, 'expired');
    }
    this.resumption?.sweep(now);
  }

  private callback(fn: () => void): void {
    try {
      fn();
    } catch {
      this.counters.callbackErrors++;
    }
  }
}
