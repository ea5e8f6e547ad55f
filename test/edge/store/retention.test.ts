/** Outbox bounds: byte cap with eviction by priority, monotonic age limit, exact drop counters. */
import t from 'tap';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { readingSize } from '../../../edge/store/retention.js';
import { decodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { tempDir } from '../../helpers/fleet.js';

const reading = (i: number, priority: Priority, ts = 1_700_000_000_000 + i): Reading => ({
  deviceId: `dev-${i % 7}`,
  metric: 'level',
  unit: 'm',
  ts,
  value: i,
  clock: ClockQuality.CLOCK_DEVICE,
  priority,
});
const SIZE = readingSize(reading(0, 0));

function drainAll(store: SqliteOutboxStore): Reading[] {
  const out: Reading[] = [];
  for (let b = store.sealBatch('gw', 5000); b; b = store.sealBatch('gw', 5000)) {
    out.push(...decodeBatch(b.payload).readings);
    store.ack(b.seq);
  }
  return out;
}

t.test(
  'past the cap: bulk goes first, then the oldest normal; every alarm is kept; drops counted exactly',
  async (t) => {
    const cap = 1000 * SIZE;
    const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maxBytes: cap, maintenanceMs: 0 });
    t.teardown(() => store.close());
    const inserted = { [Priority.PRIORITY_ALARM]: 0, [Priority.PRIORITY_NORMAL]: 0, [Priority.PRIORITY_BULK]: 0 };
    for (let k = 0; k < 30; k++) {
      const chunk = Array.from({ length: 100 }, (_, j) => {
        const i = k * 100 + j;
        const p =
          i % 10 === 0 ? Priority.PRIORITY_ALARM : i % 3 === 0 ? Priority.PRIORITY_BULK : Priority.PRIORITY_NORMAL;
        inserted[p]++;
        return reading(i, p);
      });
      await store.append(chunk);
      t.ok(store.stats().bytes <= cap, `under the cap after chunk ${k}`);
    }
    const s = store.stats();
    t.equal(s.byPriority.alarm.rows, inserted[Priority.PRIORITY_ALARM], 'every alarm kept');
    t.equal(s.byPriority.bulk.rows, 0, 'bulk evicted before any normal reading');
    const keptNormal = s.byPriority.normal.rows;
    t.equal(s.dropped.cap, 3000 - s.rows, 'drops by reason add up exactly');
    t.equal(s.counters.dropped_cap_bulk, inserted[Priority.PRIORITY_BULK]);
    t.equal(s.counters.dropped_cap_normal, inserted[Priority.PRIORITY_NORMAL] - keptNormal);
    t.notOk(s.counters.dropped_cap_alarm, 'no alarm dropped');
    const left = drainAll(store);
    t.equal(left.length, s.rows, 'what the counters say is what is there');
    const normals = left
      .filter((r) => r.priority === Priority.PRIORITY_NORMAL)
      .map((r) => r.value as number)
      .sort((a, b) => a - b);
    const allNormals = Array.from({ length: 3000 }, (_, i) => i).filter((i) => i % 10 !== 0 && i % 3 !== 0);
    t.same(normals, allNormals.slice(allNormals.length - keptNormal), 'the newest normal readings survive');
    t.equal(store.stats().rows, 0);
    t.equal(store.stats().bytes, 0);
  },
);

t.test('when only alarms are left, the oldest alarms go', async (t) => {
  const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maxBytes: 100 * SIZE, maintenanceMs: 0 });
  t.teardown(() => store.close());
  await store.append(Array.from({ length: 150 }, (_, i) => reading(i, Priority.PRIORITY_ALARM)));
  const s = store.stats();
  t.ok(s.rows <= 100 && s.rows >= 90);
  t.equal(s.counters.dropped_cap_alarm, 150 - s.rows);
  t.same(
    drainAll(store)
      .map((r) => r.value)
      .sort((a, b) => (a as number) - (b as number))[0],
    150 - s.rows,
    'oldest first',
  );
});

t.test('age limit runs on the monotonic clock: a wall-clock jump of ±1 day neither expires nor reorders', async (t) => {
  const path = join(tempDir(), 'edge.db');
  const store = new SqliteOutboxStore({ path, maxAgeMs: 400, maintenanceMs: 0 });
  t.teardown(() => store.close());
  const now = Date.now();
  await store.append([reading(1, 0, now), reading(2, 0, now + 86_400_000), reading(3, 0, now - 86_400_000)]);
  store.maintain();
  t.equal(store.stats().rows, 3, 'readings stamped a day ahead or behind do not expire');
  const old = store.stats().oldestAgeMs!;
  t.ok(old >= 0 && old < 400);
  await new Promise((r) => setTimeout(r, 500)); // the age limit itself: let 500 ms of running time pass
  await store.append([reading(4, 0, now - 86_400_000), reading(5, 0, now + 86_400_000)]);
  store.maintain();
  const s = store.stats();
  t.equal(s.dropped.ttl, 3, 'the three older readings expired by running time');
  t.equal(s.rows, 2);
  t.same(
    drainAll(store).map((r) => r.value),
    [4, 5].sort(),
    'the rest is delivered',
  );
});

t.test('drain order: alarms, then fresh data, then the backlog; per-device order kept inside each', async (t) => {
  const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), freshWindowMs: 300, maintenanceMs: 0 });
  t.teardown(() => store.close());
  await store.append(Array.from({ length: 50 }, (_, i) => reading(i, Priority.PRIORITY_NORMAL)));
  await new Promise((r) => setTimeout(r, 400)); // let the backlog age out of the fresh window
  await store.append(Array.from({ length: 10 }, (_, i) => reading(100 + i, Priority.PRIORITY_NORMAL)));
  await store.append([reading(200, Priority.PRIORITY_ALARM)]);
  const first = decodeBatch(store.sealBatch('gw', 11)!.payload)
    .readings.map((r) => r.value)
    .sort((a, b) => (a as number) - (b as number));
  t.same(
    first,
    [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 200],
    'the alarm and the fresh readings overtake the backlog',
  );
  const second = decodeBatch(store.sealBatch('gw', 100)!.payload)
    .readings.map((r) => r.value)
    .sort((a, b) => (a as number) - (b as number));
  t.same(
    second,
    Array.from({ length: 50 }, (_, i) => i),
  );
});

t.test('counters are exact across a restart and need no scan', async (t) => {
  const path = join(tempDir(), 'edge.db');
  let store = new SqliteOutboxStore({ path, maxBytes: 500 * SIZE, maintenanceMs: 0 });
  await store.append(
    Array.from({ length: 800 }, (_, i) => reading(i, i % 2 ? Priority.PRIORITY_BULK : Priority.PRIORITY_NORMAL)),
  );
  const b = store.sealBatch('gw', 100)!;
  const before = store.stats();
  store.close();
  store = new SqliteOutboxStore({ path, maxBytes: 500 * SIZE, maintenanceMs: 0 });
  t.teardown(() => store.close());
  const after = store.stats();
  t.same(
    [after.rows, after.bytes, after.pendingRows, after.dropped.cap],
    [before.rows, before.bytes, before.pendingRows, before.dropped.cap],
  );
  t.equal(store.unackedBatches()[0]?.seq, b.seq, 'the unacknowledged batch is still there to resend');
  t.equal(store.ack(b.seq), 100);
  t.equal(store.stats().rows, before.rows - 100);
});

t.test('repeated fill/drain cycles do not grow the file', async (t) => {
  const path = join(tempDir(), 'edge.db');
  const store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
  t.teardown(() => store.close());
  const sizes: number[] = [];
  const walSizes: number[] = [];
  for (let cycle = 0; cycle < 5; cycle++) {
    for (let k = 0; k < 10; k++)
      await store.append(Array.from({ length: 2000 }, (_, i) => reading(cycle * 1e6 + k * 2000 + i, 0)));
    drainAll(store);
    store.maintain();
    store.maintain();
    sizes.push(store.stats().dbBytes);
    walSizes.push(statSync(`${path}-wal`).size);
  }
  t.ok(Math.max(...walSizes) < 8 * 2 ** 20, `the WAL is checkpointed under load: ${walSizes.join(', ')}`);
  t.ok(sizes[4]! <= sizes[0]! * 1.1, `file size stays flat over cycles: ${sizes.join(', ')}`); // five cycles, five sizes
  t.ok(sizes[4]! < 2_000_000, 'free pages are returned');
});
