/**
 * DTLS 1.2 handshake message framing (RFC 6347 §4.2.2) and the bodies a PSK server reads and
 * writes (RFC 5246 §7.4, RFC 4279 §2, RFC 6347 §4.2.1). Parsers check every length against the
 * bytes present and return undefined on malformed input; they never throw.
 */
export const HandshakeType = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  helloVerifyRequest: 3,
  serverKeyExchange: 12,
  serverHelloDone: 14,
  clientKeyExchange: 16,
  finished: 20,
} as const;

export const ExtensionType = {
  extendedMasterSecret: 23,
  connectionId: 54,
  renegotiationInfo: 0xff01,
} as const;

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3). */
export const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
export const HANDSHAKE_HEADER = 12;

export interface HandshakeFragment {
  readonly msgType: number;
  readonly length: number;
  readonly messageSeq: number;
  readonly fragmentOffset: number;
  readonly body: Buffer;
}

/** Splits a handshake record's fragment into handshake fragments; undefined if malformed. */
export function parseHandshakeFragments(data: Buffer): HandshakeFragment[] | undefined {
  const out: HandshakeFragment[] = [];
  let at = 0;
  while (at < data.length) {
    if (data.length - at < HANDSHAKE_HEADER) return undefined;
    const msgType = data[at]!;
    const length = data.readUIntBE(at + 1, 3);
    const messageSeq = data.readUInt16BE(at + 4);
    const fragmentOffset = data.readUIntBE(at + 6, 3);
    const fragmentLength = data.readUIntBE(at + 9, 3);
    const start = at + HANDSHAKE_HEADER;
    if (start + fragmentLength > data.length || fragmentOffset + fragmentLength > length) return undefined;
    out.push({ msgType, length, messageSeq, fragmentOffset, body: data.subarray(start, start + fragmentLength) });
    at = start + fragmentLength;
  }
  return out;
}

/** A whole handshake message with its header (offset 0, fragment length = length), as hashed. */
export function encodeHandshake(msgType: number, messageSeq: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HANDSHAKE_HEADER + body.length);
  out[0] = msgType;
  out.writeUIntBE(body.length, 1, 3);
  out.writeUInt16BE(messageSeq, 4);
  out.writeUIntBE(0, 6, 3);
  out.writeUIntBE(body.length, 9, 3);
  body.copy(out, HANDSHAKE_HEADER);
  return out;
}

/** Splits a whole message (as from encodeHandshake) into fragments of at most `maxBody` body bytes. */
export function fragmentHandshake(message: Buffer, maxBody: number): Buffer[] {
  const body = message.subarray(HANDSHAKE_HEADER);
  if (body.length <= maxBody) return [message];
  const out: Buffer[] = [];
  for (let off = 0; off < body.length; off += maxBody) {
    const part = body.subarray(off, Math.min(body.length, off + maxBody));
    const frag = Buffer.allocUnsafe(HANDSHAKE_HEADER + part.length);
    message.copy(frag, 0, 0, 6);
    frag.writeUIntBE(off, 6, 3);
    frag.writeUIntBE(part.length, 9, 3);
    part.copy(frag, HANDSHAKE_HEADER);
    out.push(frag);
  }
  return out;
}

export interface ClientHello {
  readonly clientVersion: number;
  readonly random: Buffer;
  readonly sessionId: Buffer;
  readonly cookie: Buffer;
  readonly cipherSuites: number[];
  readonly compressionMethods: Buffer;
  /** Extension type → data; duplicates make the hello malformed. */
  readonly extensions: Map<number, Buffer>;
  /** The bytes the cookie is computed over: the whole body without the cookie. */
  readonly cookieInput: Buffer[];
}

/** Parses a ClientHello body; undefined if malformed. */
export function parseClientHello(b: Buffer): ClientHello | undefined {
  let at = 0;
  const need = (n: number): boolean => b.length - at >= n;
  if (!need(35)) return undefined;
  const clientVersion = b.readUInt16BE(0);
  const random = b.subarray(2, 34);
  at = 34;
  const sidLen = b[at++]!;
  if (sidLen > 32 || !need(sidLen + 1)) return undefined;
  const sessionId = b.subarray(at, at + sidLen);
  at += sidLen;
  const cookieAt = at;
  const cookieLen = b[at++]!;
  if (!need(cookieLen + 2)) return undefined;
  const cookie = b.subarray(at, at + cookieLen);
  at += cookieLen;
  const afterCookie = at;
  const csLen = b.readUInt16BE(at);
  at += 2;
  if (csLen < 2 || csLen % 2 !== 0 || !need(csLen + 1)) return undefined;
  const cipherSuites: number[] = [];
  for (let i = 0; i < csLen; i += 2) cipherSuites.push(b.readUInt16BE(at + i));
  at += csLen;
  const cmLen = b[at++]!;
  if (cmLen < 1 || !need(cmLen)) return undefined;
  const compressionMethods = b.subarray(at, at + cmLen);
  at += cmLen;
  const extensions = new Map<number, Buffer>();
  if (at < b.length) {
    if (!need(2)) return undefined;
    const extLen = b.readUInt16BE(at);
    at += 2;
    if (extLen !== b.length - at) return undefined;
    while (at < b.length) {
      if (!need(4)) return undefined;
      const type = b.readUInt16BE(at);
      const len = b.readUInt16BE(at + 2);
      at += 4;
      if (!need(len) || extensions.has(type)) return undefined;
      extensions.set(type, b.subarray(at, at + len));
      at += len;
    }
  }
  return {
    clientVersion,
    random,
    sessionId,
    cookie,
    cipherSuites,
    compressionMethods,
    extensions,
    cookieInput: [b.subarray(0, cookieAt), b.subarray(afterCookie)],
  };
}

/** HelloVerifyRequest body: server_version (DTLS 1.0 as RFC 6347 §4.2.1 advises) and the cookie. */
export function helloVerifyRequestBody(version: number, cookie: Buffer): Buffer {
  const out = Buffer.allocUnsafe(3 + cookie.length);
  out.writeUInt16BE(version, 0);
  out[2] = cookie.length;
  cookie.copy(out, 3);
  return out;
}

/** ServerHello body with the given extensions (type, data), none if empty. */
export function serverHelloBody(
  version: number,
  random: Buffer,
  sessionId: Buffer,
  suite: number,
  extensions: readonly (readonly [number, Buffer])[],
): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.allocUnsafe(2);
  head.writeUInt16BE(version, 0);
  parts.push(head, random, Buffer.of(sessionId.length), sessionId);
  const tail = Buffer.allocUnsafe(3);
  tail.writeUInt16BE(suite, 0);
  tail[2] = 0; // compression null
  parts.push(tail);
  if (extensions.length > 0) {
    const exts = extensions.map(([type, data]) => {
      const h = Buffer.allocUnsafe(4);
      h.writeUInt16BE(type, 0);
      h.writeUInt16BE(data.length, 2);
      return Buffer.concat([h, data]);
    });
    const all = Buffer.concat(exts);
    const len = Buffer.allocUnsafe(2);
    len.writeUInt16BE(all.length, 0);
    parts.push(len, all);
  }
  return Buffer.concat(parts);
}

/** ServerKeyExchange of plain PSK: the identity hint (RFC 4279 §2). */
export function pskServerKeyExchangeBody(hint: Buffer): Buffer {
  const out = Buffer.allocUnsafe(2 + hint.length);
  out.writeUInt16BE(hint.length, 0);
  hint.copy(out, 2);
  return out;
}

/** The PSK identity of a ClientKeyExchange; undefined if malformed or longer than `maxIdentity`. */
export function parsePskClientKeyExchange(b: Buffer, maxIdentity: number): Buffer | undefined {
  if (b.length < 2) return undefined;
  const len = b.readUInt16BE(0);
  if (len !== b.length - 2 || len > maxIdentity) return undefined;
  return b.subarray(2);
}
