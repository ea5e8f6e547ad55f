/**
 * The store's entry check (edge/store/reading-check.ts) and its quarantine (quarantine.ts): a
 * reading no adapter should have produced (bad time, non-finite value, bad id) is quarantined on
 * its own in the commit that stores the others; counted by reason, exactly once per uplink, across
 * restarts; the quarantine table is bounded in entries and bytes.
 */
import t from 'tap';
import fc from 'fast-check';
import { join } from 'node:path';
import { SqliteOutboxStore } from '../../../edge/store/outbox.js';
import { checkReading, MAX_TS_MS, MIN_TS_MS, printable, screenReadings } from '../../../edge/store/reading-check.js';
import { decodeBatch } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { tempDir } from '../../helpers/fleet.js';

const NOW = Date.now();
const r = (o: Partial<Reading> = {}): Reading => ({
  deviceId: 'meter-1',
  metric: 'volume',
  unit: 'm3',
  ts: NOW - 1000,
  value: 1,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
  ...o,
});
const ctx = { now: NOW, clockSynced: true };

t.test("checkReading: the rules every adapter's readings pass", async (t) => {
  t.equal(checkReading(r(), ctx), undefined);
  const code = (o: Partial<Reading>, c = ctx): string | undefined => checkReading(r(o), c)?.code;
  t.equal(code({ ts: NOW * 1000 }), 'EDGE_ERR_READING_TIME', 'µs');
  t.equal(code({ ts: 1e303 }), 'EDGE_ERR_READING_TIME', 't=1e300 in ms');
  t.equal(code({ ts: 1.5 }), 'EDGE_ERR_READING_TIME', 'not whole');
  t.equal(code({ ts: MIN_TS_MS - 1 }), 'EDGE_ERR_READING_TIME', 'before 2000');
  t.equal(code({ ts: MIN_TS_MS }), undefined);
  t.equal(
    code({ ts: 5000, clock: ClockQuality.CLOCK_GATEWAY_UNSYNCED }),
    undefined,
    'an unsynchronised gateway stamp is corrected later',
  );
  t.equal(code({ ts: -1, clock: ClockQuality.CLOCK_GATEWAY_UNSYNCED }), 'EDGE_ERR_READING_TIME');
  t.equal(code({ ts: NOW + 86_400_000 + 1 }), 'EDGE_ERR_READING_TIME', 'more than a day ahead');
  t.equal(
    code({ ts: NOW + 86_400_000 + 1 }, { now: 0, clockSynced: false }),
    undefined,
    'unless the gateway clock is unsynchronised',
  );
  t.equal(code({ ts: MAX_TS_MS }, { now: 0, clockSynced: false }), 'EDGE_ERR_READING_TIME', '2100 whatever the clock');
  t.equal(code({ value: NaN }), 'EDGE_ERR_READING_VALUE');
  t.equal(code({ value: Infinity }), 'EDGE_ERR_READING_VALUE');
  t.equal(code({ value: 'x'.repeat(4097) }), 'EDGE_ERR_READING_VALUE');
  t.equal(code({ value: null as unknown as number }), 'EDGE_ERR_READING_VALUE');
  t.equal(code({ deviceId: '' }), 'EDGE_ERR_READING_DEVICE');
  t.equal(code({ deviceId: 'd'.repeat(129) }), 'EDGE_ERR_READING_DEVICE');
  t.equal(code({ deviceId: 'a\u001b[31mb' }), 'EDGE_ERR_READING_DEVICE');
  t.equal(code({ deviceId: 'urn:imei:861234567890123' }), undefined);
  t.equal(code({ metric: 'a b' }), 'EDGE_ERR_READING_NAME');
  t.equal(code({ unit: 'x'.repeat(33) }), 'EDGE_ERR_READING_NAME');
  t.equal(code({ unit: 'µg/m³' }), undefined, 'units may be non-ASCII');
  t.equal(code({ unit: 'm\u0007' }), 'EDGE_ERR_READING_NAME');
  const esc = checkReading(r({ deviceId: 'x\u001b]0;t\u0007' }), ctx)!;
  t.equal(esc.deviceId, 'x\\u001b]0;t\\u0007', 'the refusal names the device without its control characters');
  t.equal(printable('d'.repeat(20_000)).length < 100, true);
  const all = [r(), r({ value: NaN }), r({ metric: 'b' })];
  const s = screenReadings(all, ctx);
  t.same([s.valid.length, s.refused.length], [2, 1]);
  t.equal(screenReadings([r(), r()], ctx).valid.length, 2);
});

t.test('property: the fast path and the explained rules agree on every reading', async (t) => {
  const ids = fc.oneof(
    fc.string({ maxLength: 140 }),
    fc.constantFrom('meter-1', 'urn:imei:861234567890123', '', 'a b', 'x\u001b', 'd'.repeat(128), 'd'.repeat(129)),
  );
  const reading = fc.record({
    deviceId: ids,
    metric: ids,
    unit: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', 'Cel', 'µg/m³', 'm\u0085')),
    ts: fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(
        NOW,
        NOW * 1000,
        MIN_TS_MS,
        MIN_TS_MS - 1,
        MAX_TS_MS,
        MAX_TS_MS - 1,
        NOW + 86_400_000,
        NOW + 86_400_001,
        0,
        -1,
      ),
    ),
    value: fc.oneof(
      fc.double(),
      fc.boolean(),
      fc.string({ maxLength: 10 }),
      fc.constant('x'.repeat(4097)),
      fc.constant(null),
    ),
    clock: fc.constantFrom(0, 1, 2, 3),
    priority: fc.constant(0),
  });
  fc.assert(
    fc.property(reading, fc.boolean(), (x, synced) => {
      const bad = checkReading(x as Reading, { now: NOW, clockSynced: synced });
      if (bad && /fails the entry check/.test(bad.detail))
        throw new Error(`no rule explains the refusal of ${JSON.stringify(x)}`);
    }),
    { numRuns: 2000 },
  );
  t.pass('agree');
});

t.test(
  'the store quarantines bad readings of any adapter in the same commit, once per uplink, by reason',
  async (t) => {
    const path = join(tempDir(), 'edge.db');
    let store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
    const uplink = [
      r({ value: 1 }),
      r({ metric: 'usec', ts: NOW * 1000 }),
      r({ metric: 'inf', value: Infinity }),
      r({ deviceId: 'bad\u001b[2J' }),
      r({ value: 2, ts: NOW - 500 }),
    ];
    const fromAdapter = [
      { deviceId: 'meter-1', metric: 'pack', code: 'EDGE_ERR_SENML', detail: 'record 3 has no value' },
    ];
    t.equal(await store.append(uplink, 'coap:a#1', fromAdapter), 'stored');
    t.equal(await store.append(uplink, 'coap:a#1', fromAdapter), 'duplicate', 'a retransmission');
    const s = store.stats();
    t.equal(s.rows, 2, 'the valid readings are stored');
    t.same(
      s.quarantine.byReason,
      { EDGE_ERR_SENML: 1, EDGE_ERR_READING_TIME: 1, EDGE_ERR_READING_VALUE: 1, EDGE_ERR_READING_DEVICE: 1 },
      'the rest quarantined by reason, once',
    );
    t.same([s.quarantine.readings, s.quarantine.fromEdge, s.quarantine.fromCloud, s.quarantine.entries], [4, 4, 0, 4]);
    t.equal(s.counters.readings_accepted, 2);
    const b = store.sealBatch('gw', 100)!;
    t.same(
      decodeBatch(b.payload).readings.map((x) => x.value),
      [1, 2],
      'only valid readings reach a batch',
    );
    // every reading of an uplink invalid: nothing stored, all quarantined
    t.equal(await store.append([r({ ts: -5 })]), 'stored');
    t.equal(store.stats().quarantine.byReason.EDGE_ERR_READING_TIME, 2);
    store.close();
    store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
    t.teardown(() => store.close());
    t.equal(store.stats().quarantine.readings, 5, 'the counts survive a restart');
    const list = store.quarantine.list(10);
    t.equal(list.length, 5);
    t.match(
      list[0],
      { source: 'edge', deviceId: 'meter-1', metric: 'volume', code: 'EDGE_ERR_READING_TIME', count: 1 },
      'newest first',
    );
    t.ok(
      list.some((e) => e.deviceId === 'bad\\u001b[2J'),
      'control characters escaped in the table',
    );
    t.equal(store.quarantine.list(10, list[1]!.id).length, 3, 'paging');
  },
);

t.test(
  "the cloud's quarantine of a stored batch is recorded by reason; groups of one commit are grouped",
  async (t) => {
    const store = new SqliteOutboxStore({ path: join(tempDir(), 'edge.db'), maintenanceMs: 0 });
    t.teardown(() => store.close());
    await store.append([r({ value: 1 }), r({ value: 2, ts: NOW - 10 }), r({ deviceId: 'm-2', value: 3 })]);
    const b = store.sealBatch('gw', 10)!;
    const n = store.ack(b.seq, [
      { deviceId: 'm-2', metric: 'volume', code: 'CLOUD_ERR_DEVICE_OWNER', detail: 'owned by gw-b', count: 1 },
      { deviceId: '', metric: '', code: 'CLOUD_ERR_EVENT', detail: 'event refused', count: 0 },
    ]);
    t.equal(n, 3, 'the batch is released');
    const s = store.stats();
    t.same(s.quarantine.byReason, { CLOUD_ERR_DEVICE_OWNER: 1 });
    t.same(
      [s.quarantine.fromCloud, s.quarantine.entries, s.counters.readings_acked],
      [1, 2, 2],
      'an event group is listed, not counted as a reading',
    );
    t.equal(
      store.ack(b.seq, [
        { deviceId: 'm-2', metric: 'volume', code: 'CLOUD_ERR_DEVICE_OWNER', detail: 'again', count: 1 },
      ]),
      0,
      'a second ack of the batch records nothing',
    );
    t.equal(store.stats().quarantine.fromCloud, 1);
    // a cloud inventing codes cannot grow the counters without bound
    await store.append(Array.from({ length: 100 }, (_, i) => r({ value: i, ts: NOW - i })));
    const b2 = store.sealBatch('gw', 100)!;
    store.ack(
      b2.seq,
      Array.from({ length: 100 }, (_, i) => ({
        deviceId: 'meter-1',
        metric: 'volume',
        code: `X_ERR_${i}`,
        detail: '',
        count: 1,
      })),
    );
    const reasons = Object.keys(store.stats().quarantine.byReason);
    t.ok(reasons.length <= 65 && reasons.includes('OTHER'), `${reasons.length} reasons, the rest under OTHER`);
  },
);

t.test('the quarantine is bounded in entries and bytes; evictions are counted, per-reason counts kept', async (t) => {
  const store = new SqliteOutboxStore({
    path: join(tempDir(), 'edge.db'),
    maintenanceMs: 0,
    quarantineMaxRows: 100,
    quarantineMaxBytes: 20_000,
  });
  t.teardown(() => store.close());
  for (let i = 0; i < 30; i++) {
    await store.append(Array.from({ length: 10 }, (_, j) => r({ deviceId: `dev-${i}-${j}`, value: NaN })));
  }
  let s = store.stats().quarantine;
  t.equal(s.readings, 300, 'every refusal counted');
  t.ok(s.entries <= 100 && s.entries >= 80, `entries held ${s.entries} ≤ 100`);
  t.equal(s.evicted, 300 - s.entries, 'evictions counted');
  t.equal(store.quarantine.list(1000).length, s.entries);
  // byte cap: long details
  for (let i = 0; i < 100; i++)
    await store.append([r({ deviceId: `long-${i}`.padEnd(120, 'x'), value: 'y'.repeat(5000) })]);
  s = store.stats().quarantine;
  t.ok(s.bytes <= 20_000, `bytes held ${s.bytes} ≤ 20,000`);
  t.equal(s.byReason.EDGE_ERR_READING_VALUE, 400);
  t.equal(s.evicted + s.entries, 400);
});
