/**
 * Live updates for the dashboard over Server-Sent Events (GET /api/v1/live): `summary` when the
 * fleet figures changed, `gateway` rows whose status changed, `event` for each new event. One
 * summary read and one event query per tick for all listeners together.
 *
 * Bounded (docs/reference/limits.md): at most `maxListeners` listeners and `maxPerClient` per
 * client address (503 CLOUD_ERR_LIVE_FULL beyond). A tick's frames go out as one write per
 * listener; a listener that still has unsent bytes (res.writableLength: what the kernel did not
 * take yet) and would pass `maxBufferedBytes` with the new ones is disconnected and counted
 * (droppedSlow). A tick holds about `maxBufferedBytes` at most (gateway rows and events past it
 * wait for the next tick), so a stalled reader costs at most about twice the cap and never makes
 * the cloud buffer without bound, while one that keeps up always gets the whole tick. A browser's
 * EventSource reconnects by itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { YiwangError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { CloudStore } from '../store/cloud-store.js';
import type { HealthService } from '../health/health-service.js';
import { rowOf } from '../health/gateway-table.js';
import type { LiveMessages } from './api-types.js';
import { CLOUD_SCHEMA } from '../config.js';

/** Limits of the live-update listeners (http.live_* options). */
export interface LiveLimits {
  maxListeners: number;
  maxPerClient: number;
  maxBufferedBytes: number;
}
/** The defaults of the http.live_* options (cloud/config.ts). */
export const DEFAULT_LIVE_LIMITS: Readonly<LiveLimits> = {
  maxListeners: CLOUD_SCHEMA.http.live_max_listeners.default,
  maxPerClient: CLOUD_SCHEMA.http.live_max_per_client.default,
  maxBufferedBytes: CLOUD_SCHEMA.http.live_max_buffered_bytes.default,
};

export interface LiveStats {
  listeners: number;
  bufferedBytes: number;
  refusedFull: number;
  refusedPerClient: number;
  droppedSlow: number;
}

export class LiveHub {
  /** listener → its client address */
  private readonly clients = new Map<ServerResponse, string>();
  private readonly perClient = new Map<string, number>();
  private readonly limits: LiveLimits;
  private refusedFull = 0;
  private refusedPerClient = 0;
  private droppedSlow = 0;
  private lastSlowLog = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastSummary = '';
  private lastEventId = -1;
  private readonly changed = new Set<string>();
  private ticking = false;
  private beats = 0;
  private readonly log: Logger;

  constructor(
    private readonly health: HealthService,
    private readonly store: CloudStore,
    private readonly intervalMs: number,
    log: Logger,
    limits: Partial<LiveLimits> = {},
  ) {
    this.log = log.child({ component: 'live' });
    this.limits = { ...DEFAULT_LIVE_LIMITS, ...limits };
    health.on('status', (c) => this.changed.add(c.gatewayId));
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const c of [...this.clients.keys()]) {
      c.destroy();
      this.detach(c);
    }
  }

  get listeners(): number {
    return this.clients.size;
  }

  /** Bytes written to listeners and not sent yet, all listeners together. */
  bufferedBytes(): number {
    let n = 0;
    for (const c of this.clients.keys()) n += c.writableLength;
    return n;
  }

  stats(): LiveStats {
    return {
      listeners: this.clients.size,
      bufferedBytes: this.bufferedBytes(),
      refusedFull: this.refusedFull,
      refusedPerClient: this.refusedPerClient,
      droppedSlow: this.droppedSlow,
    };
  }

  /** Makes the request a listener, or throws CLOUD_ERR_LIVE_FULL (before anything is written) at a limit. */
  attach(req: IncomingMessage, res: ServerResponse): void {
    // the client left while the request was authenticated: its 'close' has fired already and would never detach it
    if (res.destroyed) return;
    const addr = req.socket.remoteAddress ?? '';
    const mine = this.perClient.get(addr) ?? 0;
    if (this.clients.size >= this.limits.maxListeners) {
      this.refusedFull++;
      throw new YiwangError(
        'CLOUD_ERR_LIVE_FULL',
        `${this.clients.size} live listeners are open (http.live_max_listeners)`,
      );
    }
    if (mine >= this.limits.maxPerClient) {
      this.refusedPerClient++;
      throw new YiwangError(
        'CLOUD_ERR_LIVE_FULL',
        `${mine} live listeners are open from ${addr} (http.live_max_per_client)`,
      );
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.clients.set(res, addr);
    this.perClient.set(addr, mine + 1);
    this.lastSummary = ''; // the newcomer gets the current summary on the next tick
    res.on('close', () => this.detach(res));
  }

  private detach(res: ServerResponse): void {
    const addr = this.clients.get(res);
    if (addr === undefined) return;
    this.clients.delete(res);
    const left = (this.perClient.get(addr) ?? 1) - 1;
    if (left > 0) this.perClient.set(addr, left);
    else this.perClient.delete(addr);
  }

  /** Writes to every listener; one with unsent bytes that would pass the cap with these is disconnected instead. */
  private broadcast(frames: string): void {
    if (!frames) return;
    const bytes = Buffer.byteLength(frames);
    for (const [c, addr] of [...this.clients]) {
      if (c.writableLength === 0 || c.writableLength + bytes <= this.limits.maxBufferedBytes) {
        c.write(frames);
        continue;
      }
      this.droppedSlow++;
      const buffered = c.writableLength;
      c.destroy();
      this.detach(c);
      if (Date.now() - this.lastSlowLog >= 10_000) {
        this.lastSlowLog = Date.now();
        this.log.warn(
          {
            code: 'CLOUD_ERR_LIVE_SLOW',
            addr,
            buffered,
            maxBufferedBytes: this.limits.maxBufferedBytes,
            droppedSlow: this.droppedSlow,
          },
          'live listener does not read: disconnected',
        );
      }
    }
  }

  private static frame<E extends keyof LiveMessages>(event: E, data: LiveMessages[E]): string {
    return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  async tick(): Promise<void> {
    if (this.ticking || this.clients.size === 0) return;
    this.ticking = true;
    try {
      if (this.lastEventId < 0) this.lastEventId = (await this.store.listEvents({ limit: 1 }))[0]?.id ?? 0;
      // one write per listener per tick, of at most about the buffer cap: gateway rows and events past it wait for the next tick
      const frames: string[] = [];
      let bytes = 0;
      const add = (f: string): void => {
        frames.push(f);
        bytes += Buffer.byteLength(f);
      };
      const room = (): boolean => bytes < this.limits.maxBufferedBytes;
      const s = await this.health.summary();
      const key = JSON.stringify({ ...s, atMs: 0 });
      if (key !== this.lastSummary) {
        this.lastSummary = key;
        add(LiveHub.frame('summary', s));
      }
      for (const id of this.changed) {
        if (!room()) break;
        this.changed.delete(id);
        const g = this.health.gateway(id);
        if (g) add(LiveHub.frame('gateway', rowOf(g)));
      }
      if (room()) {
        const events = await this.store.listEvents({ afterId: this.lastEventId, limit: 200 });
        for (const e of events) {
          if (!room()) break;
          add(LiveHub.frame('event', e));
          this.lastEventId = Math.max(this.lastEventId, e.id);
        }
      }
      if (++this.beats % 15 === 0) add(': keep-alive\n\n');
      this.broadcast(frames.join(''));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'live tick failed');
    } finally {
      this.ticking = false;
    }
  }
}
