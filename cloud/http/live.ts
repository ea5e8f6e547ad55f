/**
 * Live updates for the dashboard over Server-Sent Events (GET /api/v1/live): `summary` when the
 * fleet figures changed, `gateway` rows whose status changed, `event` for each new event. One
 * summary read and one event query per tick for all listeners together.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../common/log.js';
import type { CloudStore } from '../store/store.js';
import type { HealthService } from '../health/health-service.js';
import { rowOf } from '../health/gateway-table.js';

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private lastSummary = '';
  private lastEventId = -1;
  private readonly changed = new Set<string>();
  private ticking = false;
  private beats = 0;
  private readonly log: Logger;

  constructor(private readonly health: HealthService, private readonly store: CloudStore, private readonly intervalMs: number, log: Logger) {
    this.log = log.child({ component: 'live' });
    health.on('status', (c) => this.changed.add(c.gatewayId));
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  get listeners(): number { return this.clients.size; }

  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    this.lastSummary = ''; // the newcomer gets the current summary on the next tick
    req.on('close', () => this.clients.delete(res));
  }

  private send(event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of this.clients) c.write(frame);
  }

  async tick(): Promise<void> {
    if (this.ticking || this.clients.size === 0) return;
    this.ticking = true;
    try {
      if (this.lastEventId < 0) this.lastEventId = (await this.store.listEvents({ limit: 1 }))[0]?.id ?? 0;
      const s = await this.health.summary();
      const key = JSON.stringify({ ...s, atMs: 0 });
      if (key !== this.lastSummary) { this.lastSummary = key; this.send('summary', s); }
      for (const id of this.changed) {
        const g = this.health.gateway(id);
        if (g) this.send('gateway', rowOf(g));
      }
      this.changed.clear();
      const events = await this.store.listEvents({ afterId: this.lastEventId, limit: 200 });
      for (const e of events) { this.send('event', e); this.lastEventId = Math.max(this.lastEventId, e.id); }
      if (++this.beats % 15 === 0) for (const c of this.clients) c.write(': keep-alive\n\n');
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'live tick failed');
    } finally {
      this.ticking = false;
    }
  }
}
