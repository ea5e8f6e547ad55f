/**
 * Readings partitions of the PostgreSQL store: one per UTC day within the window, the rest in
 * readings_old; retention drops whole days, empties old rows from readings_old and prunes batch
 * keys; the readings query reads only the partitions of its time range, through the index.
 */
import t from 'tap';
import type { DecodedBatch } from '../../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../../proto/index.js';
import type { Reading } from '../../../../proto/reading.js';
import type { Test } from 'tap';
import {
  PgCloudStore,
  type PgCloudStoreOptions,
  readingsQuery,
} from '../../../../cloud/store/postgres/pg-cloud-store.js';
import { PgDatabase } from '../../../../cloud/store/postgres/pg-database.js';
import { DAY_MS, dayOfPartition, partitionName } from '../../../../cloud/store/postgres/pg-readings-partitions.js';
import { openPgStore } from './pg-cloud-store-helper.js';
import { pgQuery } from '../../../helpers/pg.js';

const rd = (deviceId: string, ts: number, value = 1): Reading => ({
  deviceId,
  metric: 'v',
  unit: '',
  ts,
  value,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
});
const batch = (seq: number, readings: Reading[]): DecodedBatch => ({
  gatewayId: 'gw-1',
  epoch: 1,
  seq,
  readings,
  events: [],
  quarantined: [],
});

t.test('partition names', async (t) => {
  t.equal(partitionName(Date.UTC(2026, 11, 7) / DAY_MS), 'readings_d20261207');
  t.equal(partitionName(Date.UTC(2024, 1, 29) / DAY_MS), 'readings_d20240229');
  t.equal(dayOfPartition('readings_d20261207'), Date.UTC(2026, 11, 7) / DAY_MS);
  t.equal(dayOfPartition('readings_old'), undefined);
  t.equal(dayOfPartition('readings_d2026120'), undefined);
});

t.test('a day per partition within the window; hostile timestamps land in readings_old', async (t) => {
  const { store: s, url } = await openPgStore(t, { readingsKeepDays: 7, batchKeysKeepDays: 2, maxFutureMs: DAY_MS });
  await s.createGateway('gw-1', 'h');
  const now = Date.now();
  const today = Math.floor(now / DAY_MS);
  const days = (await s.partitions.list()).filter((n) => n !== 'readings_old');
  t.strictSame(days, [], 'no day partition before the first reading');

  const tenYears = now - 3652 * DAY_MS;
  await s.ingestBatch(batch(1, [rd('d-1', tenYears, 1)]));
  t.equal(s.storeCounters().partitionsCreated, 0, 'a 10-year-old reading creates no partition');
  t.strictSame(
    (await pgQuery<{ n: number }>(url, 'SELECT count(*)::int AS n FROM readings_old'))[0]?.n,
    1,
    'it is in readings_old',
  );

  // a gateway with a wild clock: 500 distinct days far away, none creates a table
  const wild = Array.from({ length: 500 }, (_, i) =>
    rd('d-2', (i % 2 ? now + 30 * DAY_MS : now - 30 * DAY_MS) + (i % 2 ? 1 : -1) * i * DAY_MS),
  );
  await s.ingestBatch(batch(2, wild));
  t.equal(s.storeCounters().partitionsCreated, 0, 'no partition for 500 days outside the window');

  // 30 days of readings, up to today: the 8 in the window get partitions (readingsKeepDays 7)
  const month = Array.from({ length: 30 }, (_, i) => rd('d-3', (today - i) * DAY_MS + 3_600_000 * (i % 20), i));
  await s.ingestBatch(batch(3, month));
  const inWindow = month.filter((r) => (Math.floor(r.ts / DAY_MS) + 1) * DAY_MS > now - 7 * DAY_MS).length;
  t.equal(inWindow, 8, 'the window holds today and 7 days back');
  t.equal(s.storeCounters().partitionsCreated, 8, 'a partition per day within the window');
  const parts = (await s.partitions.list()).filter((n) => n !== 'readings_old');
  t.strictSame(
    parts,
    Array.from({ length: 8 }, (_, i) => partitionName(today - 7 + i)),
    'named by day',
  );
  t.equal(
    (await pgQuery<{ n: number }>(url, 'SELECT count(*)::int AS n FROM readings_old'))[0]?.n,
    1 + 500 + 22,
    'everything else in readings_old',
  );
  t.equal((await s.readings({ deviceId: 'd-3', limit: 100 })).length, 30, 'all 30 found by the query');
  t.equal((await s.readings({ deviceId: 'd-2', limit: 1000 })).length, 500, 'the wild ones too');

  // the same days again: known, nothing created
  await s.ingestBatch(
    batch(
      4,
      month.map((r) => ({ ...r, value: 2 })),
    ),
  );
  t.equal(s.storeCounters().partitionsCreated, 8, 'known days are not created again');
});

t.test('30 days forever-kept: 30 partitions; retention drops whole days, old rows and old keys', async (t) => {
  const { store: s, url } = await openPgStore(t, { readingsKeepDays: 0, batchKeysKeepDays: 2 });
  await s.createGateway('gw-1', 'h');
  const now = Date.now();
  const today = Math.floor(now / DAY_MS);
  const month = Array.from({ length: 30 }, (_, i) => rd('m-1', (today - i) * DAY_MS + 1000 * i, i));
  await s.ingestBatch(batch(1, month));
  await s.ingestBatch(batch(2, [rd('m-1', now - 3652 * DAY_MS, 99)]));
  t.equal(s.storeCounters().partitionsCreated, 30, '30 days: 30 partitions');
  t.equal((await s.partitions.list()).length, 31, 'and readings_old');

  t.strictSame(
    await s.runRetention(now),
    { partitionsDropped: 0, oldRowsDeleted: 0, batchKeysDeleted: 0 },
    'kept forever: nothing dropped (keys younger than 2 days)',
  );
  t.equal(s.storeCounters().partitionsCreated, 31, 'retention made tomorrow ahead of time');
  t.ok((await s.partitions.list()).includes(partitionName(today + 1)));

  // the same database seen by a node keeping 10 days of readings; the first key made 3 days old
  await pgQuery(url, 'UPDATE batches SET received_ms = received_ms - $1 WHERE seq = 1', [3 * DAY_MS]);
  const fx = await openPgStoreOn(t, url, { readingsKeepDays: 10, batchKeysKeepDays: 2 });
  const r = await fx.runRetention(now);
  const expectDropped = Array.from({ length: 30 }, (_, i) => today - i).filter(
    (d) => (d + 1) * DAY_MS <= now - 10 * DAY_MS,
  ).length;
  t.equal(expectDropped, 19, 'days 11..29 back are wholly older than 10 days (day 10 back ends after the cut-off)');
  t.strictSame(r, { partitionsDropped: 19, oldRowsDeleted: 1, batchKeysDeleted: 1 }, 'retention result');
  const left = (await fx.partitions.list()).filter((n) => n !== 'readings_old');
  t.equal(left.length, 12, 'today, 10 days back and tomorrow left');
  t.ok(!left.includes(partitionName(today - 11)), 'day 11 back dropped');
  t.ok(left.includes(partitionName(today - 10)), 'day 10 back kept');
  t.strictSame(
    (await fx.readings({ deviceId: 'm-1', limit: 100 })).map((x) => x.value),
    Array.from({ length: 11 }, (_, i) => 10 - i),
    'the readings of the kept days only',
  );
  t.equal((await pgQuery<{ n: number }>(url, 'SELECT count(*)::int AS n FROM batches'))[0]?.n, 1, 'the young key kept');
  t.strictSame(
    await fx.runRetention(now),
    { partitionsDropped: 0, oldRowsDeleted: 0, batchKeysDeleted: 0 },
    'idempotent',
  );
  t.match(await fx.stats(), { readings: 31, batches: 2 }, 'stats: readings and batches ever stored');
});

t.test('the readings query prunes partitions and reads the index', async (t) => {
  const { store: s, url } = await openPgStore(t);
  await s.createGateway('gw-1', 'h');
  const now = Date.now();
  const today = Math.floor(now / DAY_MS);
  // 10 days × 200 devices × 10 readings
  for (let day = 0; day < 10; day++)
    await s.ingestBatch(
      batch(
        day + 1,
        Array.from({ length: 2000 }, (_, i) => rd(`x-${i % 200}`, (today - day) * DAY_MS + i * 1000, i)),
      ),
    );
  await pgQuery(url, 'ANALYZE readings');
  const q = readingsQuery({
    deviceId: 'x-7',
    fromMs: (today - 3) * DAY_MS,
    toMs: (today - 2) * DAY_MS + 7000,
    limit: 50,
  });
  const plan = (await pgQuery<{ 'QUERY PLAN': string }>(url, `EXPLAIN (COSTS OFF) ${q.sql}`, q.args))
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  const scanned = [...plan.matchAll(/readings_(d\d{8}|old)/g)].map((m) => m[0]);
  t.strictSame(
    [...new Set(scanned)].sort(),
    [partitionName(today - 3), partitionName(today - 2)],
    'only the two days of the range are read (readings_old and the other days pruned)',
    { plan },
  );
  t.match(plan, /Index (Only )?Scan.*readings_d\d{8}_device_id_ts_id_idx/, 'through the (device, ts, id) index', {
    plan,
  });
  t.notMatch(plan, /Seq Scan/, 'no sequential scan', { plan });
  const got = await s.readings({ deviceId: 'x-7', fromMs: (today - 3) * DAY_MS, toMs: (today - 2) * DAY_MS + 7000 });
  t.equal(got.length, 11, '10 readings of day −3 and the first of day −2');
});

/** Another store on an existing database (closed in `t`'s teardown). */
async function openPgStoreOn(t: Test, url: string, o: PgCloudStoreOptions): Promise<PgCloudStore> {
  const db = new PgDatabase(url, { max: 2 });
  const s = await PgCloudStore.open(db, o);
  t.teardown(async () => {
    await s.close();
    await db.close();
  });
  return s;
}
