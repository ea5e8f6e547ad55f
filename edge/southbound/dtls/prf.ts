/** TLS 1.2 PRF with P_SHA256 (RFC 5246 §5) and the secrets derived from it (RFC 4279, RFC 7627). */
import { createHash, createHmac } from 'node:crypto';

/** P_SHA256(secret, seed) truncated to `length` bytes. */
export function pSha256(secret: Buffer, seed: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  let a = seed;
  let at = 0;
  while (at < length) {
    a = createHmac('sha256', secret).update(a).digest();
    const block = createHmac('sha256', secret).update(a).update(seed).digest();
    at += block.copy(out, at);
  }
  return out;
}

/** PRF(secret, label, seed) = P_SHA256(secret, label + seed). */
export function prf(secret: Buffer, label: string, seed: Buffer, length: number): Buffer {
  return pSha256(secret, Buffer.concat([Buffer.from(label, 'ascii'), seed]), length);
}

/** The plain PSK premaster secret (RFC 4279 §2): uint16 N, N zero bytes, uint16 N, the PSK. */
export function pskPremaster(psk: Buffer): Buffer {
  const n = psk.length;
  const out = Buffer.alloc(4 + 2 * n);
  out.writeUInt16BE(n, 0);
  out.writeUInt16BE(n, 2 + n);
  psk.copy(out, 4 + n);
  return out;
}

/**
 * The master secret: with the extended master secret (RFC 7627 §4) over the session hash (the
 * handshake hash up to and including ClientKeyExchange), else over the two randoms.
 */
export function masterSecret(
  premaster: Buffer,
  ems: boolean,
  sessionHash: Buffer,
  clientRandom: Buffer,
  serverRandom: Buffer,
): Buffer {
  return ems
    ? prf(premaster, 'extended master secret', sessionHash, 48)
    : prf(premaster, 'master secret', Buffer.concat([clientRandom, serverRandom]), 48);
}

export interface KeyBlock {
  readonly clientKey: Buffer;
  readonly serverKey: Buffer;
  readonly clientSalt: Buffer;
  readonly serverSalt: Buffer;
}

/** The key block of an AEAD suite with 16-byte keys and 4-byte implicit nonces (RFC 5246 §6.3). */
export function keyBlock(master: Buffer, clientRandom: Buffer, serverRandom: Buffer): KeyBlock {
  const kb = prf(master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), 40);
  return {
    clientKey: kb.subarray(0, 16),
    serverKey: kb.subarray(16, 32),
    clientSalt: kb.subarray(32, 36),
    serverSalt: kb.subarray(36, 40),
  };
}

/** verify_data of a Finished message (12 bytes). */
export function finishedVerifyData(master: Buffer, client: boolean, handshakeHash: Buffer): Buffer {
  return prf(master, client ? 'client finished' : 'server finished', handshakeHash, 12);
}

/** A running SHA-256 over handshake messages, readable at any point without ending it. */
export class Transcript {
  private readonly hash = createHash('sha256');
  update(message: Buffer): void {
    this.hash.update(message);
  }
  digest(): Buffer {
    return this.hash.copy().digest();
  }
}
