/**
 * One instrument connection: bytes → frames (deframer) → packets. A data upload is decoded into
 * readings and handed to the store at once; only once the store has committed them is the 9014
 * reply written (when the Flag asks), replies strictly in the order of the frames. A bad frame is logged and
 * counted; the connection goes on. Reading pauses while too many frames wait for the store.
 */
import type { Socket } from 'node:net';
import { isYiwangError, YiwangError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { Reading } from '../../../proto/reading.js';
import type { LogLimiter } from '../../../common/log-limiter.js';
import type { UplinkSink } from '../types.js';
import { Hj212Deframer } from './frame.js';
import { decodeDataMessage, HJ212_DATA_CN, verifyIdentity } from './messages.js';
import { dataReadings } from './readings.js';
import { buildDataReply, buildRequestReply, QN_RTN, replyWanted } from './replies.js';
import { parseSegment, type Hj212Packet } from './segment.js';
import type { Hj212Instrument } from './instruments.js';

export interface Hj212Counters {
  connections: number;
  /** Refused: every slot held by a proven instrument (hj212.max_connections). */
  refused: number;
  /** Refused: every connection of that source is a proven instrument (hj212.max_connections_per_source). */
  refusedPerSource: number;
  /** Never-valid connections closed to make room for a new one (either cap). */
  evicted: number;
  /** Closed without a valid frame within hj212.first_frame_timeout_ms. */
  firstFrameTimeouts: number;
  idleClosed: number;
  frames: number;
  rejected: number;
  dataMessages: number;
  otherMessages: number;
  readings: number;
  duplicates: number;
  replies: number;
  storeErrors: number;
}

export interface ConnectionContext {
  sink: UplinkSink;
  log: Logger;
  counters: Hj212Counters;
  maxSegmentLength: number;
  maxPendingFrames: number;
  utcOffsetMinutes: number;
  replyOnError: boolean;
  instrument(mn: string | undefined): { instrument?: Hj212Instrument; pw?: string; allowed: boolean };
  onUplink?(deviceId: string, readings: number): void;
  /** The connection's first valid frame (CRC, MN and PW accepted) has arrived. */
  onProven?(): void;
  /** Rate-limits the lines of rejected frames and messages (shared by the server's connections); without it each is logged. */
  limited?: LogLimiter;
}

const REJECT_RTN: Readonly<Record<string, number>> = {
  HJ212_ERR_PASSWORD: QN_RTN.PW_ERROR,
  HJ212_ERR_MN: QN_RTN.MN_ERROR,
  HJ212_ERR_CN: QN_RTN.CN_ERROR,
};

export class Hj212Connection {
  private readonly deframer: Hj212Deframer;
  private readonly log: Logger;
  private readonly peer: string;
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;
  /** MN seen on this connection (for logs). */
  mn: string | undefined;
  /** Bytes received on this connection. */
  bytesIn = 0;
  /** A valid frame (CRC, MN and PW accepted) has arrived on this connection. */
  proven = false;
  /** When the last byte arrived (or the connection opened), ms. */
  lastByteAt = Date.now();

  constructor(
    private readonly socket: Socket,
    private readonly ctx: ConnectionContext,
  ) {
    this.deframer = new Hj212Deframer({ maxSegmentLength: ctx.maxSegmentLength });
    this.peer = `${socket.remoteAddress}:${socket.remotePort}`;
    this.log = ctx.log.child({ peer: this.peer });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', (e) => this.log.debug({ err: e.message }, 'connection error'));
  }

  /** Reading is paused: `maxPendingFrames` frames wait for the store. */
  get paused(): boolean {
    return this.socket.isPaused();
  }

  /** Resolves when every frame received so far has been handled. */
  drained(): Promise<void> {
    return this.chain;
  }

  private onData(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.lastByteAt = Date.now();
    for (const ev of this.deframer.push(chunk)) {
      if (ev.type === 'error') {
        this.ctx.counters.rejected++;
        this.warn(ev.error.code, { mn: this.mn, err: ev.error.message }, 'HJ 212 frame rejected');
        continue;
      }
      this.ctx.counters.frames++;
      this.pending++;
      if (this.pending >= this.ctx.maxPendingFrames) this.socket.pause();
      // Parsing and the hand-over to the store start at once (frames of one connection share group
      // commits); the replies are written strictly in order, each after its own commit.
      const finish = this.handle(ev.frame.segment);
      finish.catch(() => {
        /* reported through the chain below */
      });
      this.chain = this.chain
        .then(() => finish)
        .then((reply) => reply?.())
        .catch((e: unknown) => {
          this.log.error({ err: (e as Error).message }, 'unexpected error handling an HJ 212 frame');
        })
        .finally(() => {
          this.pending--;
          if (this.pending < this.ctx.maxPendingFrames && this.socket.isPaused() && !this.closed) this.socket.resume();
        });
    }
  }

  /** A line about something the peer can repeat at will: counted and rate-limited by code when the server shares a limiter. */
  private warn(code: string, obj: Record<string, unknown>, msg: string): void {
    if (this.ctx.limited) this.ctx.limited.log('warn', code, { code, peer: this.peer, ...obj }, msg);
    else this.log.warn({ code, ...obj }, msg);
  }

  private write(frame: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(frame);
    this.ctx.counters.replies++;
  }

  private reject(p: Hj212Packet | undefined, err: YiwangError): void {
    this.ctx.counters.rejected++;
    this.warn(err.code, { mn: p?.mn ?? this.mn, cn: p?.cn, qn: p?.qn, err: err.message }, 'HJ 212 message rejected');
    if (!p || !this.ctx.replyOnError || !replyWanted(p)) return;
    try {
      this.write(buildRequestReply(p, REJECT_RTN[err.code] ?? QN_RTN.REJECTED));
    } catch {
      /* no QN: cannot be answered */
    }
  }

  /** Checks and decodes one segment now; resolves with what to send once its readings are committed. */
  private async handle(segment: string): Promise<(() => void) | undefined> {
    let p: Hj212Packet;
    try {
      p = parseSegment(segment);
    } catch (e) {
      if (isYiwangError(e)) return () => this.reject(undefined, e);
      throw e;
    }
    if (p.mn) this.mn = p.mn;
    const who = this.ctx.instrument(p.mn);
    try {
      if (!who.allowed)
        throw new YiwangError('HJ212_ERR_MN', `HJ 212: MN ${JSON.stringify(p.mn ?? '')} is not registered here`);
      verifyIdentity(p, who.pw === undefined ? {} : { pw: who.pw });
    } catch (e) {
      if (isYiwangError(e)) return () => this.reject(p, e);
      throw e;
    }
    if (!this.proven) {
      this.proven = true;
      this.ctx.onProven?.();
    }
    if (!HJ212_DATA_CN[p.cn]) {
      // Status, running time, instrument info, heartbeats …: parsed, not stored; answered when asked.
      this.ctx.counters.otherMessages++;
      this.log.debug({ mn: p.mn, cn: p.cn }, 'HJ 212 message not turned into readings');
      return replyWanted(p) && /^[23]/.test(p.cn) ? () => this.answer(p) : undefined;
    }
    let readings: Reading[];
    const deviceId = who.instrument?.id ?? `hj212:${p.mn}`;
    try {
      const msg = decodeDataMessage(p, { utcOffsetMinutes: this.ctx.utcOffsetMinutes });
      readings = dataReadings(msg, deviceId, who.instrument?.binding);
      if (msg.ignored.length)
        this.log.debug({ mn: p.mn, ignored: msg.ignored }, 'HJ 212 fields not turned into readings');
    } catch (e) {
      if (isYiwangError(e)) return () => this.reject(p, e);
      throw e;
    }
    this.ctx.counters.dataMessages++;
    if (readings.length) {
      const key = `hj212:${p.mn}:${p.cn}:${p.qn ?? readings[0]!.ts}${p.pno === undefined ? '' : `:${p.pno}`}`;
      try {
        const r = await this.ctx.sink.accept(readings, key);
        if (r === 'duplicate') this.ctx.counters.duplicates++;
        else {
          this.ctx.counters.readings += readings.length;
          this.ctx.onUplink?.(deviceId, readings.length);
        }
      } catch (e) {
        // Not stored: no reply, so the instrument sends the data again.
        this.ctx.counters.storeErrors++;
        this.log.error(
          { code: 'EDGE_ERR_STORE', mn: p.mn, err: (e as Error).message },
          'HJ 212 readings could not be stored; not confirmed',
        );
        return undefined;
      }
    }
    return replyWanted(p) ? () => this.answer(p) : undefined;
  }

  private answer(p: Hj212Packet): void {
    try {
      this.write(buildDataReply(p));
    } catch (e) {
      if (isYiwangError(e)) this.log.warn({ code: e.code, mn: p.mn, err: e.message }, 'cannot answer HJ 212 upload');
      else throw e;
    }
  }
}
