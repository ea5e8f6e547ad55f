/**
 * MQTT packet size limits in front of Aedes, which has none: its parser (mqtt-packet) buffers a
 * whole packet before anything sees it, so a CONNECT announcing 256 MB was held in memory before
 * `authenticate` ran. The scanner reads only the fixed headers (type byte, remaining length) of
 * the byte stream as the parser will get it, and says "too large" as soon as a packet's length is
 * known — before its body arrives. The caller destroys the socket.
 */
import type { Readable } from 'node:stream';

export type FrameVerdict =
  | { reason: 'too_large'; bytes: number; limit: number; packetType: number }
  | { reason: 'malformed' };

/** Follows packet boundaries across chunks; `limit` (whole packet: fixed header + remaining length) may change between packets. */
export class FrameScanner {
  /** Body bytes of the current packet still to come. */
  private skip = 0;
  private inLength = false;
  private type = 0;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  /** Packets whose header passed. */
  packets = 0;

  constructor(public limit: number) {}

  /** Scans the next bytes of the stream; a verdict means the connection must go. */
  feed(b: Buffer): FrameVerdict | undefined {
    let i = 0;
    while (i < b.length) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, b.length - i);
        this.skip -= k;
        i += k;
        continue;
      }
      const byte = b[i++]!;
      if (!this.inLength) {
        this.inLength = true;
        this.type = byte >> 4;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (byte & 0x80) {
        if (this.lengthBytes >= 4) return { reason: 'malformed' }; // MQTT allows at most 4 length bytes
        continue;
      }
      const bytes = 1 + this.lengthBytes + this.length;
      if (bytes > this.limit) return { reason: 'too_large', bytes, limit: this.limit, packetType: this.type };
      this.inLength = false;
      this.skip = this.length;
      this.packets++;
    }
    return undefined;
  }
}

/**
 * Shows every chunk a stream hands out through `read()` to `check` before its consumer gets it;
 * when `check` returns false the stream is destroyed and the consumer gets nothing. Aedes 1.2
 * consumes its connection with `readable` events and `conn.read(null)` (lib/client.js nextBatch),
 * so this sees exactly the bytes its parser will see, without a copy or a second stream, and the
 * connection Aedes holds stays the real socket (address, backpressure, destroy unchanged).
 * test/cloud/broker/packet-limits.test.ts fails if that ever stops being true.
 */
export function meterReads(stream: Readable, check: (chunk: Buffer) => boolean): void {
  const read = stream.read;
  stream.read = function meteredRead(this: Readable, size?: number): unknown {
    const chunk: unknown = read.call(this, size);
    if (!Buffer.isBuffer(chunk) || chunk.length === 0 || check(chunk)) return chunk;
    this.destroy();
    return null;
  };
}
