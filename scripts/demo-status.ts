/**
 * The demo's live status line. Every figure comes from one source — the edge agent's status, one
 * snapshot of its store counters — and they add up on the line itself:
 *   received = delivered + buffered + dropped
 * (received: readings the agent accepted and stored; delivered: acknowledged by the cloud; buffered:
 * held in its outbox; dropped: removed unsent — store cap, age limit, batches the cloud rejected — or
 * refused one by one by the cloud). The cloud's own totals also count the simulated gateways, so they
 * are not on this line (the dashboard shows them).
 */
import type { AgentStatus } from '../edge/api/status.js';

export interface DemoFigures {
  received: number;
  delivered: number;
  buffered: number;
  dropped: number;
}

export function demoFigures(st: Pick<AgentStatus, 'store'>): DemoFigures {
  const c = st.store.counters;
  const d = st.store.dropped;
  return {
    received: c.readings_accepted ?? 0,
    delivered: c.readings_acked ?? 0,
    buffered: st.store.rows,
    dropped: d.cap + d.ttl + d.rejected + (c.quarantined_cloud ?? 0),
  };
}

export function demoStatusLine(st: Pick<AgentStatus, 'gatewayId' | 'store' | 'uplink' | 'devices'>): string {
  const f = demoFigures(st);
  return (
    `${st.gatewayId}: received ${f.received} = delivered ${f.delivered} + buffered ${f.buffered} + dropped ${f.dropped}` +
    `  uplink ${st.uplink.state}  devices ${st.devices.length}`
  );
}

/** Parses a status line back (the demo's test reads the screen). */
export function parseDemoStatusLine(line: string): DemoFigures | undefined {
  const m = /received (\d+) = delivered (\d+) \+ buffered (\d+) \+ dropped (\d+)/.exec(line);
  return m
    ? { received: Number(m[1]), delivered: Number(m[2]), buffered: Number(m[3]), dropped: Number(m[4]) }
    : undefined;
}
