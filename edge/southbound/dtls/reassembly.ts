/**
 * Handshake message reassembly (RFC 6347 §4.2.3): fragments of the next expected messages are
 * collected until whole, messages come out in message_seq order. Every limit is checked before a
 * buffer is allocated for outside bytes: a message's declared length, the number of messages
 * buffered ahead, and the number of disjoint ranges per message.
 */
import type { HandshakeFragment } from './handshake-messages.js';

export interface ReassemblyLimits {
  /** Largest handshake message body accepted (declared length). */
  readonly maxMessageLength: number;
  /** Most messages buffered at once (the next expected one and those after it). */
  readonly maxBufferedMessages: number;
}

export interface HandshakeMessage {
  readonly msgType: number;
  readonly messageSeq: number;
  readonly body: Buffer;
}

/** Why a fragment was refused: the handshake fails (limits) or the fragment is just ignored. */
export type FragmentResult = 'ok' | 'old' | 'too-large' | 'too-many' | 'inconsistent';

const MAX_RANGES = 32;

interface Pending {
  readonly msgType: number;
  readonly buf: Buffer;
  /** Received byte ranges [start, end), sorted and merged. */
  ranges: [number, number][];
}

export class Reassembler {
  private readonly pending = new Map<number, Pending>();
  private next: number;

  constructor(
    private readonly limits: ReassemblyLimits,
    firstSeq: number,
  ) {
    this.next = firstSeq;
  }

  /** message_seq of the next message expected. */
  get nextSeq(): number {
    return this.next;
  }

  /** Bytes held by buffered partial messages. */
  get bufferedBytes(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.buf.length;
    return n;
  }

  /** Adds a fragment; 'old' means a message already delivered (a retransmission). */
  add(f: HandshakeFragment): FragmentResult {
    if (f.messageSeq < this.next) return 'old';
    if (f.messageSeq >= this.next + this.limits.maxBufferedMessages) return 'too-many';
    let p = this.pending.get(f.messageSeq);
    if (p === undefined) {
      if (f.length > this.limits.maxMessageLength) return 'too-large';
      p = { msgType: f.msgType, buf: Buffer.alloc(f.length), ranges: [] };
      this.pending.set(f.messageSeq, p);
    } else if (p.msgType !== f.msgType || p.buf.length !== f.length) {
      return 'inconsistent';
    }
    const start = f.fragmentOffset;
    const end = start + f.body.length;
    if (end > p.buf.length) return 'inconsistent';
    f.body.copy(p.buf, start);
    const ranges = [...p.ranges, [start, end] as [number, number]].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last !== undefined && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    if (merged.length > MAX_RANGES) return 'too-many';
    p.ranges = merged;
    return 'ok';
  }

  /** The next whole message in order, if there is one (removed from the buffer). */
  take(): HandshakeMessage | undefined {
    const p = this.pending.get(this.next);
    if (p === undefined) return undefined;
    const whole =
      p.buf.length === 0 || (p.ranges.length === 1 && p.ranges[0]![0] === 0 && p.ranges[0]![1] === p.buf.length);
    if (!whole) return undefined;
    this.pending.delete(this.next);
    return { msgType: p.msgType, messageSeq: this.next++, body: p.buf };
  }
}
