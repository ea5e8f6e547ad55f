/**
 * Block1 reassembly of requests to /rd and /dp, keyed by endpoint + path (libcoap changes the
 * token per block, which node-coap's token-keyed reassembly cannot follow), under limits: the
 * size of one upload, unfinished uploads at once, from one source address, and their bytes
 * together. Part of the LwM2M server's CoAP binding (coap-dispatcher.ts uses it).
 */
import { blockValue as blockBuffer, parseBlock } from '../../coap/block1.js';
import { uintBuffer, type WireReply } from './exchange.js';

export interface Block1UploadLimits {
  /** Largest Block1 upload reassembled. */
  maxUploadBytes: number;
  /** Unfinished Block1 uploads at once (default 256). */
  maxUploads?: number;
  /** Bytes of all unfinished Block1 uploads together (default 4 MiB). */
  maxUploadTotalBytes?: number;
  /** Unfinished Block1 uploads are dropped after this long. */
  blockTimeoutMs?: number;
  /** Unfinished Block1 uploads at once from one source IP address, any port (default 16): one host cannot hold every slot. */
  maxUploadsPerAddress?: number;
}

/**
 * What one block comes to: the whole payload (the last block; `echo` is the Block1 option of the
 * final answer), or an answer to send now (a refusal, or 2.31 for the next block) with the
 * Block1 option it carries, if any.
 */
export type Block1Step = { payload: Buffer; echo: Buffer } | { answer: WireReply; block1?: Buffer };

const MAX_UPLOADS = 256;
const MAX_UPLOAD_TOTAL_BYTES = 4 * 1024 * 1024;
const MAX_UPLOADS_PER_ADDRESS = 16;

interface Upload {
  parts: Buffer[];
  /** Payload bytes held (the per-upload limit). */
  bytes: number;
  /** The key's length, counted in the total budget with the payloads (a Register's query can be long). */
  keyBytes: number;
  next: number;
  at: number;
  address: string;
}

/**
 * The key of an upload: the endpoint name is in the query of a Register (repeated in every
 * block); /rd/{id} and /dp are per peer.
 */
export function uploadKey(
  method: string,
  query: readonly string[],
  path: readonly string[],
  peer: { address: string; port: number },
): string {
  const ep = query.find((q) => q.startsWith('ep='));
  return `${method}|${ep ?? `${peer.address}:${peer.port}`}|${path.join('/')}`;
}

export class Block1Uploads {
  private prunedAt = 0;
  private readonly uploads = new Map<string, Upload>();
  /** Unfinished uploads per source address (entries only while it has one). */
  private readonly byAddress = new Map<string, number>();
  private bytes = 0;

  /** `counters`: where refusals for lack of room are counted (the dispatcher's counters). */
  constructor(
    private readonly opts: Block1UploadLimits,
    private readonly counters: { uploadsRefused: number },
  ) {}

  /** Drops unfinished uploads that timed out (at most once a second). */
  prune(now: number): void {
    if (this.uploads.size === 0 || now - this.prunedAt < 1000) return;
    this.prunedAt = now;
    for (const [k, u] of this.uploads) if (now - u.at > (this.opts.blockTimeoutMs ?? 60_000)) this.drop(k);
  }

  private drop(key: string): void {
    const up = this.uploads.get(key);
    if (!up) return;
    this.bytes -= up.bytes + up.keyBytes;
    this.uploads.delete(key);
    const n = (this.byAddress.get(up.address) ?? 1) - 1;
    if (n > 0) this.byAddress.set(up.address, n);
    else this.byAddress.delete(up.address);
  }

  /** Unfinished Block1 uploads and their bytes. */
  stats(): { uploads: number; uploadBytes: number } {
    return { uploads: this.uploads.size, uploadBytes: this.bytes };
  }

  /** Takes one block (`block1`: its Block1 option) of the upload `key` from `address`. */
  take(key: string, address: string, block1: Buffer, payload: Buffer, now: number): Block1Step {
    const block = parseBlock(block1);
    if (!block) return { answer: { code: '4.00', payload: 'LWM2M_ERR_BLOCK: malformed Block1 option' } };
    const size = 2 ** (block.szx + 4);
    let up = this.uploads.get(key);
    if (block.num === 0) {
      this.drop(key);
      if (block.more && this.uploads.size >= (this.opts.maxUploads ?? MAX_UPLOADS)) {
        this.counters.uploadsRefused++;
        return {
          answer: {
            code: '5.03',
            payload: `LWM2M_ERR_BLOCK: ${this.uploads.size} uploads unfinished, try later`,
            options: [{ name: 'Max-Age', value: uintBuffer(30) }],
          },
        };
      }
      if (
        block.more &&
        (this.byAddress.get(address) ?? 0) >= (this.opts.maxUploadsPerAddress ?? MAX_UPLOADS_PER_ADDRESS)
      ) {
        this.counters.uploadsRefused++;
        return {
          answer: {
            code: '4.29',
            payload: `LWM2M_ERR_BLOCK: too many unfinished uploads from ${address}, try later`,
            options: [{ name: 'Max-Age', value: uintBuffer(30) }],
          },
        };
      }
      up = { parts: [], bytes: 0, keyBytes: key.length, next: 0, at: now, address };
      this.bytes += up.keyBytes;
      this.uploads.set(key, up);
      this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    }
    if (!up || block.num !== up.next || (block.more && payload.length !== size)) {
      this.drop(key);
      return {
        answer: {
          code: '4.08',
          payload: `LWM2M_ERR_BLOCK: block ${block.num} out of order (expected ${up?.next ?? 0})`,
        },
        block1,
      };
    }
    if (up.bytes + payload.length > this.opts.maxUploadBytes) {
      this.drop(key);
      return {
        answer: {
          code: '4.13',
          payload: `LWM2M_ERR_BLOCK: upload exceeds ${this.opts.maxUploadBytes} bytes`,
          options: [{ name: 'Size1', value: uintBuffer(this.opts.maxUploadBytes) }],
        },
      };
    }
    if (this.bytes + payload.length > (this.opts.maxUploadTotalBytes ?? MAX_UPLOAD_TOTAL_BYTES)) {
      this.drop(key); // this upload costs only itself: the others go on
      this.counters.uploadsRefused++;
      return {
        answer: {
          code: '5.03',
          payload: 'LWM2M_ERR_BLOCK: upload budget full, try later',
          options: [{ name: 'Max-Age', value: uintBuffer(30) }],
        },
      };
    }
    // a copy: the payload is a view into its whole datagram, which may carry far more option bytes
    // than payload — holding the view would hold the datagram, outside every limit above
    up.parts.push(Buffer.from(payload));
    up.bytes += payload.length;
    this.bytes += payload.length;
    up.next++;
    up.at = now;
    if (block.more)
      return { answer: { code: '2.31' }, block1: blockBuffer({ num: block.num, more: true, szx: block.szx }) };
    this.drop(key);
    return { payload: Buffer.concat(up.parts), echo: blockBuffer({ ...block, more: false }) };
  }
}
