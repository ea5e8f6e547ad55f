/**
 * DTLS 1.2 record layer framing (RFC 6347 §4.1) and the RFC 9146 tls12_cid record. Parsing never
 * allocates for outside bytes beyond views into the datagram, and checks lengths before use.
 */
export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
  tls12Cid: 25,
} as const;

export const DTLS_1_0 = 0xfeff;
export const DTLS_1_2 = 0xfefd;
export const RECORD_HEADER = 13;
/** Largest plaintext fragment (2^14) and ciphertext expansion allowed (RFC 5246 §6.2.3). */
export const MAX_PLAINTEXT = 16384;
export const MAX_CIPHERTEXT = MAX_PLAINTEXT + 2048;
/** 48-bit sequence numbers. */
export const MAX_SEQ = 2 ** 48 - 1;

export interface DtlsRecord {
  readonly type: number;
  readonly version: number;
  readonly epoch: number;
  readonly seq: number;
  /** The connection ID of a tls12_cid record (undefined for other records). */
  readonly cid: Buffer | undefined;
  readonly fragment: Buffer;
}

/**
 * Splits a datagram into records. `cidLength` is the length of the CIDs this server hands out
 * (records of type tls12_cid carry no CID length on the wire). Stops at the first malformed
 * record (RFC 6347 §4.1.2.7: invalid records are discarded); returns what parsed before it.
 */
export function parseRecords(datagram: Buffer, cidLength: number): DtlsRecord[] {
  const out: DtlsRecord[] = [];
  let at = 0;
  while (at < datagram.length) {
    if (datagram.length - at < RECORD_HEADER) break;
    const type = datagram[at]!;
    const version = datagram.readUInt16BE(at + 1);
    const epoch = datagram.readUInt16BE(at + 3);
    const seq = datagram.readUIntBE(at + 5, 6);
    let cid: Buffer | undefined;
    let lengthAt = at + 11;
    if (type === ContentType.tls12Cid) {
      if (cidLength === 0 || datagram.length - at < RECORD_HEADER + cidLength) break;
      cid = datagram.subarray(at + 11, at + 11 + cidLength);
      lengthAt += cidLength;
    }
    const length = datagram.readUInt16BE(lengthAt);
    const start = lengthAt + 2;
    if (length > MAX_CIPHERTEXT || start + length > datagram.length) break;
    if (version >> 8 !== 0xfe) break;
    out.push({ type, version, epoch, seq, cid, fragment: datagram.subarray(start, start + length) });
    at = start + length;
  }
  return out;
}

/** A record without CID. */
export function encodeRecord(type: number, version: number, epoch: number, seq: number, fragment: Buffer): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER + fragment.length);
  out[0] = type;
  out.writeUInt16BE(version, 1);
  out.writeUInt16BE(epoch, 3);
  out.writeUIntBE(seq, 5, 6);
  out.writeUInt16BE(fragment.length, 11);
  fragment.copy(out, RECORD_HEADER);
  return out;
}

/** A tls12_cid record (RFC 9146 §4) around an already encrypted inner plaintext. */
export function encodeCidRecord(version: number, epoch: number, seq: number, cid: Buffer, fragment: Buffer): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER + cid.length + fragment.length);
  out[0] = ContentType.tls12Cid;
  out.writeUInt16BE(version, 1);
  out.writeUInt16BE(epoch, 3);
  out.writeUIntBE(seq, 5, 6);
  cid.copy(out, 11);
  out.writeUInt16BE(fragment.length, 11 + cid.length);
  fragment.copy(out, 13 + cid.length);
  return out;
}
