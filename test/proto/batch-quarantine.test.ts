/**
 * Issue 16, finding 3 (the decoder's part) and the lower findings on timestamps and values: a
 * batch is never refused whole for what can be isolated. Before the fix one device's microsecond
 * timestamps made decodeBatch throw for the whole batch (the cloud answered REJECTED and the edge
 * dead-lettered five healthy devices' readings); `t=1e300` arrived as ts 0 and overflowing values
 * as null. Now the bad readings, series, blocks and events are quarantined with a code and a
 * count, and everything else decodes.
 */
import t from 'tap';
import { encodeBatch, decodeBatch, capQuarantine, type QuarantineGroup } from '../../proto/batch-codec.js';
import { pb, Priority, ClockQuality } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';

const NOW = 1_700_000_000_000;
const r = (deviceId: string, metric: string, ts: number, value: Reading['value'], unit = 'm3'): Reading => ({
  deviceId,
  metric,
  unit,
  ts,
  value,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
});
const key = { gatewayId: 'gw-1', epoch: 1, seq: 1 };
const window = { minTsMs: Date.UTC(2000, 0, 1), maxTsMs: NOW + 86_400_000 };
const total = (q: QuarantineGroup[]): number => q.reduce((n, g) => n + g.count, 0);

t.test('one device with microsecond timestamps costs only its own readings', async (t) => {
  const healthy = Array.from({ length: 200 }, (_, i) => r(`meter-${i % 5}`, 'volume', NOW - 3_600_000 + i * 1000, i));
  const usec = Array.from({ length: 40 }, (_, i) => r('meter-usec', 'volume', (NOW - 3_600_000 + i * 1000) * 1e6, i)); // SenML t in µs read as seconds: beyond 2^53 ms
  for (const codec of [pb.BodyCodec.BODY_PLAIN, pb.BodyCodec.BODY_DEFLATE_DICT1]) {
    const d = decodeBatch(encodeBatch(key, [...healthy, ...usec], [], { codec }), window);
    t.equal(d.readings.length, 200, 'every healthy reading decodes');
    t.same(
      new Set(d.readings.map((x) => x.deviceId)),
      new Set(['meter-0', 'meter-1', 'meter-2', 'meter-3', 'meter-4']),
    );
    t.match(d.quarantined, [
      {
        deviceId: 'meter-usec',
        metric: 'volume',
        code: 'WIRE_ERR_READING_RANGE',
        detail: /timestamp .* outside 2000-01-01/,
        count: 40,
      },
    ]);
    t.equal(d.quarantined.length, 1, "one group for the device's series");
  }
});

t.test(
  'timestamps outside the accepted window and values that are not numbers are quarantined one by one',
  async (t) => {
    const rs = [
      r('a', 'volume', NOW, 1.5),
      r('a', 'volume', 0, 2.5),
      r('a', 'volume', NOW + 10 * 86_400_000, 3.5), // t=1e300 arrives as 0; a clock years ahead
      r('b', 'level', NOW, Number.NaN),
      r('b', 'level', NOW + 1000, Number.POSITIVE_INFINITY),
      r('b', 'level', NOW + 2000, 7.25),
      r('c', 'note', NOW, 'x'.repeat(100)),
      r('c', 'note', NOW + 1, 'fine'),
    ];
    const d = decodeBatch(encodeBatch(key, rs), { ...window, maxStringChars: 50 });
    t.same(d.readings.map((x) => [x.deviceId, x.ts, x.value]).sort(), [
      ['a', NOW, 1.5],
      ['b', NOW + 2000, 7.25],
      ['c', NOW + 1, 'fine'],
    ]);
    t.match(d.quarantined, [
      { deviceId: 'a', metric: 'volume', code: 'WIRE_ERR_READING_RANGE', count: 2 },
      { deviceId: 'b', metric: 'level', code: 'WIRE_ERR_READING_VALUE', detail: /NaN|Infinity/, count: 2 },
      { deviceId: 'c', metric: 'note', code: 'WIRE_ERR_READING_VALUE', detail: /string of 100 characters/, count: 1 },
    ]);
    t.equal(d.readings.length + total(d.quarantined), rs.length, 'every reading is either decoded or counted');
    // without a window only unrepresentable times are refused
    t.equal(decodeBatch(encodeBatch(key, rs.slice(0, 3))).readings.length, 3);
  },
);

t.test('an integer column that overflows 2^53 quarantines the rest of its series', async (t) => {
  const body = pb.BatchBody.encode({
    devices: [
      { deviceId: 'big', timelines: [{ startMs: NOW, count: 3 }], metric: ['m'], ints: [1, 2 ** 60, 1] },
      { deviceId: 'ok', timelines: [{ startMs: NOW, count: 1 }], metric: ['m'], ints: [42] },
    ],
  }).finish();
  const d = decodeBatch(pb.Batch.encode({ ...key, body, readingCount: 4 }).finish());
  t.same(
    d.readings.map((x) => [x.deviceId, x.value]),
    [
      ['big', 1],
      ['ok', 42],
    ],
  );
  t.match(d.quarantined, [{ deviceId: 'big', metric: 'm', code: 'WIRE_ERR_READING_VALUE', detail: /2\^53/, count: 2 }]);
});

t.test('a series or a device block that breaks the contract is quarantined alone', async (t) => {
  const tl = [{ startMs: NOW, count: 2 }];
  const devices: pb.IDeviceData[] = [
    {
      deviceId: 'good',
      timelines: tl,
      metric: ['a', 'b\u001b[31m', 'c', 'd', 'e'],
      unit: [2, 2, 99 as pb.Unit, 2, 2],
      priority: [0, 0, 0, 7 as pb.Priority, 0],
      kind: [0, 0, 0, 0, 0],
      scale: [0, 0, 0, 0, 40],
      ints: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
    },
    { deviceId: 'cols', timelines: tl, metric: ['a'], unit: [2, 2], ints: [1, 1] }, // a per-series column longer than the series
    { deviceId: 'kind', timelines: tl, metric: ['a'], kind: [9 as pb.ValueKind], ints: [1, 1] },
    { deviceId: 'nothing', timelines: [{ startMs: NOW }], metric: ['a'], ints: [1] }, // empty timeline
    { deviceId: '\u001b]0;owned\u0007', timelines: tl, metric: ['a'], ints: [1, 1] }, // terminal escapes in the id
    { deviceId: 'x'.repeat(20_000), timelines: tl, metric: ['a'], ints: [1, 1] },
    { deviceId: '', timelines: tl, metric: ['a'], ints: [1, 1] },
  ];
  const body = pb.BatchBody.encode({ devices }).finish();
  const d = decodeBatch(pb.Batch.encode({ ...key, body, readingCount: 21 }).finish());
  t.same(
    d.readings.map((x) => `${x.deviceId}/${x.metric}`),
    ['good/a', 'good/a'],
    'the good series of the good block',
  );
  const by = (id: string, metric: string): QuarantineGroup | undefined =>
    d.quarantined.find((g) => g.deviceId === id && g.metric === metric);
  t.match(by('good', 'b?[31m'), { code: 'WIRE_ERR_INVALID', detail: /metric with control characters/, count: 2 });
  t.match(by('good', 'c'), { code: 'WIRE_ERR_INVALID', detail: /unknown unit code 99/, count: 2 });
  t.match(by('good', 'd'), { code: 'WIRE_ERR_INVALID', detail: /unknown priority 7/, count: 2 });
  t.match(by('good', 'e'), { code: 'WIRE_ERR_INVALID', detail: /scale 40/, count: 2 });
  t.match(by('cols', ''), { code: 'WIRE_ERR_INVALID', detail: /per-series column/, count: 2 });
  t.match(by('kind', ''), { code: 'WIRE_ERR_INVALID', detail: /unknown value kind 9/, count: 2 });
  t.match(by('nothing', ''), { code: 'WIRE_ERR_INVALID', detail: /empty/, count: 1 });
  t.match(
    by('?]0;owned?', ''),
    { code: 'WIRE_ERR_INVALID', detail: /control characters/, count: 2 },
    'reported without the escapes',
  );
  t.match(
    d.quarantined.find((g) => g.deviceId.startsWith('xxx')),
    { code: 'WIRE_ERR_LIMIT', detail: /device_id/, count: 2 },
  );
  t.ok(
    d.quarantined.every((g) => g.deviceId.length <= 257),
    'reported ids are bounded',
  );
  t.match(by('', ''), { code: 'WIRE_ERR_INVALID', count: 2 });
  t.equal(d.readings.length + total(d.quarantined), 21);
});

t.test('bad events are quarantined, good ones kept', async (t) => {
  const attrs = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, 'v']));
  const events: pb.IEvent[] = [
    { id: 'e1', deviceId: 'smoke-1', type: 'smoke', severity: 2, tsMs: NOW, active: true },
    { id: 'e2', deviceId: 'smoke-2', type: 'smoke', severity: 9 as pb.Event.Severity, tsMs: NOW, active: true },
    { id: 'e3', deviceId: 'smoke-3', type: 'smoke', severity: 2, tsMs: NOW, attributes: attrs },
    { id: 'e4', deviceId: 'smoke-4', type: 'smoke', severity: 2, tsMs: 0, active: true, message: 'clock lost' }, // kept: an alarm is never dropped for its clock
    { id: 'e5', deviceId: 'bad\u0000id', type: 'smoke', severity: 2, tsMs: NOW },
  ];
  const d = decodeBatch(encodeBatch(key, [r('m', 'v', NOW, 1)], events), window);
  t.same(
    d.events.map((e) => e.id),
    ['e1', 'e4'],
  );
  t.match(d.quarantined, [
    {
      deviceId: 'smoke-2',
      metric: '',
      code: 'WIRE_ERR_INVALID',
      detail: /^event: smoke e2: unknown severity 9/,
      count: 0,
    },
    { deviceId: '', code: 'WIRE_ERR_LIMIT', detail: /300 attributes/, count: 0 },
    { deviceId: 'bad?id', code: 'WIRE_ERR_INVALID', count: 0 },
  ]);
  t.equal(d.readings.length, 1);
});

t.test('an ack lists at most so many groups; the rest are merged per code, counts exact', async (t) => {
  const groups: QuarantineGroup[] = Array.from({ length: 250 }, (_, i) => ({
    deviceId: `d-${i}`,
    metric: 'm',
    code: i % 2 ? 'WIRE_ERR_READING_RANGE' : 'WIRE_ERR_READING_VALUE',
    detail: 'x',
    count: 2,
    ...(i === 249 ? { events: 1 } : {}),
  }));
  const capped = capQuarantine(groups, 100);
  t.equal(capped.length, 102);
  t.same(capped.slice(0, 100), groups.slice(0, 100));
  t.same(capped.slice(100), [
    {
      deviceId: '',
      metric: '',
      code: 'WIRE_ERR_READING_VALUE',
      detail: '75 more groups of this code (devices and metrics not listed)',
      count: 150,
    },
    {
      deviceId: '',
      metric: '',
      code: 'WIRE_ERR_READING_RANGE',
      detail: '75 more groups of this code (devices and metrics not listed)',
      count: 150,
      events: 1,
    },
  ]);
  t.equal(total(capped), total(groups));
  t.equal(capQuarantine(groups.slice(0, 3), 100).length, 3);
});
