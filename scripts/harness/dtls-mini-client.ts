/**
 * A minimal in-process DTLS 1.2 PSK client for unit tests of what no installed client does
 * (Connection ID, replay at record level, fuzzing established sessions). It drives
 * `DtlsServer#handle` directly and is built on the server's own building blocks, so it proves
 * record-level behaviour, not interoperability (the libcoap and node-dtls-client tests do that).
 */
import { randomBytes } from 'node:crypto';
import { AeadKey, SUITES } from '../../edge/southbound/dtls/cipher.js';
import {
  encodeHandshake,
  ExtensionType,
  HandshakeType,
  parseHandshakeFragments,
} from '../../edge/southbound/dtls/handshake-messages.js';
import {
  finishedVerifyData,
  keyBlock,
  masterSecret,
  pskPremaster,
  Transcript,
} from '../../edge/southbound/dtls/prf.js';
import {
  ContentType,
  DTLS_1_2,
  encodeCidRecord,
  encodeRecord,
  parseRecords,
} from '../../edge/southbound/dtls/record.js';
import type { DtlsServer, Peer } from '../../edge/southbound/dtls/server.js';

export interface MiniSession {
  peer: Peer;
  /** CID the server gave (put in our records), undefined if none. */
  serverCid: Buffer | undefined;
  write: AeadKey;
  read: AeadKey;
  seq: number;
  /** Datagrams the server sent to us. */
  inbox: Buffer[];
  /** Builds an application-data record (CID record when a CID was negotiated, unless `plain`). */
  record(plaintext: Buffer, opts?: { plain?: boolean; seq?: number }): Buffer;
  /** Sends one datagram from `from` (default the session peer). */
  send(datagram: Buffer, from?: Peer): void;
  /** Decrypts the application data records the server sent since the last call. */
  drain(): Buffer[];
  /** What resuming this session needs (miniResume): the session ID the server gave (empty: none). */
  sessionId: Buffer;
  master: Buffer;
  suiteId: number;
  ems: boolean;
  /** True if this session came from an abbreviated handshake. */
  resumed: boolean;
}

/** A ServerHello body's random, session ID and Connection ID (RFC 9146 extension, undefined when absent). */
export function parseServerHello(body: Buffer): { random: Buffer; sessionId: Buffer; cid: Buffer | undefined } {
  const sidLen = body[34]!;
  let cid: Buffer | undefined;
  let at = 35 + sidLen + 3 + 2;
  while (at < body.length) {
    const type = body.readUInt16BE(at);
    const len = body.readUInt16BE(at + 2);
    if (type === ExtensionType.connectionId) cid = Buffer.from(body.subarray(at + 5, at + 4 + len));
    at += 4 + len;
  }
  return { random: Buffer.from(body.subarray(2, 34)), sessionId: Buffer.from(body.subarray(35, 35 + sidLen)), cid };
}

export function ext(type: number, data: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(data.length, 2);
  return Buffer.concat([h, data]);
}

export function clientHello(
  random: Buffer,
  cookie: Buffer,
  suite: number,
  exts: Buffer[],
  sessionId: Buffer = Buffer.alloc(0),
): Buffer {
  const cs = Buffer.alloc(4);
  cs.writeUInt16BE(2, 0);
  cs.writeUInt16BE(suite, 2);
  const e = Buffer.concat(exts);
  const el = Buffer.alloc(2);
  el.writeUInt16BE(e.length, 0);
  return Buffer.concat([
    Buffer.of(0xfe, 0xfd),
    random,
    Buffer.of(sessionId.length),
    sessionId,
    Buffer.of(cookie.length),
    cookie,
    cs,
    Buffer.of(1, 0),
    el,
    e,
  ]);
}

/** Runs a full PSK handshake against `server` from `peer`; throws if it does not complete. */
export function miniHandshake(
  server: DtlsServer,
  peer: Peer,
  identity: string,
  psk: Buffer,
  opts: { cid?: boolean; ems?: boolean; suite?: number } = {},
): MiniSession {
  const suiteId = opts.suite ?? 0xc0a8;
  const suite = SUITES.find((s) => s.id === suiteId)!;
  const inbox: Buffer[] = [];
  let current = peer;
  const sendTo = (d: Buffer, p: Peer): void => {
    if (p.address === current.address && p.port === current.port) inbox.push(d);
  };
  let seq0 = 0;
  const random = randomBytes(32);
  const exts = [ext(ExtensionType.renegotiationInfo, Buffer.of(0))];
  if (opts.ems ?? true) exts.push(ext(ExtensionType.extendedMasterSecret, Buffer.alloc(0)));
  if (opts.cid) exts.push(ext(ExtensionType.connectionId, Buffer.of(0)));
  const hs = (type: number, seq: number, body: Buffer): Buffer =>
    encodeRecord(ContentType.handshake, DTLS_1_2, 0, seq0++, encodeHandshake(type, seq, body));
  server.handle(hs(HandshakeType.clientHello, 0, clientHello(random, Buffer.alloc(0), suiteId, exts)), peer, sendTo);
  const hvr = parseHandshakeFragments(parseRecords(inbox.shift()!, 0)[0]!.fragment)![0]!;
  const cookie = hvr.body.subarray(3, 3 + hvr.body[2]!);
  const ch2 = clientHello(random, cookie, suiteId, exts);
  const transcript = new Transcript();
  transcript.update(encodeHandshake(HandshakeType.clientHello, 1, ch2));
  server.handle(hs(HandshakeType.clientHello, 1, ch2), peer, sendTo);
  let serverRandom: Buffer = Buffer.alloc(0);
  let serverCid: Buffer | undefined;
  let sessionId: Buffer = Buffer.alloc(0);
  for (const rec of parseRecords(inbox.shift()!, 0)) {
    for (const f of parseHandshakeFragments(rec.fragment)!) {
      transcript.update(encodeHandshake(f.msgType, f.messageSeq, f.body));
      if (f.msgType === HandshakeType.serverHello)
        ({ random: serverRandom, sessionId, cid: serverCid } = parseServerHello(f.body));
    }
  }
  const idBuf = Buffer.from(identity, 'utf8');
  const cke = Buffer.concat([Buffer.of(idBuf.length >> 8, idBuf.length & 255), idBuf]);
  const ckeMsg = encodeHandshake(HandshakeType.clientKeyExchange, 2, cke);
  transcript.update(ckeMsg);
  const ms = masterSecret(pskPremaster(psk), opts.ems ?? true, transcript.digest(), random, serverRandom);
  const kb = keyBlock(ms, random, serverRandom);
  const write = new AeadKey(suite, kb.clientKey, kb.clientSalt);
  const read = new AeadKey(suite, kb.serverKey, kb.serverSalt);
  const fin = encodeHandshake(HandshakeType.finished, 3, finishedVerifyData(ms, true, transcript.digest()));
  const s = miniSession(
    server,
    peer,
    inbox,
    sendTo,
    (p) => {
      current = p;
    },
    { serverCid, write, read, sessionId, master: ms, suiteId, ems: opts.ems ?? true, resumed: false },
  );
  const finRecord = s.recordOf(ContentType.handshake, fin, s.seq++, false);
  s.send(
    Buffer.concat([
      hs(HandshakeType.clientKeyExchange, 2, cke),
      encodeRecord(ContentType.changeCipherSpec, DTLS_1_2, 0, seq0++, Buffer.of(1)),
      finRecord,
    ]),
  );
  const last = inbox.shift();
  if (last === undefined) throw new Error('no server Finished');
  const recs = parseRecords(last, 0);
  const finRec = recs.find((r) => r.epoch === 1);
  if (finRec === undefined) throw new Error(`handshake failed: ${last.toString('hex')}`);
  const opened = read.open(
    { type: finRec.type, version: finRec.version, epoch: 1, seq: finRec.seq, cid: undefined },
    finRec.fragment,
  );
  if (opened === undefined) throw new Error('server Finished does not authenticate');
  return s;
}

type SessionParts = Pick<
  MiniSession,
  'serverCid' | 'write' | 'read' | 'sessionId' | 'master' | 'suiteId' | 'ems' | 'resumed'
>;

function miniSession(
  server: DtlsServer,
  peer: Peer,
  inbox: Buffer[],
  sendTo: (d: Buffer, p: Peer) => void,
  setCurrent: (p: Peer) => void,
  parts: SessionParts,
): MiniSession & { recordOf(type: number, p: Buffer, seq: number, plain: boolean): Buffer } {
  const { serverCid, write, read } = parts;
  const recordOf = (type: number, p: Buffer, seq: number, plain: boolean): Buffer => {
    if (serverCid !== undefined && serverCid.length > 0 && !plain) {
      const sealed = write.seal({ type, version: DTLS_1_2, epoch: 1, seq, cid: serverCid }, p);
      return encodeCidRecord(DTLS_1_2, 1, seq, serverCid, sealed);
    }
    return encodeRecord(type, DTLS_1_2, 1, seq, write.seal({ type, version: DTLS_1_2, epoch: 1, seq }, p));
  };
  const s = {
    ...parts,
    peer,
    seq: 0,
    inbox,
    recordOf,
    record(plaintext: Buffer, o: { plain?: boolean; seq?: number } = {}) {
      return recordOf(ContentType.applicationData, plaintext, o.seq ?? s.seq++, o.plain ?? false);
    },
    send(datagram: Buffer, from?: Peer) {
      const p = from ?? s.peer;
      setCurrent(p);
      server.handle(datagram, p, sendTo);
    },
    drain() {
      const out: Buffer[] = [];
      for (const d of inbox.splice(0)) {
        for (const rec of parseRecords(d, 0)) {
          if (rec.epoch !== 1) continue;
          const o = read.open({ type: rec.type, version: rec.version, epoch: 1, seq: rec.seq }, rec.fragment);
          if (o && o.type === ContentType.applicationData) out.push(o.plaintext);
        }
      }
      return out;
    },
  };
  return s;
}

/**
 * Offers `prev`'s session ID from `peer` (after the cookie exchange). When the server resumes
 * (RFC 5246 §7.3: ServerHello with the same session ID, ChangeCipherSpec, Finished), checks the
 * server's Finished, answers with ChangeCipherSpec and Finished and returns the new session; when
 * it starts a full handshake instead, returns 'full' (nothing more is sent). `finish: false` stops
 * before the client's Finished (returns the session; the server still waits for it).
 */
export function miniResume(
  server: DtlsServer,
  peer: Peer,
  prev: Pick<MiniSession, 'sessionId' | 'master' | 'suiteId' | 'ems'>,
  opts: { cid?: boolean; finish?: boolean } = {},
): MiniSession | 'full' {
  const suite = SUITES.find((s) => s.id === prev.suiteId)!;
  const inbox: Buffer[] = [];
  let current = peer;
  const sendTo = (d: Buffer, p: Peer): void => {
    if (p.address === current.address && p.port === current.port) inbox.push(d);
  };
  let seq0 = 0;
  const random = randomBytes(32);
  const exts = [ext(ExtensionType.renegotiationInfo, Buffer.of(0))];
  if (prev.ems) exts.push(ext(ExtensionType.extendedMasterSecret, Buffer.alloc(0)));
  if (opts.cid) exts.push(ext(ExtensionType.connectionId, Buffer.of(0)));
  const hs = (type: number, seq: number, body: Buffer): Buffer =>
    encodeRecord(ContentType.handshake, DTLS_1_2, 0, seq0++, encodeHandshake(type, seq, body));
  const hello = (cookie: Buffer) => clientHello(random, cookie, prev.suiteId, exts, prev.sessionId);
  server.handle(hs(HandshakeType.clientHello, 0, hello(Buffer.alloc(0))), peer, sendTo);
  const hvr = parseHandshakeFragments(parseRecords(inbox.shift()!, 0)[0]!.fragment)![0]!;
  const ch2 = hello(hvr.body.subarray(3, 3 + hvr.body[2]!));
  const transcript = new Transcript();
  transcript.update(encodeHandshake(HandshakeType.clientHello, 1, ch2));
  server.handle(hs(HandshakeType.clientHello, 1, ch2), peer, sendTo);
  const flight = inbox.shift();
  if (flight === undefined) throw new Error('no ServerHello');
  let serverRandom: Buffer = Buffer.alloc(0);
  let serverCid: Buffer | undefined;
  let finRecord: ReturnType<typeof parseRecords>[number] | undefined;
  for (const rec of parseRecords(flight, 0)) {
    if (rec.epoch === 1) {
      finRecord = rec;
      continue;
    }
    if (rec.type !== ContentType.handshake) continue;
    for (const f of parseHandshakeFragments(rec.fragment)!) {
      if (f.msgType !== HandshakeType.serverHello) return 'full';
      transcript.update(encodeHandshake(f.msgType, f.messageSeq, f.body));
      const sh = parseServerHello(f.body);
      if (!sh.sessionId.equals(prev.sessionId)) return 'full';
      serverRandom = sh.random;
      serverCid = sh.cid;
    }
  }
  if (finRecord === undefined) throw new Error('no server Finished in the abbreviated handshake');
  const kb = keyBlock(prev.master, random, serverRandom);
  const write = new AeadKey(suite, kb.clientKey, kb.clientSalt);
  const read = new AeadKey(suite, kb.serverKey, kb.serverSalt);
  const opened = read.open(finRecord, finRecord.fragment);
  if (opened === undefined) throw new Error('server Finished does not authenticate');
  const expected = finishedVerifyData(prev.master, false, transcript.digest());
  if (!opened.plaintext.subarray(12).equals(expected)) throw new Error('server Finished does not verify');
  transcript.update(opened.plaintext);
  const s = miniSession(
    server,
    peer,
    inbox,
    sendTo,
    (p) => {
      current = p;
    },
    {
      serverCid,
      write,
      read,
      sessionId: prev.sessionId,
      master: prev.master,
      suiteId: prev.suiteId,
      ems: prev.ems,
      resumed: true,
    },
  );
  if (opts.finish === false) return s;
  const fin = encodeHandshake(HandshakeType.finished, 2, finishedVerifyData(prev.master, true, transcript.digest()));
  s.send(
    Buffer.concat([
      encodeRecord(ContentType.changeCipherSpec, DTLS_1_2, 0, seq0++, Buffer.of(1)),
      s.recordOf(ContentType.handshake, fin, s.seq++, false),
    ]),
  );
  return s;
}
