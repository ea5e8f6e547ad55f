/**
 * Reassembly of Block1 uploads (RFC 7959) for the CoAP uplink server, in place of node-coap's,
 * which keys transfers by token (libcoap draws a new token for every block, so its uploads
 * failed with 5.00) and keeps every unfinished one 247 s without any cap (a flood of ~120k
 * unfinished 1 KiB uploads took the agent past its heap limit).
 *
 * A transfer is keyed by the peer (address:port) and the request target (method, Uri-Host,
 * Uri-Port, Uri-Path, Uri-Query, Request-Tag), never by the token. Blocks must come in order;
 * a retransmitted block is acknowledged again without being stored twice. Limits:
 *  - `maxPayloadBytes` on the assembled size (4.13 with Size1; also at block 0 when the
 *    request's Size1 announces more);
 *  - `budgetBytes` over all transfers (their buffers, keys and a fixed overhead each), and
 *    `maxTransfers` transfers at once: a new transfer beyond either answers 5.03 with Max-Age
 *    (the time until the least recently active transfer expires);
 *  - `maxPerAddress` transfers at once from one source address (any port): 4.29 Too Many
 *    Requests with Max-Age, so that one host cannot take the whole budget;
 *  - `idleMs`: a transfer with no block for this long is dropped (counted `expired`).
 * The last blocks of recently completed uploads are kept (within the budget, at most
 * RECENT_MAX) so that a retransmitted last block is handed on again with the whole payload and
 * answered as the duplicate it is.
 */

export interface Block1Limits {
  maxPayloadBytes: number;
  budgetBytes: number;
  maxTransfers: number;
  maxPerAddress: number;
  idleMs: number;
}

export interface BlockOption {
  num: number;
  more: boolean;
  szx: number;
}

/** A Block1/Block2 option value (0-3 bytes), or undefined for a malformed one (longer, or SZX 7). */
export function parseBlock(buf: Buffer): BlockOption | undefined {
  if (buf.length > 3) return undefined;
  let v = 0;
  for (const b of buf) v = v * 256 + b;
  const szx = v & 7;
  if (szx === 7) return undefined;
  return { num: v >>> 4, more: (v & 8) !== 0, szx };
}

export function blockValue(b: BlockOption): Buffer {
  const v = b.num * 16 + (b.more ? 8 : 0) + b.szx;
  if (v === 0) return Buffer.alloc(0);
  if (v < 0x100) return Buffer.from([v]);
  if (v < 0x10000) return Buffer.from([v >> 8, v & 0xff]);
  return Buffer.from([v >> 16, (v >> 8) & 0xff, v & 0xff]);
}

export type Block1Refusal = 'tooLarge' | 'incomplete' | 'badBlock' | 'budgetFull' | 'transfersFull' | 'perAddressFull';

export type Block1Outcome =
  /** More blocks to come: answer 2.31 Continue with `echo` as Block1. */
  | { kind: 'continue'; echo: Buffer }
  /** The upload is whole: hand the request on with `payload`; its answer carries `echo` as Block1. */
  | { kind: 'complete'; payload: Buffer; echo: Buffer }
  /** A last block of no transfer known here: node-coap's response cache may still answer it (a retransmission). */
  | { kind: 'unknown'; detail: string; echo: Buffer }
  | {
      kind: 'refuse';
      code: '4.00' | '4.08' | '4.13' | '4.29' | '5.03';
      reason: Block1Refusal;
      detail: string;
      size1?: number;
      maxAgeS?: number;
      echo?: Buffer;
    };

export interface Block1Stats {
  /** Unfinished transfers held now, and the bytes they (and the recent completed ones) account for. */
  transfers: number;
  bytes: number;
  started: number;
  completed: number;
  /** Dropped after `idleMs` without a block. */
  expired: number;
  tooLarge: number;
  incomplete: number;
  badBlock: number;
  budgetFull: number;
  transfersFull: number;
  perAddressFull: number;
}

interface Transfer {
  address: string;
  buf: Buffer;
  bytes: number;
  /** Bytes this transfer accounts for: buffer capacity, key and TRANSFER_OVERHEAD. */
  held: number;
  firstMid: number;
  lastNum: number;
  lastMid: number;
  at: number;
}

interface Recent {
  mid: number;
  num: number;
  szx: number;
  payload: Buffer;
  held: number;
  at: number;
}

/** Bytes counted per transfer besides its buffer and key (objects, map entries), measured roughly. */
export const TRANSFER_OVERHEAD = 320;
const RECENT_MAX = 64;

export class Block1Assembler {
  /** In order of last activity (a block re-inserts its transfer): the first is the idlest. */
  private readonly transfers = new Map<string, Transfer>();
  private readonly recent = new Map<string, Recent>();
  private readonly perAddress = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  readonly stats: Block1Stats = {
    transfers: 0,
    bytes: 0,
    started: 0,
    completed: 0,
    expired: 0,
    tooLarge: 0,
    incomplete: 0,
    badBlock: 0,
    budgetFull: 0,
    transfersFull: 0,
    perAddressFull: 0,
  };

  constructor(private readonly limits: Block1Limits) {}

  /** Starts the sweep of idle transfers (memory is freed even when no datagram comes). */
  start(): void {
    this.timer = setInterval(() => this.sweep(Date.now()), Math.max(250, Math.floor(this.limits.idleMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.transfers.clear();
    this.recent.clear();
    this.perAddress.clear();
    this.stats.transfers = 0;
    this.stats.bytes = 0;
  }

  /**
   * One block of the transfer `target` from `address:port`. `mid` is the block's message id,
   * `size1` the request's Size1 option (the total size announced), if any.
   */
  offer(
    address: string,
    port: number,
    target: string,
    mid: number,
    block: BlockOption,
    payload: Buffer,
    size1: number | undefined,
    now: number,
  ): Block1Outcome {
    this.sweep(now);
    const key = `${address}:${port}|${target}`;
    const size = 16 << block.szx;
    const echo = blockValue(block);
    const t = this.transfers.get(key);
    if (
      t &&
      ((block.num === 0 && mid === t.firstMid) ||
        (block.num > 0 && block.num * size < t.bytes) ||
        (block.num === t.lastNum && mid === t.lastMid))
    ) {
      // a retransmission of a block already taken (its 2.31 was lost, or it came late)
      this.touch(key, t, now);
      return { kind: 'continue', echo };
    }
    const done = this.recent.get(key);
    if (done && done.mid === mid && done.num === block.num)
      return {
        kind: 'complete',
        payload: done.payload,
        echo: blockValue({ num: done.num, more: false, szx: done.szx }),
      };
    if (block.more && payload.length !== size) {
      if (t) this.remove(key, t);
      return this.refuse('4.00', 'badBlock', `block ${block.num} carries ${payload.length} bytes, its size is ${size}`);
    }
    if (!block.more && payload.length > size) {
      if (t) this.remove(key, t);
      return this.refuse(
        '4.00',
        'badBlock',
        `last block ${block.num} carries ${payload.length} bytes, more than its size ${size}`,
      );
    }
    if (block.num === 0) {
      if (t) this.remove(key, t); // the client starts over
      if (done) this.forget(key, done);
      if (size1 !== undefined && size1 > this.limits.maxPayloadBytes)
        return this.tooLarge(`Size1 announces ${size1} bytes`);
      if (!block.more)
        return payload.length > this.limits.maxPayloadBytes
          ? this.tooLarge(`payload of ${payload.length} bytes`)
          : { kind: 'complete', payload, echo }; // a transfer of one block
      return this.begin(key, address, mid, payload, now, echo);
    }
    if (!t) {
      if (!block.more)
        return {
          kind: 'unknown',
          detail: `block ${block.num} of an upload whose earlier blocks did not arrive (or expired)`,
          echo,
        };
      return this.refuse(
        '4.08',
        'incomplete',
        `block ${block.num} of an upload whose earlier blocks did not arrive (or expired)`,
      );
    }
    if (block.num * size !== t.bytes) {
      this.remove(key, t);
      return this.refuse(
        '4.08',
        'incomplete',
        `block ${block.num} of ${size} bytes starts at byte ${block.num * size}, expected byte ${t.bytes}`,
      );
    }
    const total = t.bytes + payload.length;
    if (total > this.limits.maxPayloadBytes) {
      this.remove(key, t);
      return this.tooLarge(`upload exceeds ${this.limits.maxPayloadBytes} bytes at block ${block.num}`);
    }
    if (total > t.buf.length && !this.grow(t, total)) {
      this.remove(key, t);
      return this.full(
        'budgetFull',
        `no room to continue the upload (${this.limits.budgetBytes} bytes of uploads held)`,
        now,
      );
    }
    payload.copy(t.buf, t.bytes);
    t.bytes = total;
    t.lastNum = block.num;
    t.lastMid = mid;
    if (block.more) {
      this.touch(key, t, now);
      return { kind: 'continue', echo };
    }
    this.remove(key, t);
    this.stats.completed++;
    const whole = t.buf.subarray(0, t.bytes);
    this.remember(key, { mid, num: block.num, szx: block.szx, payload: whole, held: t.held, at: now });
    return { kind: 'complete', payload: whole, echo };
  }

  /** Drops transfers idle for `idleMs` and completed ones kept as long. */
  sweep(now: number): void {
    for (const [key, t] of this.transfers) {
      if (now - t.at < this.limits.idleMs) break;
      this.remove(key, t);
      this.stats.expired++;
    }
    for (const [key, r] of this.recent) {
      if (now - r.at < this.limits.idleMs) break;
      this.forget(key, r);
    }
  }

  private begin(key: string, address: string, mid: number, payload: Buffer, now: number, echo: Buffer): Block1Outcome {
    const perAddress = this.perAddress.get(address) ?? 0;
    if (perAddress >= this.limits.maxPerAddress)
      return this.full('perAddressFull', `${perAddress} uploads from ${address} unfinished`, now);
    if (this.transfers.size >= this.limits.maxTransfers)
      return this.full('transfersFull', `${this.transfers.size} uploads unfinished`, now);
    const capacity = Math.min(this.limits.maxPayloadBytes, payload.length * 2);
    const held = capacity + key.length + TRANSFER_OVERHEAD;
    if (!this.makeRoom(held)) return this.full('budgetFull', `${this.stats.bytes} bytes of uploads held`, now);
    // allocUnsafeSlow: a buffer of its own (a pooled slice would keep an 8 KiB slab alive)
    const buf = Buffer.allocUnsafeSlow(capacity);
    payload.copy(buf, 0);
    const t: Transfer = { address, buf, bytes: payload.length, held, firstMid: mid, lastNum: 0, lastMid: mid, at: now };
    this.transfers.set(key, t);
    this.perAddress.set(address, perAddress + 1);
    this.stats.bytes += held;
    this.stats.transfers = this.transfers.size;
    this.stats.started++;
    return { kind: 'continue', echo };
  }

  /** Doubles `t`'s buffer (or grows it to `need`) if the budget allows. */
  private grow(t: Transfer, need: number): boolean {
    for (const capacity of [Math.min(this.limits.maxPayloadBytes, Math.max(need, t.buf.length * 2)), need]) {
      const more = capacity - t.buf.length;
      if (!this.makeRoom(more)) continue;
      const buf = Buffer.allocUnsafeSlow(capacity);
      t.buf.copy(buf, 0, 0, t.bytes);
      t.buf = buf;
      t.held += more;
      this.stats.bytes += more;
      return true;
    }
    return false;
  }

  /** True when `bytes` more fit in the budget, after dropping completed uploads kept for retransmissions if needed. */
  private makeRoom(bytes: number): boolean {
    for (const [key, r] of this.recent) {
      if (this.stats.bytes + bytes <= this.limits.budgetBytes) break;
      this.forget(key, r);
    }
    return this.stats.bytes + bytes <= this.limits.budgetBytes;
  }

  private remember(key: string, r: Recent): void {
    if (this.recent.size >= RECENT_MAX) {
      const [oldKey, old] = this.recent.entries().next().value as [string, Recent];
      this.forget(oldKey, old);
    }
    this.recent.set(key, r);
    this.stats.bytes += r.held;
  }

  private forget(key: string, r: Recent): void {
    this.recent.delete(key);
    this.stats.bytes -= r.held;
  }

  private touch(key: string, t: Transfer, now: number): void {
    t.at = now;
    this.transfers.delete(key);
    this.transfers.set(key, t);
  }

  private remove(key: string, t: Transfer): void {
    if (!this.transfers.delete(key)) return;
    this.stats.bytes -= t.held;
    this.stats.transfers = this.transfers.size;
    const n = (this.perAddress.get(t.address) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(t.address);
    else this.perAddress.set(t.address, n);
  }

  private refuse(code: '4.00' | '4.08', reason: 'badBlock' | 'incomplete', detail: string): Block1Outcome {
    this.stats[reason]++;
    return { kind: 'refuse', code, reason, detail };
  }

  private tooLarge(detail: string): Block1Outcome {
    this.stats.tooLarge++;
    return { kind: 'refuse', code: '4.13', reason: 'tooLarge', detail, size1: this.limits.maxPayloadBytes };
  }

  /** 5.03 (4.29 for one address's cap) with Max-Age: the seconds until the idlest transfer expires. */
  private full(reason: 'budgetFull' | 'transfersFull' | 'perAddressFull', detail: string, now: number): Block1Outcome {
    this.stats[reason]++;
    const idlest = this.transfers.values().next().value as Transfer | undefined;
    const maxAgeS = Math.max(1, Math.ceil(((idlest?.at ?? now) + this.limits.idleMs - now) / 1000));
    return { kind: 'refuse', code: reason === 'perAddressFull' ? '4.29' : '5.03', reason, detail, maxAgeS };
  }
}
