/**
 * Prometheus figures of the HTTP listener, added to the cloud's registry: requests refused by
 * reason (yiwang_http_refused_total{reason}), live-update listeners and their unsent bytes, and
 * listeners refused or dropped (yiwang_http_live_dropped_total{reason}).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RefusedCounters } from './request-guard.js';
import type { LiveHub } from './live.js';

/** A counter that follows monotonic numbers kept elsewhere, one label value per key. */
function follow(reg: Registry, name: string, help: string, label: string, read: () => Record<string, number>): void {
  const last = new Map<string, number>();
  new Counter({
    name,
    help,
    registers: [reg],
    labelNames: [label],
    collect() {
      for (const [k, v] of Object.entries(read())) {
        const d = v - (last.get(k) ?? 0);
        if (d > 0) this.inc({ [label]: k }, d);
        last.set(k, v);
      }
    },
  });
}

export function registerHttpMetrics(reg: Registry, refused: RefusedCounters, live?: LiveHub): void {
  follow(
    reg,
    'yiwang_http_refused_total',
    'HTTP requests refused before routing, by reason (host, origin, content_type, url_too_long, body_too_large, headers_too_large, bad_request, timeout, auth_throttled, connections).',
    'reason',
    () => ({ ...refused }),
  );
  if (!live) return;
  new Gauge({
    name: 'yiwang_http_live_listeners',
    help: 'Open live-update (SSE) listeners.',
    registers: [reg],
    collect() {
      this.set(live.listeners);
    },
  });
  new Gauge({
    name: 'yiwang_http_live_buffered_bytes',
    help: 'Bytes written to live-update listeners and not yet sent (all listeners).',
    registers: [reg],
    collect() {
      this.set(live.bufferedBytes());
    },
  });
  follow(
    reg,
    'yiwang_http_live_dropped_total',
    'Live-update listeners refused (full: http.live_max_listeners, per_client: http.live_max_per_client) or disconnected (slow: unsent bytes over http.live_max_buffered_bytes).',
    'reason',
    () => {
      const s = live.stats();
      return { full: s.refusedFull, per_client: s.refusedPerClient, slow: s.droppedSlow };
    },
  );
}
