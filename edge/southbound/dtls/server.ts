/**
 * A DTLS 1.2 server core (RFC 6347) for PSK devices (RFC 4279) with the AEAD suites
 * TLS_PSK_WITH_AES_128_CCM_8 and TLS_PSK_WITH_AES_128_GCM_SHA256, stateless cookies, the extended
 * master secret (RFC 7627) and Connection ID (RFC 9146). Transport-free: the caller feeds datagrams
 * to `handle` with a function that sends datagrams back; `handle` never throws for anything a
 * peer sends. docs/reference/dtls.md describes what it does and what it does not yet.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { YiwangError } from '../../../common/errors.js';
import { AlertDescription, AlertLevel, alertBody } from './alerts.js';
import { AeadKey, type CipherSuiteInfo, EXPLICIT_NONCE, SUITES } from './cipher.js';
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
  encodeCidRecord,
  encodeRecord,
  MAX_PLAINTEXT,
  MAX_SEQ,
  parseRecords,
  RECORD_HEADER,
} from './record.js';
import { ReplayWindow } from './replay-window.js';
import { SessionTable } from './session-table.js';

export interface Peer {
  readonly address: string;
  readonly port: number;
}

/** Sends one datagram to a peer (e.g. `(d, p) => socket.send(d, p.port, p.address)`). */
export type SendDatagram = (datagram: Buffer, peer: Peer) => void;

/** An established DTLS session, as the layer above sees it. */
export interface DtlsSession {
  /** The PSK identity the device authenticated with. */
  readonly identity: string;
  /** Where the device is now (moves when a CID record authenticates from a new address). */
  readonly peer: Peer;
  /** The connection ID the device puts in its records (undefined: CID not negotiated). */
  readonly cid: Buffer | undefined;
  /** Name of the negotiated cipher suite. */
  readonly suite: string;
  readonly closed: boolean;
  /** Encrypts `plaintext` into one record to the peer; throws DTLS_ERR_SEND when closed or too large. */
  send(plaintext: Buffer): void;
  /** Sends close_notify and forgets the session. */
  close(): void;
}

export type SessionEndReason = 'closed' | 'peer-closed' | 'peer-alert' | 'evicted' | 'replaced' | 'server-closed';

export interface DtlsServerOptions {
  /** The PSK of an identity, undefined if unknown. */
  pskFor(identity: string): Buffer | undefined;
  /** Application data of an established session. */
  onData?(plaintext: Buffer, session: DtlsSession): void;
  onSessionStart?(session: DtlsSession): void;
  onSessionEnd?(session: DtlsSession, reason: SessionEndReason): void;
  /** A handshake that failed (the peer got a fatal alert, no state is kept). */
  onHandshakeFailed?(error: YiwangError, peer: Peer): void;
  /** Master secret of the cookies (≥ 16 bytes); random per server if absent. */
  cookieSecret?: Buffer;
  /** Cookie secret rotation period (default 60 s; a cookie is accepted for one to two periods). */
  cookieLifetimeMs?: number;
  /** Most entries (established sessions and handshakes in progress) in the table. */
  maxSessions: number;
  /** Most estimated bytes of the table. */
  maxSessionBytes: number;
  /** Most handshakes in progress at once (default min(maxSessions, 1024)); the oldest is dropped. */
  maxHandshakes?: number;
  /** Negotiate Connection ID (RFC 9146) when the client offers it. */
  cid: boolean;
  /** Length of the CIDs this server hands out (default 6, 1..32). */
  cidLength?: number;
  /** PSK identity hint sent in a ServerKeyExchange; none sent when absent. */
  pskIdentityHint?: string;
  /** Allowed suites in order of preference (default CCM_8, then GCM). */
  suites?: readonly string[];
  /** Largest datagram the server sends (default 1152); handshake messages are fragmented to fit. */
  mtu?: number;
  /** A handshake not finished after this long is forgotten (default 30 s). */
  handshakeTimeoutMs?: number;
  /** Largest handshake message body accepted (default 4096). */
  maxHandshakeMessage?: number;
  /** Most handshake messages buffered per handshake (default 4). */
  maxBufferedMessages?: number;
  /** Longest PSK identity accepted (default 128 bytes). */
  maxIdentityLength?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

export type DropReason =
  | 'malformed'
  | 'replay'
  | 'badMac'
  | 'noSession'
  | 'unexpected'
  | 'oldEpoch'
  | 'fragmentedHello'
  | 'seqExhausted';

export interface DtlsCounters {
  handshakesStarted: number;
  handshakesCompleted: number;
  handshakesFailed: number;
  handshakesTimedOut: number;
  cookiesSent: number;
  flightsRetransmitted: number;
  renegotiationsRefused: number;
  sessionsEvicted: number;
  sessionsEnded: number;
  addressMoves: number;
  recordsDropped: Record<DropReason, number>;
  /** Exceptions caught inside `handle` (a bug if not 0) and thrown by the caller's callbacks. */
  internalErrors: number;
  callbackErrors: number;
}

export interface DtlsStats extends DtlsCounters {
  /** Established sessions. */
  sessions: number;
  /** Handshakes in progress. */
  handshakes: number;
  /** Estimated bytes held by the table (0 when it is empty). */
  tableBytes: number;
}

/** A copy with memory of its own (Buffer.from of a small buffer is a slice of a shared 8 KiB pool). */
function ownBuffer(b: Buffer): Buffer {
  const out = Buffer.allocUnsafeSlow(b.length);
  b.copy(out);
  return out;
}

/** Estimated bytes of an established session and of a handshake in progress (without buffers). */
const SESSION_BYTES = 640;
const HANDSHAKE_BYTES = 1536;
const MAX_RETRANSMITS = 16;

type FlightItem = { readonly epoch: number; readonly type: number; readonly payload: Buffer };

interface HandshakeState {
  readonly startedAt: number;
  readonly clientRandom: Buffer;
  readonly serverRandom: Buffer;
  readonly ems: boolean;
  readonly transcript: Transcript;
  readonly reassembler: Reassembler;
  nextSendSeq: number;
  expecting: 'clientKeyExchange' | 'finished';
  master?: Buffer;
  retransmits: number;
}

class Association implements DtlsSession {
  bytes: number;
  state: 'handshake' | 'established' | 'closed' = 'handshake';
  identity = '';
  hs: HandshakeState | undefined;
  readKey: AeadKey | undefined;
  writeKey: AeadKey | undefined;
  readonly replay = new ReplayWindow();
  writeSeq0: number;
  writeSeq1 = 0;
  lastFlight: FlightItem[] = [];
  clientFinishedSeq = -1;
  retransmits = 0;

  constructor(
    private readonly server: DtlsServer,
    public peer: Peer,
    public sendFn: SendDatagram,
    readonly suiteInfo: CipherSuiteInfo,
    /** Our CID (what the client puts in its records). */
    readonly cid: Buffer | undefined,
    /** The client's CID (what we put in our records); undefined or empty: plain records. */
    readonly peerCid: Buffer | undefined,
    firstWriteSeq: number,
  ) {
    this.bytes = HANDSHAKE_BYTES;
    this.writeSeq0 = firstWriteSeq;
  }

  get suite(): string {
    return this.suiteInfo.name;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get key(): string {
    return peerKey(this.peer);
  }

  send(plaintext: Buffer): void {
    if (this.state !== 'established') throw new YiwangError('DTLS_ERR_SEND', 'the DTLS session is closed');
    if (plaintext.length > MAX_PLAINTEXT)
      throw new YiwangError('DTLS_ERR_SEND', `plaintext of ${plaintext.length} bytes is over ${MAX_PLAINTEXT}`);
    const record = this.protect(ContentType.applicationData, plaintext);
    if (record === undefined) throw new YiwangError('DTLS_ERR_SEND', 'the record sequence numbers are used up');
    this.sendFn(record, this.peer);
  }

  close(): void {
    this.server.endSession(this, 'closed', true);
  }

  /** An epoch-1 record of `type` around `plaintext` (CID record if the client asked for one). */
  protect(type: number, plaintext: Buffer): Buffer | undefined {
    if (this.writeKey === undefined || this.writeSeq1 > MAX_SEQ) return undefined;
    const seq = this.writeSeq1++;
    const useCid = this.peerCid !== undefined && this.peerCid.length > 0;
    const sealed = this.writeKey.seal(
      { type, version: DTLS_1_2, epoch: 1, seq, cid: useCid ? this.peerCid : undefined },
      plaintext,
    );
    return useCid
      ? encodeCidRecord(DTLS_1_2, 1, seq, this.peerCid!, sealed)
      : encodeRecord(type, DTLS_1_2, 1, seq, sealed);
  }

  plain(type: number, payload: Buffer): Buffer {
    return encodeRecord(type, DTLS_1_2, 0, this.writeSeq0++, payload);
  }
}

function peerKey(p: Peer): string {
  return `${p.address}|${p.port}`;
}

function zeroCounters(): DtlsCounters {
  return {
    handshakesStarted: 0,
    handshakesCompleted: 0,
    handshakesFailed: 0,
    handshakesTimedOut: 0,
    cookiesSent: 0,
    flightsRetransmitted: 0,
    renegotiationsRefused: 0,
    sessionsEvicted: 0,
    sessionsEnded: 0,
    addressMoves: 0,
    recordsDropped: {
      malformed: 0,
      replay: 0,
      badMac: 0,
      noSession: 0,
      unexpected: 0,
      oldEpoch: 0,
      fragmentedHello: 0,
      seqExhausted: 0,
    },
    internalErrors: 0,
    callbackErrors: 0,
  };
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

export class DtlsServer {
  private readonly opts: DtlsServerOptions;
  private readonly now: () => number;
  private readonly cookies: CookieJar;
  private readonly suites: CipherSuiteInfo[];
  private readonly cidLength: number;
  private readonly mtu: number;
  private readonly maxHandshakes: number;
  private readonly handshakeTimeoutMs: number;
  private readonly table: SessionTable<Association>;
  /** Handshakes in progress by peer address (insertion order = start order). */
  private readonly handshakes = new Map<string, Association>();
  /** Established sessions by peer address. */
  private readonly sessions = new Map<string, Association>();
  /** Sessions and handshakes (past ServerHello) by our CID, hex. */
  private readonly byCid = new Map<string, Association>();
  private readonly counters = zeroCounters();
  private lastSweep = 0;

  constructor(options: DtlsServerOptions) {
    const bad = (why: string): never => {
      throw new YiwangError('DTLS_ERR_CONFIG', why);
    };
    if (typeof options.pskFor !== 'function') bad('pskFor must be a function');
    const positive = (name: string, v: number | undefined): void => {
      if (v !== undefined && (!Number.isInteger(v) || v <= 0)) bad(`${name} must be a positive integer`);
    };
    positive('maxSessions', options.maxSessions);
    positive('maxSessionBytes', options.maxSessionBytes);
    positive('maxHandshakes', options.maxHandshakes);
    positive('cookieLifetimeMs', options.cookieLifetimeMs);
    positive('handshakeTimeoutMs', options.handshakeTimeoutMs);
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
    this.table = new SessionTable<Association>(options.maxSessions, options.maxSessionBytes, (a) => {
      this.counters.sessionsEvicted++;
      this.forget(a, 'evicted');
    });
  }

  /** Counters and table gauges (a copy). */
  stats(): DtlsStats {
    return {
      ...this.counters,
      recordsDropped: { ...this.counters.recordsDropped },
      sessions: this.sessions.size,
      handshakes: this.handshakes.size,
      tableBytes: this.table.bytes,
    };
  }

  /** The established session at a peer address, if any. */
  sessionAt(peer: Peer): DtlsSession | undefined {
    return this.sessions.get(peerKey(peer));
  }

  /** Sends close_notify to every session and forgets all state. */
  close(): void {
    for (const a of [...this.table.values()]) this.endSession(a, 'server-closed', a.state === 'established');
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
      const a = this.byCid.get(record.cid!.toString('hex'));
      if (a === undefined) return void this.counters.recordsDropped.noSession++;
      return this.onProtected(a, record, peer, send, true);
    }
    const pending = this.handshakes.get(key);
    const session = this.sessions.get(key);
    if (record.epoch === 0) {
      if (record.type === ContentType.handshake) {
        if (pending !== undefined && !this.isNewHello(pending, record)) return this.onPendingPlain(pending, record);
        return this.statelessHello(record, peer, send);
      }
      if (pending !== undefined) return this.onPendingPlain(pending, record);
      return void this.counters.recordsDropped[session === undefined ? 'noSession' : 'unexpected']++;
    }
    // epoch 1: a handshake record goes to the handshake in progress (its Finished), the rest to the session
    const keyed = pending?.readKey !== undefined ? pending : undefined;
    const target = record.type === ContentType.handshake ? (keyed ?? session) : (session ?? keyed);
    if (target === undefined) return void this.counters.recordsDropped.noSession++;
    this.onProtected(target, record, peer, send, false);
  }

  /** True if an epoch-0 handshake record is a ClientHello other than the one of `pending`. */
  private isNewHello(pending: Association, record: DtlsRecord): boolean {
    const b = record.fragment;
    if (b.length < HANDSHAKE_HEADER + 34 || b[0] !== HandshakeType.clientHello) return false;
    const random = b.subarray(HANDSHAKE_HEADER + 2, HANDSHAKE_HEADER + 34);
    return !random.equals(pending.hs?.clientRandom ?? Buffer.alloc(0));
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
    const old = this.handshakes.get(peerKey(peer));
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

  private startHandshake(hello: ClientHello, f: HandshakeFragment, record: DtlsRecord, peer: Peer, send: SendDatagram) {
    const fail = (alert: number, why: string): never => {
      throw new HandshakeFailure(alert, 'DTLS_ERR_HANDSHAKE', why);
    };
    if (hello.clientVersion !== DTLS_1_2) fail(AlertDescription.protocolVersion, 'the client does not offer DTLS 1.2');
    const suite = this.suites.find((s) => hello.cipherSuites.includes(s.id));
    if (suite === undefined) fail(AlertDescription.handshakeFailure, 'no common PSK cipher suite');
    if (!hello.compressionMethods.includes(0)) fail(AlertDescription.illegalParameter, 'no null compression');
    const exts: [number, Buffer][] = [];
    const reneg = hello.extensions.get(ExtensionType.renegotiationInfo);
    if (reneg !== undefined && !(reneg.length === 1 && reneg[0] === 0))
      fail(AlertDescription.handshakeFailure, 'renegotiation_info of an initial handshake is not empty');
    if (reneg !== undefined || hello.cipherSuites.includes(EMPTY_RENEGOTIATION_INFO_SCSV))
      exts.push([ExtensionType.renegotiationInfo, Buffer.of(0)]);
    const ems = hello.extensions.has(ExtensionType.extendedMasterSecret);
    if (ems) exts.push([ExtensionType.extendedMasterSecret, Buffer.alloc(0)]);
    let cid: Buffer | undefined;
    let peerCid: Buffer | undefined;
    const offered = hello.extensions.get(ExtensionType.connectionId);
    if (this.opts.cid && offered !== undefined) {
      if (offered.length < 1 || offered[0] !== offered.length - 1)
        fail(AlertDescription.decodeError, 'malformed connection_id extension');
      // kept for the session's life: buffers of their own, not slices of a pooled slab or a datagram
      peerCid = ownBuffer(offered.subarray(1));
      do cid = ownBuffer(randomBytes(this.cidLength));
      while (this.byCid.has(cid.toString('hex')));
      exts.push([ExtensionType.connectionId, Buffer.concat([Buffer.of(cid.length), cid])]);
    }
    const a = new Association(this, peer, send, suite!, cid, peerCid, record.seq);
    const transcript = new Transcript();
    transcript.update(encodeHandshake(HandshakeType.clientHello, f.messageSeq, f.body));
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
      nextSendSeq: f.messageSeq,
      expecting: 'clientKeyExchange',
      retransmits: 0,
    };
    a.hs = hs;
    const messages: Buffer[] = [];
    const add = (type: number, body: Buffer): void => {
      const m = encodeHandshake(type, hs.nextSendSeq++, body);
      transcript.update(m);
      messages.push(m);
    };
    add(HandshakeType.serverHello, serverHelloBody(DTLS_1_2, hs.serverRandom, Buffer.alloc(0), suite!.id, exts));
    if (this.opts.pskIdentityHint !== undefined)
      add(HandshakeType.serverKeyExchange, pskServerKeyExchangeBody(Buffer.from(this.opts.pskIdentityHint, 'utf8')));
    add(HandshakeType.serverHelloDone, Buffer.alloc(0));
    a.lastFlight = messages.map((payload) => ({ epoch: 0, type: ContentType.handshake, payload }));
    // bound the handshakes in progress before adding one more
    while (this.handshakes.size >= this.maxHandshakes) {
      const oldest = this.handshakes.values().next().value as Association;
      this.counters.sessionsEvicted++;
      this.forget(oldest, 'evicted');
    }
    this.handshakes.set(a.key, a);
    if (cid !== undefined) this.byCid.set(cid.toString('hex'), a);
    this.table.add(a);
    this.sendFlight(a);
  }

  // ---- handshake in progress --------------------------------------------------------------------

  /** An epoch-0 record for a handshake in progress (ClientKeyExchange, ChangeCipherSpec, alert). */
  private onPendingPlain(a: Association, record: DtlsRecord): void {
    this.table.touch(a);
    try {
      if (record.type === ContentType.handshake) return this.onHandshakeRecord(a, record.fragment, 0);
      if (record.type === ContentType.changeCipherSpec) {
        if (record.fragment.length !== 1 || record.fragment[0] !== 1 || a.readKey === undefined)
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
    if (
      retransmit &&
      a.state === 'handshake' &&
      hs.expecting === 'clientKeyExchange' &&
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
      hs.transcript.update(encodeHandshake(msgType, seq, body));
      const master = masterSecret(pskPremaster(psk), hs.ems, hs.transcript.digest(), hs.clientRandom, hs.serverRandom);
      hs.master = master;
      const kb = keyBlock(master, hs.clientRandom, hs.serverRandom);
      a.readKey = new AeadKey(a.suiteInfo, kb.clientKey, kb.clientSalt);
      a.writeKey = new AeadKey(a.suiteInfo, kb.serverKey, kb.serverSalt);
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
    const verify = finishedVerifyData(hs.master!, false, hs.transcript.digest());
    a.clientFinishedSeq = seq;
    a.lastFlight = [
      { epoch: 0, type: ContentType.changeCipherSpec, payload: Buffer.of(1) },
      {
        epoch: 1,
        type: ContentType.handshake,
        // kept until the client's first data: memory of its own, not a slice of the shared pool
        payload: ownBuffer(encodeHandshake(HandshakeType.finished, hs.nextSendSeq++, verify)),
      },
    ];
    this.sendFlight(a);
    this.establish(a);
  }

  private establish(a: Association): void {
    this.handshakes.delete(a.key);
    const old = this.sessions.get(a.key);
    if (old !== undefined && old !== a) this.endSession(old, 'replaced', false);
    a.state = 'established';
    a.hs = undefined;
    this.sessions.set(a.key, a);
    this.table.resize(a, SESSION_BYTES + a.identity.length * 2);
    this.counters.handshakesCompleted++;
    if (this.opts.onSessionStart) this.callback(() => this.opts.onSessionStart!(a));
  }

  private failHandshake(a: Association, err: unknown): void {
    if (!(err instanceof HandshakeFailure)) throw err;
    if (a.state !== 'handshake') return;
    a.sendFn(a.plain(ContentType.alert, alertBody(AlertLevel.fatal, err.alert)), a.peer);
    this.counters.handshakesFailed++;
    this.forget(a, 'peer-alert');
    this.report(err, a.peer);
  }

  private report(err: HandshakeFailure, peer: Peer): void {
    const onFailed = this.opts.onHandshakeFailed;
    if (onFailed) this.callback(() => onFailed(new YiwangError(err.code, err.message), peer));
  }

  // ---- protected records ------------------------------------------------------------------------

  private onProtected(a: Association, record: DtlsRecord, peer: Peer, send: SendDatagram, viaCid: boolean): void {
    if (a.readKey === undefined) return void this.counters.recordsDropped.unexpected++;
    if (record.epoch !== 1) return void this.counters.recordsDropped.oldEpoch++;
    if (!a.replay.check(record.seq)) return void this.counters.recordsDropped.replay++;
    const opened = a.readKey.open(
      { type: record.type, version: record.version, epoch: record.epoch, seq: record.seq, cid: record.cid },
      record.fragment,
    );
    if (opened === undefined) {
      if (a.state === 'handshake' && !viaCid && peerKey(peer) === a.key) {
        // RFC 6347 §4.1.2.7: a bad MAC during the handshake is fatal
        return this.failHandshake(
          a,
          new HandshakeFailure(AlertDescription.badRecordMac, 'DTLS_ERR_HANDSHAKE', 'bad record MAC (wrong key?)'),
        );
      }
      return void this.counters.recordsDropped.badMac++;
    }
    const newest = record.seq > a.replay.highest;
    a.replay.mark(record.seq);
    if (peerKey(peer) !== a.key) {
      // only an authenticated CID record moves a session (RFC 9146 §6), and only the newest one
      if (!viaCid || !newest || a.state !== 'established') return void this.counters.recordsDropped.unexpected++;
      this.move(a, peer);
    }
    a.sendFn = send;
    this.table.touch(a);
    switch (opened.type) {
      case ContentType.applicationData:
        if (a.state !== 'established') return void this.counters.recordsDropped.unexpected++;
        // data in the new epoch: the client has our Finished, the last flight is not needed again (RFC 6347 §4.2.4)
        if (a.lastFlight.length) a.lastFlight = [];
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
      if (a.retransmits < MAX_RETRANSMITS) {
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
        this.counters.handshakesFailed++;
        this.forget(a, 'peer-alert');
        this.report(
          new HandshakeFailure(description, 'DTLS_ERR_HANDSHAKE', `the client sent alert ${description}`),
          a.peer,
        );
      } else {
        this.endSession(a, description === AlertDescription.closeNotify ? 'peer-closed' : 'peer-alert', false);
      }
    }
  }

  private move(a: Association, peer: Peer): void {
    if (this.sessions.get(a.key) === a) this.sessions.delete(a.key);
    a.peer = peer;
    const there = this.sessions.get(a.key);
    // the address now belongs to this session; a session without CID that was there cannot be reached
    if (there !== undefined && there.cid === undefined) this.endSession(there, 'replaced', false);
    this.sessions.set(a.key, a);
    this.counters.addressMoves++;
  }

  // ---- sending ----------------------------------------------------------------------------------

  /** Sends (again) the server's last flight, with fresh record sequence numbers, packed to the MTU. */
  private sendFlight(a: Association): void {
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
    for (const item of a.lastFlight) {
      const parts = item.type === ContentType.handshake ? fragmentHandshake(item.payload, maxBody) : [item.payload];
      for (const p of parts) {
        const rec = item.epoch === 0 ? a.plain(item.type, p) : a.protect(item.type, p);
        if (rec !== undefined) push(rec);
      }
    }
    if (current.length > 0) datagrams.push(Buffer.concat(current));
    for (const d of datagrams) a.sendFn(d, a.peer);
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

  /** Removes every trace of an association. */
  private forget(a: Association, reason: SessionEndReason): void {
    const wasEstablished = a.state === 'established';
    if (a.state === 'closed') return;
    a.state = 'closed';
    this.table.remove(a); // nothing when it is not there
    if (this.handshakes.get(a.key) === a) this.handshakes.delete(a.key);
    if (this.sessions.get(a.key) === a) this.sessions.delete(a.key);
    if (a.cid !== undefined && this.byCid.get(a.cid.toString('hex')) === a) this.byCid.delete(a.cid.toString('hex'));
    a.hs = undefined;
    a.lastFlight = [];
    if (wasEstablished) {
      this.counters.sessionsEnded++;
      if (this.opts.onSessionEnd) this.callback(() => this.opts.onSessionEnd!(a, reason));
    }
  }

  /** Forgets handshakes older than the timeout (at most once a second). */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const a of this.handshakes.values()) {
      if (a.hs === undefined || now - a.hs.startedAt < this.handshakeTimeoutMs) break;
      this.counters.handshakesTimedOut++;
      this.forget(a, 'evicted');
    }
  }

  private callback(fn: () => void): void {
    try {
      fn();
    } catch {
      this.counters.callbackErrors++;
    }
  }
}
