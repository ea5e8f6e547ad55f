import t from 'tap';
import { explainPayload } from '../../../../edge/profiles/layout/index.js';
import { fromHex, loadFixture } from './fixtures/load.js';

t.test('explainPayload shows each field, its bytes and the first failure', async (t) => {
  const gs = loadFixture('milesight-gs524n.toml').layout;
  const ok = explainPayload(gs, fromHex('221E64001C40'));
  t.equal(ok.error, undefined);
  t.same(
    ok.fields.map((f) => [f.field, f.at, f.hex]),
    [
      ['fields[0]', 0, '22'],
      ['fields[1]', 1, '1E'],
      ['field "battery"', 2, '64'],
      ['field "concentration"', 3, '00'],
      ['field "temperature"', 4, '1C'],
    ],
  );
  t.same(ok.fields[1]?.values, [
    { name: 'type', value: 'smoke sensor' },
    { name: 'event', value: 'test alarm (normal batt)' },
  ]);
  const bad = explainPayload(gs, fromHex('221364005041'));
  t.equal(bad.error?.code, 'PROFILE_ERR_CHECKSUM', 'the decode error');
  t.equal(bad.fields[1]?.error?.code, 'PROFILE_ERR_ENUM', 'a field error');
  t.equal(bad.fields[4]?.error?.code, 'PROFILE_ERR_RANGE', 'the fields after it are still shown');
  t.equal(bad.fields[2]?.values[0]?.value, 100);
  const short = explainPayload(gs, fromHex('2213'));
  t.equal(short.error?.code, 'PROFILE_ERR_LENGTH');
  t.equal(short.fields[2]?.hex, '', 'fields outside the payload');

  const em = loadFixture('milesight-em400-udl.toml').layout;
  const rec = explainPayload(em, fromHex('01755C0999'));
  t.same(
    rec.fields.map((f) => [f.field, f.hex, f.error?.code]),
    [
      ['record "battery" tag', '0175', undefined],
      ['field "battery"', '5C', undefined],
      ['record tag', '0999', 'PROFILE_ERR_MESSAGE_TYPE'],
    ],
  );
  const jb = explainPayload(loadFixture('jooby-signal-quality.toml').layout, fromHex('1F3406B7B3FC120100'));
  t.equal(jb.type, 'signalQuality');
  t.equal(jb.fields.length, 9);
});
