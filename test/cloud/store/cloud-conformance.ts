/**
 * Conformance suite of the data-plane part of CloudStore (cloud/store/cloud-store.ts): batches and
 * their idempotency keys, readings, quarantine, the registry of gateways and devices. Every
 * implementation (SqliteCloudStore, the PostgreSQL store) must pass it; the health part has its own
 * suite (health-conformance.ts).
 *
 * `open(st)` gives a fresh, empty store for subtest `st` and registers on `st` the teardown that
 * closes it; the suite never closes a store itself.
 *
 * Beyond the interface's comments, the suite pins what SqliteCloudStore does and callers rely on:
 * - lists ordered by id compare ids by code point (SQLite BINARY, PostgreSQL COLLATE "C"), as paging by id needs;
 * - ties in time are read in arrival order (batch order within a batch, then the order batches were
 *   stored); `newestFirst` is the exact reverse of that order;
 * - the store's own quarantine groups follow the decoder's in an IngestResult; a
 *   CLOUD_ERR_DEVICE_OWNER group is one per device, metric '', its readings in `count`, its events in `events`;
 * - quarantine totals are listed by code; `recent` is newest first, a batch's groups in reverse of their listing;
 * - a stored batch sets its gateway's lastBatchMs and lastSeenMs (to the store's clock) and adds
 *   to its `batches` and `readings`; a duplicate changes nothing but the duplicates figure;
 * - stats().quarantined counts quarantined readings (not events).
 * `events: 0` and a missing `events` are taken as the same.
 */
import type { Test } from 'tap';
import type { DecodedBatch, QuarantineGroup } from '../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../proto/index.js';
import type { EventInput, Reading, ReadingValue } from '../../../proto/reading.js';
import type { CloudStore, IngestResult, StoredReading } from '../../../cloud/store/cloud-store.js';

const T0 = 1_700_000_000_000;

const rd = (
  deviceId: string,
  ts: number,
  value: ReadingValue = 1,
  metric = 'volume',
  extra: Partial<Reading> = {},
) => ({
  deviceId,
  metric,
  unit: 'm3',
  ts,
  value,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
  ...extra,
});

const ev = (id: string, deviceId: string, tsMs = T0): EventInput => ({
  id,
  deviceId,
  type: 'battery_low',
  severity: 1,
  tsMs,
  message: `event ${id}`,
  active: true,
});

const batch = (
  gatewayId: string,
  seq: number,
  readings: Reading[],
  o: { epoch?: number; events?: EventInput[]; quarantined?: QuarantineGroup[] } = {},
): DecodedBatch => ({
  gatewayId,
  epoch: o.epoch ?? 1,
  seq,
  readings,
  events: o.events ?? [],
  quarantined: o.quarantined ?? [],
});

/** A group as the decoder would give it. */
const qg = (deviceId: string, metric: string, code: string, count: number, events = 0): QuarantineGroup => ({
  deviceId,
  metric,
  code,
  detail: `${code} of ${deviceId}/${metric}`,
  count,
  ...(events ? { events } : {}),
});

/** `events` absent and `events: 0` are the same. */
const norm = <G extends QuarantineGroup>(g: G): G & { events: number } => ({ ...g, events: g.events ?? 0 });
const normAll = (gs: QuarantineGroup[]) => gs.map(norm);

/** What a CLOUD_ERR_DEVICE_OWNER group must say (its detail is free text). */
const ownerGroup = (deviceId: string, count: number, events = 0) => ({
  deviceId,
  metric: '',
  code: 'CLOUD_ERR_DEVICE_OWNER',
  count,
  events,
});
const withoutDetail = ({ detail: _d, ...g }: QuarantineGroup) => ({ ...g, events: g.events ?? 0 });

const values = (rs: StoredReading[]): ReadingValue[] => rs.map((r) => r.value);
const between = (x: number | null | undefined, lo: number, hi: number): boolean =>
  typeof x === 'number' && x >= lo && x <= hi;

export function cloudStoreConformance(t: Test, open: (t: Test) => Promise<CloudStore>): void {
  t.test('a fresh store is empty', async (t) => {
    const s = await open(t);
    t.strictSame(await s.stats(), { gateways: 0, devices: 0, readings: 0, batches: 0, duplicates: 0, quarantined: 0 });
    t.strictSame(await s.listGateways(), []);
    t.strictSame(await s.listDevices(), []);
    t.strictSame(await s.listDevices('gw-1'), []);
    const revoked = await s.revokedGateways();
    t.ok(revoked instanceof Map, 'revokedGateways gives a Map');
    t.equal(revoked.size, 0, 'nothing revoked');
    t.equal(await s.getGateway('gw-1'), undefined);
    t.equal(await s.getDevice('d-1'), undefined);
    t.equal(await s.gatewaySecretHash('gw-1'), undefined);
    t.strictSame(await s.quarantine('gw-1'), { totals: [], recent: [] });
    t.strictSame(await s.readings({ deviceId: 'd-1' }), []);
  });

  t.test('gateways: create once, secret hash, online state, listed by id in code-point order', async (t) => {
    const s = await open(t);
    const ids = ['gwa', 'gw-b', 'GW-Z', 'gw_c', 'gw-10', 'gw-2'];
    const t0 = Date.now();
    for (const id of ids) await s.createGateway(id, `hash-of-${id}`);
    const t1 = Date.now();
    await t.rejects(s.createGateway('gw-b', 'another'), { code: 'CLOUD_ERR_CONFLICT' }, 'an existing id: conflict');
    t.equal(await s.gatewaySecretHash('gw-b'), 'hash-of-gw-b', 'the conflict changed nothing');
    const argon = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
    await s.createGateway('gw-argon', argon);
    t.equal(await s.gatewaySecretHash('gw-argon'), argon, 'the hash is kept as given');
    t.equal(await s.gatewaySecretHash('gw-nope'), undefined);

    const list = await s.listGateways();
    t.strictSame(
      list.map((g) => g.id),
      ['GW-Z', 'gw-10', 'gw-2', 'gw-argon', 'gw-b', 'gw_c', 'gwa'],
      'ordered by id, code point by code point (not a locale collation)',
    );
    const g = await s.getGateway('gw-b');
    t.ok(between(g?.createdMs, t0, t1), 'createdMs is the creation time');
    t.strictSame(g, {
      id: 'gw-b',
      createdMs: g?.createdMs,
      online: false,
      lastSeenMs: null,
      lastBatchMs: null,
      batches: 0,
      readings: 0,
      revokedMs: null,
    });
    t.strictSame(
      list.find((x) => x.id === 'gw-b'),
      g,
      'listGateways gives the same records as getGateway',
    );

    await s.setGatewayOnline('gw-b', true, 1234);
    t.match(await s.getGateway('gw-b'), { online: true, lastSeenMs: 1234 });
    t.match(await s.getGateway('gw-2'), { online: false, lastSeenMs: null }, 'other gateways untouched');
    await s.setGatewayOnline('gw-b', false, 5678);
    t.match(await s.getGateway('gw-b'), { online: false, lastSeenMs: 5678, lastBatchMs: null, batches: 0 });
    t.strictSame(
      (await s.listGateways()).filter((x) => x.online).map((x) => x.id),
      [],
      'none online after going offline',
    );
    await s.setGatewayOnline('gw-10', true, 99);
    t.strictSame(
      (await s.listGateways()).filter((x) => x.online).map((x) => [x.id, x.lastSeenMs]),
      [['gw-10', 99]],
    );
    t.equal((await s.revokedGateways()).size, 0, 'creating gateways revokes none');
    t.equal((await s.stats()).gateways, 7);
  });

  t.test(
    'a batch is stored once: a resend is a duplicate that writes nothing and answers the first quarantine',
    async (t) => {
      const s = await open(t);
      await s.createGateway('gw-1', 'h');
      await s.createGateway('gw-2', 'h');
      const r1 = await s.ingestBatch(batch('gw-1', 1, [rd('d-1', T0), rd('d-1', T0 + 1), rd('d-1', T0 + 2)]));
      t.strictSame(r1, { status: 'stored', readings: 3, quarantinedReadings: 0, quarantined: [] });

      const decoderGroups = [
        qg('d-3', 'temperature', 'WIRE_ERR_READING_RANGE', 2),
        qg('d-3', '', 'WIRE_ERR_INVALID', 0, 1),
        qg('d-4', 'flow', 'WIRE_ERR_READING_VALUE', 1),
      ];
      const b2 = batch('gw-1', 2, [rd('d-1', T0 + 10), rd('d-2', T0 + 10, 5, 'flow'), rd('d-2', T0 + 11, 6, 'flow')], {
        events: [ev('e-1', 'd-1'), ev('e-2', '')],
        quarantined: decoderGroups,
      });
      const r2 = await s.ingestBatch(b2);
      t.strictSame(
        { ...r2, quarantined: normAll(r2.quarantined) },
        { status: 'stored', readings: 3, quarantinedReadings: 3, quarantined: normAll(decoderGroups) },
        "the decoder's groups are answered as given",
      );

      const snapshot = async () => ({
        stats: await s.stats(),
        gateway: await s.getGateway('gw-1'),
        devices: await s.listDevices(),
        d1: await s.readings({ deviceId: 'd-1' }),
        d2: await s.readings({ deviceId: 'd-2' }),
        quarantine: await s.quarantine('gw-1'),
        events: (await s.listEvents({ gatewayId: 'gw-1' })).length,
      });
      const before = await snapshot();
      t.equal(before.events, 2, 'the events were stored');
      t.strictSame(
        before.stats,
        { gateways: 2, devices: 2, readings: 6, batches: 2, duplicates: 0, quarantined: 3 },
        'stats after two batches',
      );

      const dup = await s.ingestBatch(b2);
      t.strictSame(
        { ...dup, quarantined: normAll(dup.quarantined) },
        { status: 'duplicate', readings: 0, quarantinedReadings: 3, quarantined: normAll(decoderGroups) },
        "a duplicate answers nothing written and the first time's quarantine",
      );
      // same key, other content: the key decides
      const other = await s.ingestBatch(batch('gw-1', 2, [rd('d-1', T0 + 50), rd('d-9', T0 + 50)]));
      t.strictSame(
        { ...other, quarantined: normAll(other.quarantined) },
        { status: 'duplicate', readings: 0, quarantinedReadings: 3, quarantined: normAll(decoderGroups) },
        'a resend with other content under the same key is a duplicate of the first',
      );
      t.strictSame(
        await s.ingestBatch(batch('gw-1', 1, [])),
        { status: 'duplicate', readings: 0, quarantinedReadings: 0, quarantined: [] },
        'a duplicate of a batch without quarantine',
      );
      const after = await snapshot();
      t.strictSame(
        after.stats,
        { ...before.stats, duplicates: 3 },
        'duplicates write nothing: only the duplicates figure moves',
      );
      t.strictSame(after.gateway, before.gateway, "the gateway's figures are unchanged");
      t.strictSame(after.devices, before.devices, 'devices unchanged (no d-9)');
      t.strictSame(after.d1, before.d1, 'no reading written twice');
      t.strictSame(after.d2, before.d2);
      t.strictSame(after.quarantine, before.quarantine, 'quarantine not counted twice');
      t.equal(after.events, 2, 'no event written twice');

      // the key is (gateway, epoch, seq)
      t.match(await s.ingestBatch(batch('gw-1', 2, [rd('d-1', T0 + 20)], { epoch: 2 })), {
        status: 'stored',
        readings: 1,
      });
      t.match(await s.ingestBatch(batch('gw-2', 2, [rd('e-1', T0 + 20)])), { status: 'stored', readings: 1 });
      t.match(await s.ingestBatch(batch('gw-1', 3, [])), { status: 'stored', readings: 0 }, 'an empty batch is stored');
      t.equal((await s.ingestBatch(batch('gw-1', 3, []))).status, 'duplicate', 'and then known');
      t.strictSame(await s.stats(), {
        gateways: 2,
        devices: 3,
        readings: 8,
        batches: 5,
        duplicates: 4,
        quarantined: 3,
      });
      t.match(await s.getGateway('gw-1'), { batches: 4, readings: 7 });
      t.match(await s.getGateway('gw-2'), { batches: 1, readings: 1 });
    },
  );

  t.test('the same batch sent five times at once is stored exactly once', async (t) => {
    const s = await open(t);
    await s.createGateway('gw-1', 'h');
    const groups = [qg('x', 'm', 'WIRE_ERR_READING_RANGE', 4)];
    const b = batch(
      'gw-1',
      7,
      Array.from({ length: 40 }, (_, i) => rd(`d-${i % 4}`, T0 + i)),
      { quarantined: groups, events: [ev('e-1', 'd-0')] },
    );
    const rs = await Promise.all(Array.from({ length: 5 }, () => s.ingestBatch({ ...b })));
    const stored = rs.filter((r) => r.status === 'stored');
    const dups = rs.filter((r) => r.status === 'duplicate');
    t.equal(stored.length, 1, "exactly one 'stored'");
    t.equal(dups.length, 4, "four 'duplicate'");
    t.match(stored[0], { readings: 40, quarantinedReadings: 4 });
    for (const d of dups)
      t.strictSame(
        { ...d, quarantined: normAll(d.quarantined) },
        { status: 'duplicate', readings: 0, quarantinedReadings: 4, quarantined: normAll(groups) },
        "each duplicate carries the stored batch's quarantine",
      );
    t.strictSame(await s.stats(), {
      gateways: 1,
      devices: 4,
      readings: 40,
      batches: 1,
      duplicates: 4,
      quarantined: 4,
    });
    t.strictSame(
      (await s.listDevices()).map((d) => [d.id, d.readings]),
      [
        ['d-0', 10],
        ['d-1', 10],
        ['d-2', 10],
        ['d-3', 10],
      ],
    );
    t.equal((await s.readings({ deviceId: 'd-0', limit: 1000 })).length, 10, 'readings written once');
    t.equal((await s.listEvents({ gatewayId: 'gw-1' })).length, 1, 'the event written once');
    t.match(await s.getGateway('gw-1'), { batches: 1, readings: 40 });
    t.strictSame((await s.quarantine('gw-1')).totals, [{ code: 'WIRE_ERR_READING_RANGE', readings: 4, events: 0 }]);
  });

  t.test('many distinct batches at once are all stored, with exact counts', async (t) => {
    const s = await open(t);
    const gws = ['gw-1', 'gw-2', 'gw-3'];
    for (const g of gws) await s.createGateway(g, 'h');
    const perGw = 20,
      perBatch = 25;
    const batches: DecodedBatch[] = [];
    for (const [gi, g] of gws.entries())
      for (let seq = 1; seq <= perGw; seq++)
        batches.push(
          batch(
            g,
            seq,
            Array.from({ length: perBatch }, (_, i) =>
              // unique timestamps: device a gets the even ones, b the odd ones
              rd(`${g}-${i % 2 ? 'b' : 'a'}`, T0 + gi * 1_000_000 + seq * 1000 + i, seq * 1000 + i),
            ),
          ),
        );
    // interleave the gateways, as concurrent sessions would
    const order = batches.map((b, i) => ({ b, k: (i % perGw) * gws.length + Math.floor(i / perGw) }));
    order.sort((x, y) => x.k - y.k);
    const rs = await Promise.all(order.map(({ b }) => s.ingestBatch(b)));
    t.equal(rs.filter((r) => r.status === 'stored' && r.readings === perBatch).length, 60, 'all 60 stored, 25 each');
    t.equal(rs.filter((r) => r.quarantined.length > 0).length, 0, 'nothing quarantined');
    t.strictSame(await s.stats(), {
      gateways: 3,
      devices: 6,
      readings: 1500,
      batches: 60,
      duplicates: 0,
      quarantined: 0,
    });
    t.strictSame(
      (await s.listDevices()).map((d) => [d.id, d.gatewayId, d.readings, d.lastReadingTs]),
      gws.flatMap((g, gi) => [
        [`${g}-a`, g, 260, T0 + gi * 1_000_000 + 20 * 1000 + 24],
        [`${g}-b`, g, 240, T0 + gi * 1_000_000 + 20 * 1000 + 23],
      ]),
      'per device: readings and the last reading time',
    );
    for (const g of gws) t.match(await s.getGateway(g), { batches: 20, readings: 500 });
    const a = await s.readings({ deviceId: 'gw-2-a', limit: 100_000 });
    const expectTs = Array.from({ length: perGw }, (_, k) =>
      Array.from({ length: 13 }, (_, j) => T0 + 1_000_000 + (k + 1) * 1000 + 2 * j),
    ).flat();
    t.strictSame(
      a.map((r) => r.ts),
      expectTs,
      'every reading of gw-2-a, in time order',
    );
    t.ok(
      a.every((r) => r.gatewayId === 'gw-2' && r.value === r.ts - T0 - 1_000_000),
      'each with its own value and gateway',
    );
  });

  t.test(
    "device ownership: another gateway's data for a device is quarantined until an operator moves it",
    async (t) => {
      const s = await open(t);
      await s.createGateway('gw-1', 'h');
      await s.createGateway('gw-2', 'h');
      await s.ingestBatch(batch('gw-1', 1, [rd('d-1', T0), rd('d-1', T0 + 1)], { events: [ev('e-0', 'd-1')] }));
      const decoder = [qg('d-7', 'm', 'WIRE_ERR_READING_VALUE', 1)];
      const b2 = batch(
        'gw-2',
        1,
        [rd('d-1', T0 + 2), rd('d-9', T0 + 2), rd('d-1', T0 + 3), rd('d-1', T0 + 4), rd('d-9', T0 + 5)],
        { events: [ev('e-1', 'd-1'), ev('e-2', 'd-9'), ev('e-3', '')], quarantined: decoder },
      );
      const r = await s.ingestBatch(b2);
      t.match(r, { status: 'stored', readings: 2, quarantinedReadings: 4 }, "the rest of gw-2's batch is stored");
      t.strictSame(
        r.quarantined.map(withoutDetail),
        [...decoder.map(withoutDetail), ownerGroup('d-1', 3, 1)],
        "the decoder's groups, then one CLOUD_ERR_DEVICE_OWNER group for d-1 with its readings and events",
      );
      t.type(r.quarantined[1]?.detail, 'string');
      t.match(await s.getDevice('d-1'), { gatewayId: 'gw-1', readings: 2, lastReadingTs: T0 + 1 }, 'd-1 stays');
      t.match(await s.getDevice('d-9'), { gatewayId: 'gw-2', readings: 2, lastReadingTs: T0 + 5 });
      t.strictSame(
        (await s.readings({ deviceId: 'd-1' })).map((x) => [x.ts, x.gatewayId]),
        [
          [T0, 'gw-1'],
          [T0 + 1, 'gw-1'],
        ],
        "none of gw-2's readings of d-1 stored",
      );
      t.strictSame(
        (await s.listEvents({ deviceId: 'd-1' })).map((e) => e.gatewayId),
        ['gw-1'],
        "gw-2's event of d-1 not stored",
      );
      t.equal((await s.listEvents({ gatewayId: 'gw-2' })).length, 2, "gw-2's own events stored (d-9, gateway)");
      t.match(await s.getGateway('gw-2'), { batches: 1, readings: 2 });
      t.strictSame((await s.quarantine('gw-2')).totals, [
        { code: 'CLOUD_ERR_DEVICE_OWNER', readings: 3, events: 1 },
        { code: 'WIRE_ERR_READING_VALUE', readings: 1, events: 0 },
      ]);
      t.strictSame(await s.quarantine('gw-1'), { totals: [], recent: [] }, "gw-1's quarantine is empty");

      await t.rejects(s.moveDevice('d-1', 'gw-nope'), { code: 'CLOUD_ERR_NOT_FOUND' }, 'unknown gateway');
      await t.rejects(s.moveDevice('d-nope', 'gw-2'), { code: 'CLOUD_ERR_NOT_FOUND' }, 'unknown device');
      t.match(await s.getDevice('d-1'), { gatewayId: 'gw-1' }, 'a refused move changes nothing');
      t.equal(await s.getDevice('d-nope'), undefined, 'nor creates the device');

      const moved = await s.moveDevice('d-1', 'gw-2');
      t.match(moved, { id: 'd-1', gatewayId: 'gw-2', readings: 2, lastReadingTs: T0 + 1 }, 'moved, history kept');
      t.strictSame(await s.getDevice('d-1'), moved, 'moveDevice answers the record as stored');
      t.strictSame(
        (await s.listDevices('gw-2')).map((d) => d.id),
        ['d-1', 'd-9'],
      );
      t.strictSame(await s.listDevices('gw-1'), []);

      const dup = await s.ingestBatch(b2);
      t.strictSame(
        { status: dup.status, readings: dup.readings, quarantinedReadings: dup.quarantinedReadings },
        { status: 'duplicate', readings: 0, quarantinedReadings: 4 },
        'a resend after the move is still a duplicate',
      );
      t.strictSame(
        dup.quarantined.map(withoutDetail),
        r.quarantined.map(withoutDetail),
        "with the first time's groups, not re-judged",
      );
      t.equal((await s.getDevice('d-1'))?.readings, 2, 'and stores nothing');

      const r3 = await s.ingestBatch(
        batch('gw-2', 2, [rd('d-1', T0 + 10), rd('d-1', T0 + 11)], { events: [ev('e-4', 'd-1')] }),
      );
      t.strictSame(
        r3,
        { status: 'stored', readings: 2, quarantinedReadings: 0, quarantined: [] },
        'after the move: in',
      );
      t.match(await s.getDevice('d-1'), { gatewayId: 'gw-2', readings: 4, lastReadingTs: T0 + 11 });
      t.strictSame(
        (await s.readings({ deviceId: 'd-1' })).map((x) => x.gatewayId),
        ['gw-1', 'gw-1', 'gw-2', 'gw-2'],
        'each reading keeps the gateway that sent it',
      );
      t.strictSame(
        (await s.listEvents({ deviceId: 'd-1' })).map((e) => e.gatewayId).sort(),
        ['gw-1', 'gw-2'],
        "gw-2's event of d-1 stored now",
      );

      const r4 = await s.ingestBatch(batch('gw-1', 2, [rd('d-1', T0 + 20), rd('d-5', T0 + 20)]));
      t.match(r4, { status: 'stored', readings: 1, quarantinedReadings: 1 });
      t.strictSame(r4.quarantined.map(withoutDetail), [ownerGroup('d-1', 1)], 'now gw-1 is the foreign one');
      t.equal((await s.getDevice('d-1'))?.readings, 4);

      t.match(
        await s.moveDevice('d-1', 'gw-2'),
        { gatewayId: 'gw-2', readings: 4 },
        'a move to its own gateway: no-op',
      );
      t.strictSame(await s.stats(), {
        gateways: 2,
        devices: 3,
        readings: 7,
        batches: 4,
        duplicates: 1,
        quarantined: 5,
      });
    },
  );

  t.test('two gateways reporting a new device at once: exactly one owns it', async (t) => {
    const s = await open(t);
    await s.createGateway('gw-1', 'h');
    await s.createGateway('gw-2', 'h');
    const owners = new Set<string>();
    let ok = 0;
    for (let round = 1; round <= 6; round++) {
      const id = `race-${round}`;
      const n = { 'gw-1': 3, 'gw-2': 4 } as const;
      const [a, b] = await Promise.all([
        s.ingestBatch(batch('gw-1', round, [rd(id, T0), rd(id, T0 + 1), rd(id, T0 + 2)])),
        s.ingestBatch(batch('gw-2', round, [rd(id, T0), rd(id, T0 + 1), rd(id, T0 + 2), rd(id, T0 + 3)])),
      ]);
      const dev = await s.getDevice(id);
      const owner = dev?.gatewayId;
      if (owner !== 'gw-1' && owner !== 'gw-2') {
        t.fail(`round ${round}: no owner (${String(owner)})`);
        continue;
      }
      owners.add(owner);
      const [mine, theirs] = owner === 'gw-1' ? [a, b] : [b, a];
      const other = owner === 'gw-1' ? 'gw-2' : 'gw-1';
      const good =
        mine.status === 'stored' &&
        mine.readings === n[owner] &&
        mine.quarantined.length === 0 &&
        theirs.status === 'stored' &&
        theirs.readings === 0 &&
        theirs.quarantinedReadings === n[other] &&
        JSON.stringify(theirs.quarantined.map(withoutDetail)) === JSON.stringify([ownerGroup(id, n[other])]) &&
        dev?.readings === n[owner];
      const stored = await s.readings({ deviceId: id });
      if (good && stored.length === n[owner] && stored.every((x) => x.gatewayId === owner)) ok++;
      else t.fail(`round ${round}`, { a, b, dev, stored });
    }
    t.equal(ok, 6, "every round: the owner's readings stored, the other's quarantined as CLOUD_ERR_DEVICE_OWNER");
    t.ok(owners.size >= 1);
    const st = await s.stats();
    const q1 = (await s.quarantine('gw-1')).totals.reduce((x, y) => x + y.readings, 0);
    const q2 = (await s.quarantine('gw-2')).totals.reduce((x, y) => x + y.readings, 0);
    t.equal(st.readings + st.quarantined, 6 * 7, 'every reading either stored or quarantined');
    t.equal(q1 + q2, st.quarantined);
  });

  t.test('readings: time order, ties in arrival order, newest first, metric, from/to inclusive, limit', async (t) => {
    const s = await open(t);
    await s.createGateway('gw-1', 'h');
    await s.createGateway('gw-2', 'h');
    // the value names the reading
    await s.ingestBatch(
      batch('gw-1', 1, [
        rd('r-1', 3000, 'a', 'm1'),
        rd('r-1', 1000, 'b', 'm1'),
        rd('r-1', 2000, 'c', 'm2'),
        rd('r-1', 2000, 'd', 'm1'),
        rd('r-2', 2000, 'x', 'm1'),
        rd('r-1', 5000, 'e', 'm2'),
      ]),
    );
    await s.ingestBatch(
      batch('gw-1', 2, [rd('r-1', 2000, 'f', 'm1'), rd('r-1', 4000, 'g', 'm1'), rd('r-1', 1000, 'h', 'm2')]),
    );
    await s.ingestBatch(batch('gw-1', 3, [rd('r-1', 2000, 'i', 'm2')]));
    const q = async (o: Omit<Parameters<CloudStore['readings']>[0], 'deviceId'>) =>
      values(await s.readings({ deviceId: 'r-1', ...o }));
    t.strictSame(
      await q({}),
      ['b', 'h', 'c', 'd', 'f', 'i', 'a', 'g', 'e'],
      'time order; ties: batch order, then arrival',
    );
    t.strictSame(
      await q({ newestFirst: true }),
      ['e', 'g', 'a', 'i', 'f', 'd', 'c', 'h', 'b'],
      'newest first: the reverse',
    );
    t.strictSame(await q({ metric: 'm1' }), ['b', 'd', 'f', 'a', 'g']);
    t.strictSame(await q({ metric: 'm2' }), ['h', 'c', 'i', 'e']);
    t.strictSame(await q({ metric: 'm3' }), []);
    t.strictSame(await q({ fromMs: 2000, toMs: 4000 }), ['c', 'd', 'f', 'i', 'a', 'g'], 'from and to inclusive');
    t.strictSame(await q({ fromMs: 2000, toMs: 2000 }), ['c', 'd', 'f', 'i']);
    t.strictSame(await q({ fromMs: 4001 }), ['e']);
    t.strictSame(await q({ toMs: 999 }), []);
    t.strictSame(await q({ toMs: 1000 }), ['b', 'h']);
    t.strictSame(await q({ limit: 3 }), ['b', 'h', 'c'], 'limit: the oldest');
    t.strictSame(await q({ limit: 3, newestFirst: true }), ['e', 'g', 'a'], 'newest first: the newest `limit`');
    t.strictSame(await q({ limit: 1 }), ['b']);
    t.strictSame(await q({ metric: 'm1', newestFirst: true, limit: 2 }), ['g', 'a']);
    t.strictSame(await q({ fromMs: 1000, toMs: 3000, newestFirst: true, limit: 4 }), ['a', 'i', 'f', 'd']);
    t.strictSame(await q({ fromMs: 2000, metric: 'm2', limit: 1 }), ['c']);
    t.strictSame(values(await s.readings({ deviceId: 'r-2' })), ['x'], "another device's readings are its own");
    t.strictSame(await s.readings({ deviceId: 'r-3' }), []);
    const [one] = await s.readings({ deviceId: 'r-1', limit: 1 });
    t.strictSame(
      one,
      {
        deviceId: 'r-1',
        metric: 'm1',
        unit: 'm3',
        ts: 1000,
        value: 'b',
        clock: ClockQuality.CLOCK_DEVICE,
        priority: Priority.PRIORITY_NORMAL,
        gatewayId: 'gw-1',
      },
      'a stored reading as a whole',
    );
  });

  t.test('values, units, clocks and priorities round-trip exactly', async (t) => {
    const s = await open(t);
    await s.createGateway('gw-v', 'h');
    const vals: ReadingValue[] = [
      0,
      1,
      -1,
      42,
      -273.15,
      0.1,
      21.5,
      Math.PI,
      123456.789,
      1e300,
      -1e300,
      1e-300,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      true,
      false,
      '',
      'v1.2.3',
      'tab\there',
      'line\nbreak\r\nand CR',
      'back\\slash \\n \\\\',
      `quotes ' " \` ''`,
      "'; DROP TABLE readings; --",
      'unicode: 温度 µg/m³ Ωmega café 🌡️👍',
      '42',
      'true',
      '1e300',
      'null',
      ' padded  ',
    ];
    const clocks = [
      ClockQuality.CLOCK_GATEWAY_SYNCED,
      ClockQuality.CLOCK_DEVICE,
      ClockQuality.CLOCK_GATEWAY_UNSYNCED,
      ClockQuality.CLOCK_GATEWAY_CORRECTED,
    ];
    const prios = [Priority.PRIORITY_NORMAL, Priority.PRIORITY_ALARM, Priority.PRIORITY_BULK];
    const units = ['m3', '', 'ug/m3', 'µg/m³', '%RH', 'Cel'];
    const readings = vals.map((value, i) =>
      rd('v-1', T0 + i * 1000, value, i % 3 ? 'v' : 'status', {
        unit: units[i % units.length]!,
        clock: clocks[i % clocks.length]!,
        priority: prios[i % prios.length]!,
      }),
    );
    t.match(await s.ingestBatch(batch('gw-v', 1, readings)), { status: 'stored', readings: vals.length });
    const back = await s.readings({ deviceId: 'v-1', limit: 1000 });
    t.strictSame(
      back,
      readings.map((r) => ({ ...r, gatewayId: 'gw-v' })),
      'every field of every reading as sent (number, boolean and string kinds kept)',
    );
    for (const [i, v] of vals.entries()) {
      const got = back[i]?.value;
      if (typeof got !== typeof v || got !== v)
        t.fail(`value ${JSON.stringify(v)} came back as ${JSON.stringify(got)}`);
    }
    t.equal(back.filter((r, i) => typeof r.value === typeof vals[i]).length, vals.length, 'each value keeps its type');
  });

  t.test('a string value with U+0000 (the decoder lets it through) round-trips', async (t) => {
    const s = await open(t);
    await s.createGateway('gw-n', 'h');
    const r = await s.ingestBatch(batch('gw-n', 1, [rd('n-1', T0, 'a\u0000b'), rd('n-1', T0 + 1, '\u0000')]));
    t.match(r, { status: 'stored', readings: 2 });
    t.strictSame(values(await s.readings({ deviceId: 'n-1' })), ['a\u0000b', '\u0000']);
  });

  t.test('devices: listed by id, all or per gateway, with readings and the last reading time', async (t) => {
    const s = await open(t);
    await s.createGateway('gw-1', 'h');
    await s.createGateway('gw-2', 'h');
    const t0 = Date.now();
    await s.ingestBatch(batch('gw-1', 1, [rd('m-b', 5000), rd('m-b', 7000), rd('M-a', 100), rd('m-b', 6500)]));
    await s.ingestBatch(
      batch('gw-1', 2, [rd('m-b', 6000), rd('m_c', 9)], { quarantined: [qg('m_c', 'x', 'WIRE_ERR_READING_RANGE', 5)] }),
    );
    await s.ingestBatch(batch('gw-2', 1, [rd('m-a2', 42), rd('m-a2', 41)]));
    const t1 = Date.now();
    const all = await s.listDevices();
    t.strictSame(
      all.map((d) => [d.id, d.gatewayId, d.readings, d.lastReadingTs, d.type]),
      [
        ['M-a', 'gw-1', 1, 100, ''],
        ['m-a2', 'gw-2', 2, 42, ''],
        ['m-b', 'gw-1', 4, 7000, ''],
        ['m_c', 'gw-1', 1, 9, ''],
      ],
      'ordered by id (code points); readings counted; last reading = the latest timestamp, not the last to arrive',
    );
    t.ok(
      all.every((d) => between(d.firstSeenMs, t0, t1) && between(d.lastSeenMs, d.firstSeenMs, t1)),
      'first and last seen are arrival times',
    );
    t.strictSame(
      (await s.listDevices('gw-1')).map((d) => d.id),
      ['M-a', 'm-b', 'm_c'],
    );
    t.strictSame(
      (await s.listDevices('gw-2')).map((d) => d.id),
      ['m-a2'],
    );
    t.strictSame(await s.listDevices('gw-none'), []);
    t.strictSame(await s.getDevice('m-b'), all[2], 'getDevice gives the listed record');
    const g1 = await s.getGateway('gw-1');
    t.match(g1, { batches: 2, readings: 6 });
    t.ok(between(g1?.lastBatchMs, t0, t1), 'lastBatchMs: when the last batch was stored');
    t.ok(between(g1?.lastSeenMs, t0, t1), 'a batch is a sign of life: lastSeenMs');
    t.strictSame(await s.stats(), {
      gateways: 2,
      devices: 4,
      readings: 8,
      batches: 3,
      duplicates: 0,
      quarantined: 5,
    });
  });

  t.test('quarantine: newest groups first, at most `limit`, totals per code', async (t) => {
    const s = await open(t);
    await s.createGateway('gw-q', 'h');
    await s.createGateway('gw-o', 'h');
    await s.ingestBatch(
      batch('gw-o', 1, [rd('own-1', T0)], { quarantined: [qg('o', 'o', 'WIRE_ERR_READING_RANGE', 7)] }),
    );
    const t0 = Date.now();
    const A = qg('d1', 'm', 'WIRE_ERR_READING_RANGE', 2);
    const B = qg('d1', '', 'WIRE_ERR_INVALID', 0, 1);
    const C = qg('d2', 'v', 'WIRE_ERR_READING_VALUE', 1);
    await s.ingestBatch(batch('gw-q', 1, [rd('q-1', T0)], { quarantined: [A, B] }));
    await s.ingestBatch(batch('gw-q', 2, [], { quarantined: [C], epoch: 3 }));
    const r3 = await s.ingestBatch(
      batch('gw-q', 3, [rd('own-1', T0 + 1), rd('own-1', T0 + 2), rd('q-1', T0 + 1)], { epoch: 3 }),
    );
    t.match(r3, { readings: 1, quarantinedReadings: 2 });
    const t1 = Date.now();
    const q = await s.quarantine('gw-q');
    t.ok(
      q.recent.every((r) => between(r.receivedMs, t0, t1)),
      'receivedMs: when the batch was stored',
    );
    const D = { ...r3.quarantined[0]! };
    t.strictSame(
      q.recent.map((r) => norm({ ...r, receivedMs: 0 })),
      [
        { gatewayId: 'gw-q', epoch: 3, seq: 3, ...D },
        { gatewayId: 'gw-q', epoch: 3, seq: 2, ...C },
        { gatewayId: 'gw-q', epoch: 1, seq: 1, ...B },
        { gatewayId: 'gw-q', epoch: 1, seq: 1, ...A },
      ].map((r) => norm({ ...r, receivedMs: 0 })),
      "newest first (a batch's groups in reverse), each with its batch key",
    );
    t.strictSame(withoutDetail(D), ownerGroup('own-1', 2), "the store's own group is kept as answered");
    t.strictSame(
      (await s.quarantine('gw-q', 2)).recent.map((r) => [r.seq, r.code]),
      [
        [3, 'CLOUD_ERR_DEVICE_OWNER'],
        [2, 'WIRE_ERR_READING_VALUE'],
      ],
      'limit 2',
    );
    t.equal((await s.quarantine('gw-q', 1)).recent.length, 1, 'limit 1');
    t.strictSame(q.totals, [
      { code: 'CLOUD_ERR_DEVICE_OWNER', readings: 2, events: 0 },
      { code: 'WIRE_ERR_INVALID', readings: 0, events: 1 },
      { code: 'WIRE_ERR_READING_RANGE', readings: 2, events: 0 },
      { code: 'WIRE_ERR_READING_VALUE', readings: 1, events: 0 },
    ]);
    t.strictSame(
      (await s.quarantine('gw-o')).totals,
      [{ code: 'WIRE_ERR_READING_RANGE', readings: 7, events: 0 }],
      "one gateway's quarantine is its own",
    );
    t.equal((await s.stats()).quarantined, 12, 'stats: quarantined readings over all gateways');

    // more groups than an ack lists: capped as the ack says, counts exact
    const many = Array.from({ length: 150 }, (_, i) => qg(`c-${i}`, 'v', 'WIRE_ERR_READING_VALUE', 1));
    const rc = await s.ingestBatch(batch('gw-q', 4, [], { quarantined: many, epoch: 3 }));
    t.equal(rc.quarantinedReadings, 150);
    t.equal(rc.quarantined.length, 101, 'MAX_ACK_GROUPS, then one merged group per code');
    t.strictSame(rc.quarantined.slice(0, 100), many.slice(0, 100));
    t.match(rc.quarantined[100], { deviceId: '', metric: '', code: 'WIRE_ERR_READING_VALUE', count: 50 });
    const dc = await s.ingestBatch(batch('gw-q', 4, [], { epoch: 3 }));
    t.match(dc, { status: 'duplicate', readings: 0, quarantinedReadings: 150 });
    const firstKeys = rc.quarantined.map((g) => JSON.stringify(norm(g)));
    let at = 0;
    const subsequence = dc.quarantined.every((g) => {
      const k = JSON.stringify(norm(g));
      while (at < firstKeys.length && firstKeys[at] !== k) at++;
      return at++ < firstKeys.length;
    });
    t.ok(
      subsequence && dc.quarantined.length > 0,
      "the duplicate's groups: the first time's, as far as kept, in order",
    );
    t.strictSame(
      (await s.quarantine('gw-q')).totals.find((x) => x.code === 'WIRE_ERR_READING_VALUE'),
      { code: 'WIRE_ERR_READING_VALUE', readings: 151, events: 0 },
      'totals are exact beyond the cap',
    );
    t.equal((await s.stats()).quarantined, 162);
  });

  t.test('stats after a known sequence', async (t) => {
    const s = await open(t);
    await s.createGateway('gw-1', 'h');
    await s.createGateway('gw-2', 'h');
    await s.createGateway('gw-3', 'h');
    const rs: IngestResult[] = [];
    const b1 = batch('gw-1', 1, [rd('a', T0), rd('a', T0 + 1), rd('b', T0), rd('b', T0 + 5)], {
      quarantined: [qg('c', 'm', 'WIRE_ERR_READING_RANGE', 3), qg('c', '', 'WIRE_ERR_INVALID', 0, 2)],
    });
    rs.push(await s.ingestBatch(b1));
    rs.push(await s.ingestBatch(b1));
    const b2 = batch('gw-2', 1, [rd('x', T0), rd('x', T0 + 1), rd('a', T0 + 2)], { events: [ev('e', 'a')] });
    rs.push(await s.ingestBatch(b2));
    const b3 = batch('gw-2', 2, []);
    rs.push(await s.ingestBatch(b3));
    rs.push(await s.ingestBatch(b3));
    rs.push(await s.ingestBatch(b3));
    t.strictSame(
      rs.map((r) => [r.status, r.readings, r.quarantinedReadings]),
      [
        ['stored', 4, 3],
        ['duplicate', 0, 3],
        ['stored', 2, 1],
        ['stored', 0, 0],
        ['duplicate', 0, 0],
        ['duplicate', 0, 0],
      ],
    );
    t.strictSame(await s.stats(), {
      gateways: 3,
      devices: 3,
      readings: 6,
      batches: 3,
      duplicates: 3,
      quarantined: 4,
    });
    t.strictSame(
      (await s.listGateways()).map((g) => [g.id, g.batches, g.readings]),
      [
        ['gw-1', 1, 4],
        ['gw-2', 2, 2],
        ['gw-3', 0, 0],
      ],
    );
    t.equal((await s.revokedGateways()).size, 0);
  });
}
