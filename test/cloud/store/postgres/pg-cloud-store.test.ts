/**
 * PgCloudStore: the data-plane conformance suite, then what PostgreSQL adds — COPY's escaping,
 * concurrent ingest within one node and across nodes, failures that must leave nothing written,
 * the ingest queue's limit and close(), and a throughput figure.
 */
import t from 'tap';
import pg from 'pg';
import type { DecodedBatch } from '../../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../../proto/index.js';
import type { Reading, ReadingValue } from '../../../../proto/reading.js';
import type { PgCloudStore } from '../../../../cloud/store/postgres/pg-cloud-store.js';
import { cloudStoreConformance } from '../cloud-conformance.js';
import type { PgRegistry } from '../../../../cloud/store/postgres/pg-control-plane-store.js';
import { openPgStore } from './pg-cloud-store-helper.js';
import { pgQuery } from '../../../helpers/pg.js';

cloudStoreConformance(t, async (st) => (await openPgStore(st)).store);

const T0 = Date.now() - 3_600_000;
const rd = (deviceId: string, ts: number, value: ReadingValue = 1, metric = 'v'): Reading => ({
  deviceId,
  metric,
  unit: 'u',
  ts,
  value,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
});
const batch = (gatewayId: string, seq: number, readings: Reading[]): DecodedBatch => ({
  gatewayId,
  epoch: 1,
  seq,
  readings,
  events: [],
  quarantined: [],
});

/** Waits (bounded) until `fn` gives a truthy value. */
async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

t.test('COPY keeps tabs, newlines, backslashes, U+0000 and unicode in strings and ids', async (t) => {
  const { store: s, url } = await openPgStore(t);
  await s.createGateway('gw-c', 'h');
  const strs = [
    'a\tb',
    'line1\nline2',
    'cr\rlf\r\n',
    '\\N',
    '\\',
    'back\\slash\\\\',
    '\\.',
    '\u0000',
    'x\u0000\\0y',
    '温度 µg/m³ 🌡️',
    '',
  ];
  const readings = strs.map((v, i) => rd('dev\\ice 温', T0 + i, v, i % 2 ? 'm\\1' : 'm'));
  t.match(await s.ingestBatch(batch('gw-c', 1, readings)), { status: 'stored', readings: strs.length });
  const back = await s.readings({ deviceId: 'dev\\ice 温', limit: 100 });
  t.strictSame(
    back.map((r) => r.value),
    strs,
    'every string as sent',
  );
  t.strictSame(
    back.map((r) => r.metric),
    readings.map((r) => r.metric),
  );
  const raw = await pgQuery<{ kind: number; str: string }>(
    url,
    "SELECT kind, str FROM readings WHERE device_id = 'dev\\ice 温' ORDER BY ts",
  );
  t.strictSame(
    raw.map((r) => r.str),
    strs.map((x) => (x.includes('\u0000') ? x.replace(/\\/g, '\\\\').replace(/\u0000/g, '\\0') : x)),
    'stored as text as sent (U+0000 escaped, kind 3)',
  );
  t.strictSame(
    raw.map((r) => r.kind),
    strs.map((x) => (x.includes('\u0000') ? 3 : 2)),
  );
  const ev = await s.addEvents(
    [
      {
        gatewayId: 'gw-c',
        deviceId: '',
        type: 't',
        severity: 'info',
        tsMs: 1,
        message: 'nul\u0000here',
        attributes: { 'k\u0000': 'v\u0000' },
        active: false,
        sourceId: '',
      },
    ],
    Date.now(),
  );
  t.match(
    ev[0],
    { message: 'nul\uFFFDhere', attributes: { 'k\u0000': 'v\u0000' } },
    'an event message with U+0000 is kept',
  );
});

t.test('1,000 concurrent ingests of 200 batches sent 5 times each: every batch stored exactly once', async (t) => {
  const { store: s, url } = await openPgStore(t, { commitMs: 2 });
  const gws = Array.from({ length: 10 }, (_, i) => `gw-${i}`);
  for (const g of gws) await s.createGateway(g, 'h');
  const batches = Array.from({ length: 200 }, (_, i) =>
    batch(
      gws[i % 10]!,
      Math.floor(i / 10) + 1,
      Array.from({ length: 10 }, (_, k) => rd(`${gws[i % 10]}-d${k % 3}`, T0 + i * 10 + k, i * 10 + k)),
    ),
  );
  const sends = Array.from({ length: 5 }, () => batches).flat();
  for (let i = sends.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1); // a fixed shuffle
    [sends[i], sends[j]] = [sends[j]!, sends[i]!];
  }
  const rs = await Promise.all(sends.map((b) => s.ingestBatch({ ...b })));
  t.equal(rs.filter((r) => r.status === 'stored').length, 200, '200 stored');
  t.equal(rs.filter((r) => r.status === 'duplicate').length, 800, '800 duplicates');
  const [rows] = await pgQuery<{ n: number }>(url, 'SELECT count(*)::int AS n FROM readings');
  t.equal(rows?.n, 2000, 'readings counted in the table: each batch once');
  const [keys] = await pgQuery<{ n: number }>(url, 'SELECT count(*)::int AS n FROM batches');
  t.equal(keys?.n, 200, '200 keys');
  t.match(await s.stats(), { readings: 2000, batches: 200, duplicates: 800 });
  t.ok(s.storeCounters().groups < 1000, `grouped: ${s.storeCounters().groups} transactions for 1,000 ingests`);
});

t.test('two nodes ingesting the same keys at once: exactly one stores each', async (t) => {
  const { store: a, node, url } = await openPgStore(t, { commitMs: 1 });
  const b = await node({ commitMs: 1 }, 'yw-test-node-b');
  await a.createGateway('gw-1', 'h');
  await a.createGateway('gw-2', 'h');
  const batches = Array.from({ length: 60 }, (_, i) =>
    batch(i % 2 ? 'gw-1' : 'gw-2', i + 1, [rd(`n-${i % 2}`, T0 + i, i), rd(`shared-${i % 5}`, T0 + i, i)]),
  );
  const [ra, rb] = await Promise.all([
    Promise.all(batches.map((x) => a.ingestBatch({ ...x }))),
    Promise.all([...batches].reverse().map((x) => b.ingestBatch({ ...x }))),
  ]);
  const rbInOrder = [...rb].reverse();
  const once = batches.filter(
    (_, i) => [ra[i]!.status, rbInOrder[i]!.status].filter((st) => st === 'stored').length === 1,
  ).length;
  t.equal(once, 60, "every key: one 'stored', one 'duplicate'");
  const [keys] = await pgQuery<{ n: number }>(url, 'SELECT count(*)::int AS n FROM batches');
  t.equal(keys?.n, 60);
  const stored = [...ra, ...rb].filter((r) => r.status === 'stored').reduce((n, r) => n + r.readings, 0);
  const [rows] = await pgQuery<{ n: number }>(url, 'SELECT count(*)::int AS n FROM readings');
  t.equal(rows?.n, stored, 'the rows are what the stored answers say');
  const owners = await pgQuery<{ id: string; n: number }>(
    url,
    'SELECT device_id AS id, count(DISTINCT gateway_id)::int AS n FROM readings GROUP BY device_id',
  );
  t.ok(
    owners.every((o) => o.n === 1),
    'each device has readings of one gateway only',
  );
  t.match(await a.stats(), { batches: 60, duplicates: 60 });
});

t.test('a failing statement fails the group: CLOUD_ERR_STORE, no readings, no key; a resend then stores', async (t) => {
  const { store: s, url } = await openPgStore(t, { commitMs: 5 });
  await s.createGateway('gw-1', 'h');
  await s.createGateway('gw-bad', 'h');
  // the counters are the group's last statement: everything before it ran
  await pgQuery(
    url,
    `CREATE FUNCTION yw_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure' USING ERRCODE = 'XX000'; END $$ LANGUAGE plpgsql;
     CREATE TRIGGER yw_fail BEFORE INSERT OR UPDATE ON counters FOR EACH ROW EXECUTE FUNCTION yw_fail();`,
  );
  const bs = [1, 2, 3].map((seq) => batch('gw-1', seq, [rd('f-1', T0 + seq), rd('f-2', T0 + seq)]));
  const rs = await Promise.allSettled(bs.map((b) => s.ingestBatch(b)));
  t.ok(
    rs.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'CLOUD_ERR_STORE'),
    'every batch of the group rejected with CLOUD_ERR_STORE',
  );
  const count = async (table: string) =>
    (await pgQuery<{ n: number }>(url, `SELECT count(*)::int AS n FROM ${table}`))[0]?.n;
  t.equal(await count('readings'), 0, 'no readings');
  t.equal(await count('batches'), 0, 'no key');
  t.equal(await count('devices'), 0, 'no device');
  t.match(await s.getGateway('gw-1'), { batches: 0, readings: 0, lastBatchMs: null });
  await pgQuery(url, 'DROP TRIGGER yw_fail ON counters');
  for (const b of bs) t.match(await s.ingestBatch(b), { status: 'stored', readings: 2 }, 'the resend is stored');
  t.equal(await count('readings'), 6);

  // a batch failing on its data fails alone: the group is tried again batch by batch
  await pgQuery(
    url,
    `CREATE FUNCTION yw_bad() RETURNS trigger AS $$ BEGIN
       IF NEW.id = 'gw-bad' THEN RAISE EXCEPTION 'bad data' USING ERRCODE = '22023'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
     CREATE TRIGGER yw_bad BEFORE UPDATE ON gateways FOR EACH ROW EXECUTE FUNCTION yw_bad();`,
  );
  const mixed = await Promise.allSettled([
    s.ingestBatch(batch('gw-1', 10, [rd('f-1', T0 + 10)])),
    s.ingestBatch(batch('gw-bad', 1, [rd('b-1', T0 + 10)])),
    s.ingestBatch(batch('gw-1', 11, [rd('f-1', T0 + 11)])),
  ]);
  t.strictSame(
    mixed.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
    "the bad batch fails, its group's others are stored",
  );
  t.match((mixed[1] as PromiseRejectedResult).reason, { code: 'CLOUD_ERR_STORE' });
  t.equal(s.storeCounters().splits, 1, 'one group split');
  t.equal(await count('readings'), 8);
});

t.test(
  "the store's connection terminated mid-ingest: CLOUD_ERR_STORE, nothing written; the pool recovers",
  async (t) => {
    const { store: s, url } = await openPgStore(t, { commitMs: 0 }, 'yw-test-victim');
    await s.createGateway('gw-1', 'h');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    t.teardown(() => admin.end());
    // hold the counters row lock: the ingest transaction stops at its last statement, everything else done
    await s.ingestBatch(batch('gw-1', 1, [rd('k-1', T0)]));
    await admin.query('BEGIN');
    await admin.query("SELECT * FROM counters WHERE name = 'readings' FOR UPDATE");
    const p = s.ingestBatch(
      batch(
        'gw-1',
        2,
        Array.from({ length: 5000 }, (_, i) => rd(`k-${i % 50}`, T0 + i, i)),
      ),
    );
    const pid = await until('the ingest transaction to wait on the lock', async () => {
      // another session than admin's: within a transaction pg_stat_activity stays as first read
      const r = await pgQuery<{ pid: number }>(
        url,
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'yw-test-victim' AND wait_event_type = 'Lock'",
      );
      return r[0]?.pid;
    });
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await t.rejects(p, { code: 'CLOUD_ERR_STORE' }, 'the ingest is rejected');
    await admin.query('ROLLBACK');
    const n = async (q: string) => (await admin.query<{ n: number }>(q)).rows[0]?.n;
    t.equal(await n('SELECT count(*)::int AS n FROM readings'), 1, 'none of its readings');
    t.equal(await n('SELECT count(*)::int AS n FROM batches WHERE seq = 2'), 0, 'not its key');
    t.match(await s.stats(), { readings: 1, batches: 1 }, 'counters untouched');
    t.match(
      await s.ingestBatch(batch('gw-1', 2, [rd('k-1', T0 + 1)])),
      { status: 'stored', readings: 1 },
      'the resend is stored on a new connection',
    );
  },
);

t.test('the ingest queue is bounded; close() refuses what waits and lets the group in flight finish', async (t) => {
  const { store: base, node, url } = await openPgStore(t);
  await base.createGateway('gw-1', 'h');
  const s: PgCloudStore = await node(
    { commitMs: 0, ingest: { maxQueuedBatches: 3, maxGroupBatches: 1 } },
    'yw-test-queue',
  );
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  t.teardown(() => admin.end());
  await admin.query('BEGIN');
  await admin.query('LOCK TABLE counters IN ACCESS EXCLUSIVE MODE'); // the group in flight waits
  const inFlight = s.ingestBatch(batch('gw-1', 1, [rd('q-1', T0)]));
  await until('the first group to be in flight', async () => {
    const r = await pgQuery(
      url,
      "SELECT 1 FROM pg_stat_activity WHERE application_name = 'yw-test-queue' AND wait_event_type = 'Lock'",
    );
    return r.length === 1;
  });
  const waiting = [2, 3, 4].map((seq) => s.ingestBatch(batch('gw-1', seq, [rd('q-1', T0 + seq)])));
  await t.rejects(
    s.ingestBatch(batch('gw-1', 5, [rd('q-1', T0 + 5)])),
    { code: 'CLOUD_ERR_STORE', message: /queue full/ },
    'a 4th waiting batch is refused',
  );
  t.equal(s.storeCounters().queueFull, 1, 'counted');
  const closing = s.close();
  for (const w of waiting) await t.rejects(w, { code: 'CLOUD_ERR_STORE' }, 'a waiting batch is refused at close');
  await admin.query('ROLLBACK');
  t.match(await inFlight, { status: 'stored' }, 'the group in flight was committed');
  await closing;
  await t.rejects(s.ingestBatch(batch('gw-1', 9, [])), { code: 'CLOUD_ERR_STORE' }, 'closed: refused');
  t.match(await base.stats(), { batches: 1, readings: 1 });
});

t.test('throughput: 200 batches × 1,000 readings', async (t) => {
  const { store: s, url } = await openPgStore(t, { commitMs: 2 });
  const gws = Array.from({ length: 20 }, (_, i) => `gw-${i}`);
  for (const g of gws) await s.createGateway(g, 'h');
  const batches = Array.from({ length: 200 }, (_, i) =>
    batch(
      gws[i % 20]!,
      Math.floor(i / 20) + 1,
      Array.from({ length: 1000 }, (_, k) => rd(`${gws[i % 20]}-d${k % 50}`, T0 + i * 1000 + k, k * 0.5, `m${k % 4}`)),
    ),
  );
  await s.ingestBatch(batch('gw-0', 1000, [rd('warm', T0)])); // partition of the day and connections ready
  const t0 = performance.now();
  const rs = await Promise.all(batches.map((b) => s.ingestBatch(b)));
  const ms = performance.now() - t0;
  t.equal(rs.filter((r) => r.status === 'stored' && r.readings === 1000).length, 200, 'all stored');
  const [rows] = await pgQuery<{ n: number }>(url, 'SELECT count(*)::int AS n FROM readings');
  t.equal(rows?.n, 200_001);
  const rate = Math.round(200_000 / (ms / 1000));
  t.comment(
    `ingest: 200,000 readings in ${Math.round(ms)} ms = ${rate} readings/s, ${s.storeCounters().groups} transactions`,
  );
  t.ok(rate > 5000, `at least 5,000 readings/s (${rate})`);
});

t.test('registry helpers for the control plane, inside its transactions', async (t) => {
  const { store: s } = await openPgStore(t);
  const registry: PgRegistry = s; // the contract pg-control-plane-store.ts is written against
  const now = Date.now();
  const tags = { district: 'north', site: 'n-1', group: 'meters' };
  t.equal(
    await registry.db.tx((c) => registry.insertGateway(c, 'gw-1', 'h1', tags, now)),
    true,
    'inserted with its tags',
  );
  t.equal(await s.db.tx((c) => s.insertGateway(c, 'gw-1', 'other', undefined, now)), false, 'an existing id: false');
  t.equal(await s.gatewaySecretHash('gw-1'), 'h1');
  t.match(await s.getGatewayHealth('gw-1'), { status: 'offline', tags });
  const fig = async (scope: 'fleet' | 'district' | 'gateway', key: string, metric: string) =>
    (await s.counters(scope, key)).find((r) => r.metric === metric)?.value ?? 0;
  t.equal(await fig('district', 'north', 'gateways_total'), 1, 'counted under its tags');
  // a rolled-back insert leaves nothing
  await t.rejects(
    s.db.tx(async (c) => {
      await s.insertGateway(c, 'gw-2', 'h2', undefined, now);
      throw new Error('the claim failed later');
    }),
  );
  t.equal(await s.getGateway('gw-2'), undefined, 'rolled back with the caller');
  t.equal(await fig('fleet', '', 'gateways_total'), 1);

  t.equal(await s.db.tx((c) => s.revokedAt(c, 'gw-1')), null, 'not revoked');
  t.equal(await s.db.tx((c) => s.revokedAt(c, 'gw-x')), undefined, 'no such gateway');
  t.equal(await s.db.tx((c) => s.markRevoked(c, 'gw-1', now + 5)), true);
  t.equal(await s.db.tx((c) => s.markRevoked(c, 'gw-1', now + 6)), false, 'revoked already');
  t.equal(await s.db.tx((c) => s.markRevoked(c, 'gw-x', now)), false, 'unknown');
  t.equal(await s.db.tx((c) => s.revokedAt(c, 'gw-1')), now + 5);
  t.strictSame([...(await s.revokedGateways())], [['gw-1', now + 5]]);

  await s.ingestBatch(batch('gw-1', 1, [rd('dev-1', T0), rd('dev-2', T0)]));
  t.strictSame(
    await s.db.tx((c) => s.deleteGateway(c, 'gw-1', false, now)),
    { removed: false, devices: 2 },
    'with devices and not withDevices: nothing deleted',
  );
  t.ok(await s.getGateway('gw-1'));
  t.strictSame(await s.db.tx((c) => s.deleteGateway(c, 'gw-1', true, now)), { removed: true, devices: 2 });
  t.equal(await s.getGateway('gw-1'), undefined);
  t.strictSame(await s.listDevices(), [], 'its devices deleted');
  t.equal(await fig('fleet', '', 'gateways_total'), 0, 'counters follow');
  t.equal(await fig('district', 'north', 'devices_total'), 0);
  t.strictSame(await s.counters('gateway', 'gw-1'), [], "the gateway's own counters gone");
  t.strictSame(await s.db.tx((c) => s.deleteGateway(c, 'gw-1', true, now)), { removed: false, devices: 0 });
  await s.createGateway('gw-1', 'h3');
  t.match(
    await s.ingestBatch(batch('gw-1', 1, [rd('dev-1', T0)])),
    { status: 'stored' },
    'a gateway created again with the id starts afresh (its batch keys were deleted)',
  );
  t.equal((await s.readings({ deviceId: 'dev-1' })).length, 2, 'readings stay as history');
});
