/**
 * The demo's status line (scripts/demo-status.ts): every figure from one snapshot of the edge agent's
 * counters, adding up on the line (received = delivered + buffered + dropped), so "delivered" can
 * never exceed "received" — the cloud's total, which also counts the simulated gateways, is not on it.
 */
import t from 'tap';
import { demoFigures, demoStatusLine, parseDemoStatusLine } from '../../scripts/demo-status.js';
import type { AgentStatus } from '../../edge/api/status.js';

type Shown = Pick<AgentStatus, 'gatewayId' | 'store' | 'uplink' | 'devices'>;

function status(o: {
  accepted: number;
  acked: number;
  rows: number;
  cap?: number;
  ttl?: number;
  rejected?: number;
  quarantinedCloud?: number;
}): Shown {
  return {
    gatewayId: 'gw-demo-001',
    store: {
      rows: o.rows,
      dropped: { cap: o.cap ?? 0, ttl: o.ttl ?? 0, rejected: o.rejected ?? 0 },
      counters: {
        readings_accepted: o.accepted,
        readings_acked: o.acked,
        quarantined_cloud: o.quarantinedCloud ?? 0,
        quarantined_edge: 7,
      },
    } as unknown as AgentStatus['store'],
    uplink: { state: 'connected' } as AgentStatus['uplink'],
    devices: [{}, {}, {}] as AgentStatus['devices'],
  };
}

t.test('the figures add up on the line', async (t) => {
  const line = demoStatusLine(
    status({ accepted: 1000, acked: 950, rows: 40, cap: 3, ttl: 2, rejected: 4, quarantinedCloud: 1 }),
  );
  t.equal(line, 'gw-demo-001: received 1000 = delivered 950 + buffered 40 + dropped 10  uplink connected  devices 3');
  const f = parseDemoStatusLine(line)!;
  t.equal(f.received, f.delivered + f.buffered + f.dropped);
  t.same(
    demoFigures(status({ accepted: 5, acked: 0, rows: 5 })),
    { received: 5, delivered: 0, buffered: 5, dropped: 0 },
    'readings refused at the edge were never received into the store',
  );
  t.equal(
    parseDemoStatusLine('readings in 5  buffered 0  delivered 9  uplink connected'),
    undefined,
    'the old line, whose figures came from two processes, is not one',
  );
});
