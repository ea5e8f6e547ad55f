import t from 'tap';
import { createHash } from 'node:crypto';
import { encodeBatch, decodeBatch, decodeEnvelope, chooseScale } from '../../proto/batch-codec.js';
import { DICTIONARY_V1 } from '../../proto/dictionary.js';
import { pb } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import { throwsCode } from '../helpers/errors.js';
import { SAMPLE_BASE_MS, SAMPLE_READINGS, reading } from '../helpers/batch-sample.js';

const base = SAMPLE_BASE_MS;
const r = reading;
const sample = SAMPLE_READINGS;
const key = { gatewayId: 'gw-1', epoch: 42, seq: 7 };

const sortKey = (x: Reading): string => `${x.deviceId}|${x.metric}|${x.ts}`;
const sorted = (xs: Reading[]): Reading[] => [...xs].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

t.test('round trip keeps every field of every reading', async (t) => {
  for (const codec of [pb.BodyCodec.BODY_PLAIN, pb.BodyCodec.BODY_DEFLATE_DICT1]) {
    const d = decodeBatch(encodeBatch(key, sample, [], { codec }));
    t.same({ gatewayId: d.gatewayId, epoch: d.epoch, seq: d.seq }, key);
    t.same(sorted(d.readings), sorted(sample), `codec ${codec}`);
  }
});

t.test('golden bytes pin the plain encoding', async (t) => {
  const bytes = Buffer.from(encodeBatch(key, sample.slice(0, 5), [], { codec: pb.BodyCodec.BODY_PLAIN }));
  t.equal(bytes.toString('hex'), GOLDEN_PLAIN_HEX);
  // and a frozen compressed vector still decodes (decoders must keep reading old batches)
  t.equal(decodeBatch(Buffer.from(GOLDEN_DEFLATE_HEX, 'hex')).readings.length, 5);
});

t.test('dictionary v1 is frozen', async (t) => {
  t.equal(createHash('sha256').update(DICTIONARY_V1).digest('hex').slice(0, 16), DICT_SHA_PREFIX);
});

t.test('scale selection is exact', async (t) => {
  t.equal(chooseScale([300, 400, 1200]), 2);
  t.equal(chooseScale([1024.5, -0.7]), -1);
  t.equal(chooseScale([0.1, 0.2, 0.3]), -1);
  t.equal(chooseScale([Math.PI]), undefined);
  t.equal(chooseScale([0, 0]), 0);
  for (const v of [0.1, 1024.5, -21.4, 123456.789, 1e-7, 5e15]) {
    const d = decodeBatch(encodeBatch(key, [r('d', 'm', '', base, v)]));
    t.equal(d.readings[0]?.value, v, `exact ${v}`);
  }
});

t.test('malformed batches give coded errors', async (t) => {
  throwsCode(t, () => decodeBatch(Buffer.from([0xff, 0xff, 0xff])), 'WIRE_ERR_DECODE');
  throwsCode(
    t,
    () => decodeBatch(pb.Batch.encode({ gatewayId: '', seq: 1 }).finish()),
    'WIRE_ERR_INVALID',
    /gateway_id/,
  );
  throwsCode(t, () => decodeBatch(pb.Batch.encode({ gatewayId: 'g', seq: 0 }).finish()), 'WIRE_ERR_INVALID', /key/);
  throwsCode(
    t,
    () =>
      decodeBatch(
        pb.Batch.encode({ gatewayId: 'g', seq: 1, codec: 1, body: Buffer.from('nope'), readingCount: 1 }).finish(),
      ),
    'WIRE_ERR_DECODE',
    /inflate/,
  );
  // the envelope's reading_count must be what the body holds (one value entry per reading)
  const body = pb.BatchBody.encode({
    devices: [{ deviceId: 'd', timelines: [{ startMs: 1, count: 2 }], metric: ['m'], ints: [1] }],
  }).finish();
  throwsCode(
    t,
    () => decodeBatch(pb.Batch.encode({ gatewayId: 'g', seq: 1, body, readingCount: 2 }).finish()),
    'WIRE_ERR_INVALID',
    /reading_count 2 but the body holds 1/,
  );
  // a block whose columns disagree costs only that block (quarantined with its values' count)
  const d1 = decodeBatch(pb.Batch.encode({ gatewayId: 'g', seq: 1, body, readingCount: 1 }).finish());
  t.same(d1.quarantined, [
    {
      deviceId: 'd',
      metric: '',
      code: 'WIRE_ERR_INVALID',
      detail: "device block: column ints has 1 values, the series' timelines need 2",
      count: 1,
    },
  ]);
  const body2 = pb.BatchBody.encode({
    devices: [{ deviceId: 'd', timelines: [{ startMs: 1, count: 1 }], metric: ['m', 'n'], unit: [2], ints: [1, 1] }],
  }).finish();
  t.match(decodeBatch(pb.Batch.encode({ gatewayId: 'g', seq: 1, body: body2, readingCount: 2 }).finish()).quarantined, [
    { deviceId: 'd', code: 'WIRE_ERR_INVALID', detail: /column unit has 1 entries for 2 series/, count: 2 },
  ]);
  throwsCode(
    t,
    () => decodeBatch(pb.Batch.encode({ gatewayId: 'g', seq: 1, codec: 7 as pb.BodyCodec }).finish()),
    'WIRE_ERR_INVALID',
    /codec/,
  );
  const good = encodeBatch(key, sample, [], { codec: 0 });
  const env = pb.Batch.decode(good);
  throwsCode(t, () => decodeBatch(pb.Batch.encode({ ...env, readingCount: 3 }).finish()), 'WIRE_ERR_INVALID');
  t.equal(decodeEnvelope(good).seq, 7, 'the key reads without the body');
});

t.test('random corruption never escapes as an uncoded error', async (t) => {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const goods = [encodeBatch(key, sample, [], { codec: 0 }), encodeBatch(key, sample)];
  let coded = 0,
    ok = 0;
  for (let i = 0; i < 20_000; i++) {
    const b = Buffer.from(goods[i % 2]!);
    const flips = 1 + rnd(4);
    for (let f = 0; f < flips; f++) b[rnd(b.length)]! ^= 1 << rnd(8);
    try {
      decodeBatch(b.subarray(0, rnd(4) === 0 ? rnd(b.length) : b.length));
      ok++;
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('WIRE_ERR_')) coded++;
      else {
        t.fail(`uncoded error: ${String(e)}`);
        break;
      }
    }
  }
  t.equal(ok + coded, 20_000);
});

const DICT_SHA_PREFIX = 'da3251acd4d14f49';
const GOLDEN_PLAIN_HEX =
  '0a0467772d31102a18072a5e0a5c0a1875726e3a696d65693a383630303030303030303030303031120d0880a0abfef96210e0d40320031a0b74656d70657261747572651a0868756d6964697479220202033a0201004a0200015a0201016206ae0304015004820101013005';
const GOLDEN_DEFLATE_HEX =
  '0a0467772d31102a180720012a42e38ae19280c785859901123014e2e56858b0fadfcf24810757981598a5b8910c94e2803955898989d98a8991c18b8981318a899131896d1d330b63004b13232323003005';
