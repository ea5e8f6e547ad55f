/**
 * A DTLS 1.2 PSK client over a real UDP socket, for tests and benchmarks that need a device which
 * both sends and answers requests over DTLS (an LwM2M client being bootstrapped, many idle
 * sessions): no installed client does that (libcoap's coap-client sends one request and exits).
 * The steps are the mini-client's (dtls-mini-client.ts), awaiting each flight from the socket; no
 * retransmission (a lost flight rejects after `stepTimeoutMs`). Built on the server's own record
 * and key code, so it proves behaviour above the record layer, not interoperability (the libcoap
 * and openssl tests do that).
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
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
import { clientHello, ext, parseServerHello } from './dtls-mini-client.js';

export interface UdpSession {
  sock: Socket;
  /** Where the server is. */
  port: number;
  host: string;
  write: AeadKey;
  read: AeadKey;
  /** The server's CID (put in our records); none: plain records. */
  cid: Buffer | undefined;
  seq: number;
}

export interface UdpHandshakeOptions {
  host?: string;
  /** Cipher suite id (default TLS_PSK_WITH_AES_128_CCM_8). */
  suite?: number;
  /** Offer Connection ID (an empty one of ours: the server's records to us stay plain). */
  cid?: boolean;
  stepTimeoutMs?: number;
}

/** A full PSK handshake from `sock` to the server at `port`. Leaves no listener on `sock`. */
export async function udpHandshake(
  sock: Socket,
  port: number,
  identity: string,
  psk: Buffer,
  opts: UdpHandshakeOptions = {},
): Promise<UdpSession> {
  const host = opts.host ?? '127.0.0.1';
  const suite = SUITES.find((s) => s.id === (opts.suite ?? 0xc0a8))!;
  const stepMs = opts.stepTimeoutMs ?? 10_000;
  const queue: Buffer[] = [];
  let waiter: ((d: Buffer) => void) | undefined;
  const onMessage = (d: Buffer): void => {
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      w(d);
    } else queue.push(d);
  };
  sock.on('message', onMessage);
  const next = (): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const d = queue.shift();
      if (d) return resolve(d);
      const timer = setTimeout(() => {
        waiter = undefined;
        reject(new Error('handshake flight timed out'));
      }, stepMs);
      waiter = (got) => {
        clearTimeout(timer);
        resolve(got);
      };
    });
  const send = (d: Buffer): void => sock.send(d, port, host);
  try {
    let seq0 = 0;
    const random = randomBytes(32);
    const exts = [
      ext(ExtensionType.renegotiationInfo, Buffer.of(0)),
      ext(ExtensionType.extendedMasterSecret, Buffer.alloc(0)),
    ];
    if (opts.cid ?? true) exts.push(ext(ExtensionType.connectionId, Buffer.of(0)));
    const hs = (type: number, seq: number, body: Buffer): Buffer =>
      encodeRecord(ContentType.handshake, DTLS_1_2, 0, seq0++, encodeHandshake(type, seq, body));
    send(hs(HandshakeType.clientHello, 0, clientHello(random, Buffer.alloc(0), suite.id, exts)));
    const first = parseHandshakeFragments(parseRecords(await next(), 0)[0]!.fragment)![0]!;
    if (first.msgType !== HandshakeType.helloVerifyRequest) throw new Error('no HelloVerifyRequest');
    const cookie = first.body.subarray(3, 3 + first.body[2]!);
    const ch2 = clientHello(random, cookie, suite.id, exts);
    const transcript = new Transcript();
    transcript.update(encodeHandshake(HandshakeType.clientHello, 1, ch2));
    send(hs(HandshakeType.clientHello, 1, ch2));
    let serverRandom: Buffer = Buffer.alloc(0);
    let cid: Buffer | undefined;
    let done = false;
    while (!done) {
      for (const rec of parseRecords(await next(), 0)) {
        if (rec.type === ContentType.alert) throw new Error(`alert ${rec.fragment.toString('hex')}`);
        for (const f of parseHandshakeFragments(rec.fragment) ?? []) {
          transcript.update(encodeHandshake(f.msgType, f.messageSeq, f.body));
          if (f.msgType === HandshakeType.serverHelloDone) done = true;
          if (f.msgType !== HandshakeType.serverHello) continue;
          ({ random: serverRandom, cid } = parseServerHello(f.body));
        }
      }
    }
    const idBuf = Buffer.from(identity, 'utf8');
    const cke = Buffer.concat([Buffer.of(idBuf.length >> 8, idBuf.length & 255), idBuf]);
    transcript.update(encodeHandshake(HandshakeType.clientKeyExchange, 2, cke));
    const ms = masterSecret(pskPremaster(psk), true, transcript.digest(), random, serverRandom);
    const kb = keyBlock(ms, random, serverRandom);
    const s: UdpSession = {
      sock,
      port,
      host,
      write: new AeadKey(suite, kb.clientKey, kb.clientSalt),
      read: new AeadKey(suite, kb.serverKey, kb.serverSalt),
      cid: cid !== undefined && cid.length > 0 ? cid : undefined,
      seq: 0,
    };
    const fin = encodeHandshake(HandshakeType.finished, 3, finishedVerifyData(ms, true, transcript.digest()));
    send(
      Buffer.concat([
        hs(HandshakeType.clientKeyExchange, 2, cke),
        encodeRecord(ContentType.changeCipherSpec, DTLS_1_2, 0, seq0++, Buffer.of(1)),
        protect(s, ContentType.handshake, fin),
      ]),
    );
    const last = parseRecords(await next(), 0);
    if (last.some((r) => r.type === ContentType.alert && r.epoch === 0))
      throw new Error('the server refused the handshake (alert)');
    const finRec = last.find((r) => r.epoch === 1);
    if (finRec === undefined || !s.read.open(finRec, finRec.fragment))
      throw new Error('no authenticated server Finished');
    return s;
  } finally {
    sock.removeListener('message', onMessage);
  }
}

/** An epoch-1 record of `type` (a CID record when the server gave a CID). */
export function protect(s: UdpSession, type: number, plaintext: Buffer): Buffer {
  const seq = s.seq++;
  if (s.cid === undefined)
    return encodeRecord(type, DTLS_1_2, 1, seq, s.write.seal({ type, version: DTLS_1_2, epoch: 1, seq }, plaintext));
  const sealed = s.write.seal({ type, version: DTLS_1_2, epoch: 1, seq, cid: s.cid }, plaintext);
  return encodeCidRecord(DTLS_1_2, 1, seq, s.cid, sealed);
}

/** The application data of a datagram from the server (our sessions get plain records: we offer an empty CID). */
export function unprotect(s: UdpSession, datagram: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (const rec of parseRecords(datagram, 0)) {
    if (rec.epoch !== 1) continue;
    const o = s.read.open(rec, rec.fragment);
    if (o && o.type === ContentType.applicationData) out.push(o.plaintext);
  }
  return out;
}

/** Sends one application-data record to the server. */
export function sendData(s: UdpSession, plaintext: Buffer): void {
  s.sock.send(protect(s, ContentType.applicationData, plaintext), s.port, s.host);
}
