/**
 * The fleet-health conformance suite against PgCloudStore, and what only several cloud nodes on one
 * database can break: counters kept in step while two nodes ingest, register, move, expire and
 * retag at once (a recount agrees afterwards).
 */
import t from 'tap';
import { decodeBatch, encodeBatch } from '../../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../../proto/index.js';
import type { CounterScope } from '../../../../cloud/health/types.js';
import type { CloudStore } from '../../../../cloud/store/cloud-store.js';
import { healthConformance } from '../health-conformance.js';
import { openPgStore } from './pg-cloud-store-helper.js';

healthConformance(t, async (st) => (await openPgStore(st)).store);

const SCOPES: CounterScope[] = ['fleet', 'district', 'site', 'group', 'type', 'gateway'];
async function allCounters(s: CloudStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const scope of SCOPES)
    for (const r of await s.counters(scope)) if (r.value !== 0) out[`${scope}/${r.key}/${r.metric}`] = r.value;
  return out;
}

t.test('two nodes writing the same gateways and devices at once keep the counters in step', async (t) => {
  const { store: a, node } = await openPgStore(t, { commitMs: 1 });
  const b = await node({ commitMs: 1 }, 'yw-test-node-b');
  const now = Date.now();
  const gws = ['gw-1', 'gw-2', 'gw-3'];
  for (const g of gws) await a.createGateway(g, 'h');
  const batch = (gw: string, seq: number, devs: string[]) =>
    decodeBatch(
      encodeBatch(
        { gatewayId: gw, epoch: 1, seq },
        devs.map((d, i) => ({
          deviceId: d,
          metric: 'v',
          unit: '',
          ts: now - 1000 + i,
          value: i,
          clock: ClockQuality.CLOCK_DEVICE,
          priority: Priority.PRIORITY_NORMAL,
        })),
        seq % 3 === 0
          ? [{ id: `e${seq}`, deviceId: devs[0]!, type: 'leak', severity: 2, tsMs: now, message: 'x', active: true }]
          : [],
      ),
    );
  // devices d-0..d-19 contested by all gateways from both nodes; registrations, moves, expiry and retags interleaved
  const work: Promise<unknown>[] = [];
  for (let seq = 1; seq <= 30; seq++)
    for (const [gi, g] of gws.entries()) {
      const devs = Array.from({ length: 6 }, (_, k) => `d-${(seq * 7 + gi * 3 + k) % 20}`);
      work.push((seq % 2 ? a : b).ingestBatch(batch(g, seq, devs)));
    }
  for (let k = 0; k < 8; k++) {
    const s = k % 2 ? a : b;
    work.push(
      s.registerDevices(
        [
          { id: `d-${k}`, gatewayId: gws[k % 3]!, type: k % 2 ? 'meter' : 'smoke', intervalS: 60, lastSeenMs: now },
          { id: `r-${k}`, gatewayId: gws[(k + 1) % 3]!, type: 'meter', intervalS: 60 },
        ],
        now,
      ),
      s.setGatewayTags(gws[k % 3]!, { district: `dist-${k % 2}`, site: `site-${k}` }),
      s.expireDevices(now + 10 * 3_600_000, 5),
    );
  }
  const settled = await Promise.allSettled(work);
  const failed = settled.filter((x) => x.status === 'rejected');
  t.equal(failed.length, 0, 'no write failed (deadlocks, if any, were retried)', {
    errors: failed.map((x) => String((x as PromiseRejectedResult).reason)).slice(0, 3),
  });
  const inc = await allCounters(a);
  t.ok(Object.keys(inc).length > 10, 'counters were written');
  t.same(await allCounters(b), inc, 'both nodes read the same counters');
  const devices = (await a.listDevices()).length;
  t.equal(inc['fleet//devices_total'], devices, 'devices_total is the number of device rows');
  await a.rebuildCounters(now);
  t.same(await allCounters(a), inc, 'incremental counters equal a recount');
});
