import t from 'tap';
import { encodeFrame } from '../../../../edge/southbound/hj212/frame.js';
import {
  cpFactors,
  cpParams,
  decodePacket,
  flagBits,
  parseSegment,
  buildSegment,
  encodeSegment,
} from '../../../../edge/southbound/hj212/segment.js';
import { decodeDataMessage, parseDataTime, verifyIdentity } from '../../../../edge/southbound/hj212/messages.js';
import { throwsCode } from '../../../helpers/errors.js';
import { byId, wire } from './fixtures/vectors.js';

t.test('Annex C 1062 header fields', async (t) => {
  const v = byId('hj212-annexC-1062');
  const p = decodePacket(wire(v));
  const d = v.decoded ?? {};
  t.match(p, { qn: d.QN, st: d.ST, cn: d.CN, pw: d.PW, mn: d.MN, flag: d.Flag });
  t.same(Object.fromEntries(cpParams(p)), d.CP);
  t.same(flagBits(p.flag), { version: 1, split: false, needsReply: true });
  throwsCode(t, () => decodeDataMessage(p), 'HJ212_ERR_CN', /1062/);
});

t.test('real-time data vectors decode to their recorded values', async (t) => {
  for (const id of ['hj212-2011-junit', 'hj212-2011-ms-datatime']) {
    const v = byId(id);
    const p = decodePacket(wire(v));
    const d = v.decoded ?? {};
    t.equal(p.cn, d.CN);
    t.equal(p.mn, d.MN);
    const recorded = d.values as Record<string, Record<string, number | string>>;
    const factors = cpFactors(p);
    t.same([...factors.keys()].sort(), Object.keys(recorded).sort(), `${id} factor codes`);
    for (const [code, fields] of factors) {
      const want = recorded[code];
      t.same(Object.fromEntries([...fields].map(([k, x]) => [k, k === 'Flag' ? x : Number(x)])), want, `${id} ${code}`);
    }
    const msg = decodeDataMessage(p);
    t.equal(msg.kind, 'realtime');
    t.equal(msg.dataTime, d.DataTime);
    t.equal(msg.needsReply, false, 'no Flag: no reply');
  }
});

t.test('legacy factor codes map to 2017 codes, names and units', async (t) => {
  const msg = decodeDataMessage(decodePacket(wire(byId('hj212-2011-junit'))));
  t.same(
    msg.readings.map((r) => [r.metric.code, r.metric.name, r.metric.legacyCode, r.stat, r.value, r.unit, r.flag]),
    [
      ['w21003', 'ammonia_nitrogen', '060', 'rtd', 3.0943, 'mg/L', { code: 'N', quality: 'normal' }],
      ['w01018', 'cod', '011', 'rtd', 18.0412, 'mg/L', { code: 'N', quality: 'normal' }],
      ['w01001', 'ph', '001', 'rtd', 8.2137, 'pH', { code: 'N', quality: 'normal' }],
      ['w00000', 'wastewater_flow', 'B01', 'rtd', 10.989, 'l/s', { code: 'N', quality: 'normal' }],
    ],
  );
  t.equal(msg.timestamp, Date.UTC(2016, 0, 3, 5, 30, 30), 'DataTime is China Standard Time');
  const ms = decodeDataMessage(decodePacket(wire(byId('hj212-2011-ms-datatime'))), { utcOffsetMinutes: 0 });
  t.equal(ms.timestamp, Date.UTC(2016, 7, 24, 0, 38, 17, 0), '17-digit DataTime tolerated');
  t.equal(ms.readings[0]?.flag, null, 'B01 without a Flag field');
});

const seg = (cn: string, cp: string, extra = 'Flag=5;'): string =>
  `QN=20240501103000123;ST=32;CN=${cn};PW=123456;MN=MN0001;${extra}CP=&&DataTime=20240501100000;${cp}&&`;

t.test('minute, hourly and daily statistics with flags and emission totals', async (t) => {
  const cp =
    'w01018-Min=10.1,w01018-Avg=12.5,w01018-Max=15.0,w01018-Cou=3.2,w01018-Flag=T;w00000-Avg=20,w00000-Cou=1728,w00000-Flag=M;a21026-ZsAvg=35.5,a21026-Avg=30,a21026-Flag=C';
  for (const [cn, kind] of [
    ['2051', 'minute'],
    ['2061', 'hourly'],
    ['2031', 'daily'],
  ] as const) {
    const msg = decodeDataMessage(parseSegment(seg(cn, cp)));
    t.equal(msg.kind, kind);
    t.equal(msg.needsReply, true);
    t.equal(msg.qn, '20240501103000123');
    t.same(
      msg.readings.map((r) => `${r.metric.name}.${r.stat}=${r.value} ${r.unit} ${r.flag?.quality}`),
      [
        'cod.min=10.1 mg/L over_limit',
        'cod.avg=12.5 mg/L over_limit',
        'cod.max=15 mg/L over_limit',
        'cod.cou=3.2 kg over_limit',
        'wastewater_flow.avg=20 l/s maintenance',
        'wastewater_flow.cou=1728 m3 maintenance',
        'so2.zs_avg=35.5 mg/m3 calibration',
        'so2.avg=30 mg/m3 calibration',
      ],
    );
  }
});

t.test('every data flag is kept as quality', async (t) => {
  const flags = {
    N: 'normal',
    F: 'stopped',
    M: 'maintenance',
    S: 'manual',
    D: 'fault',
    C: 'calibration',
    T: 'over_limit',
    B: 'comm_error',
    Z: 'unknown',
  };
  for (const [code, quality] of Object.entries(flags)) {
    const msg = decodeDataMessage(parseSegment(seg('2011', `a34004-Rtd=35,a34004-Flag=${code}`)));
    t.same(msg.readings[0]?.flag, { code, quality });
    t.equal(msg.readings[0]?.unit, 'ug/m3');
    t.equal(msg.readings[0]?.metric.name, 'pm2_5');
  }
  throwsCode(
    t,
    () => decodeDataMessage(parseSegment(seg('2011', 'a34004-Rtd=35,a34004-Flag=1'))),
    'HJ212_ERR_VALUE',
    /data flag/,
  );
});

t.test('SampleTime, EFlag, templates, unknown codes, empty and bad values', async (t) => {
  const msg = decodeDataMessage(
    parseSegment(
      seg(
        '2011',
        'e10101-Rtd=5.5,e10101-SampleTime=20240501095900,e10101-EFlag=A01;i33312-Rtd=850;x99-Rtd=1;w01018-Rtd=,w01018-Info=x',
      ),
    ),
  );
  t.same(
    msg.readings.map((r) => [r.metric.code, r.metric.name, r.unit]),
    [
      ['e10101', 'inlet_flow_01', 'l/s'],
      ['i33312', 'furnace_upper_temperature_2', 'Cel'],
      ['x99', 'x99', null],
    ],
  );
  t.match(msg.readings[0], { sampleTime: '20240501095900', eflag: 'A01' });
  t.same(msg.ignored, ['w01018-Rtd (empty)', 'w01018-Info']);
  throwsCode(
    t,
    () => decodeDataMessage(parseSegment(seg('2011', 'w01018-Rtd=abc'))),
    'HJ212_ERR_VALUE',
    /not a number/,
  );
  throwsCode(
    t,
    () => decodeDataMessage(parseSegment(seg('2011', 'w01018-Rtd=1,w01018-SampleTime=2024'))),
    'HJ212_ERR_VALUE',
  );
  throwsCode(
    t,
    () => decodeDataMessage(parseSegment('ST=32;CN=2011;PW=1;MN=A;CP=&&w01018-Rtd=1&&')),
    'HJ212_ERR_VALUE',
    /without DataTime/,
  );
  throwsCode(
    t,
    () => decodeDataMessage(parseSegment('ST=32;CN=2011;PW=1;CP=&&DataTime=20240501100000&&')),
    'HJ212_ERR_MN',
  );
});

t.test('DataTime parsing', async (t) => {
  t.equal(parseDataTime('20240229235959', 0), Date.UTC(2024, 1, 29, 23, 59, 59));
  throwsCode(t, () => parseDataTime('20230229000000'), 'HJ212_ERR_VALUE', /not a valid date/);
  throwsCode(t, () => parseDataTime('20241301000000'), 'HJ212_ERR_VALUE');
  throwsCode(t, () => parseDataTime('2024-05-01 10:00'), 'HJ212_ERR_VALUE');
});

t.test('PW and MN checks', async (t) => {
  const p = parseSegment(seg('2011', 'w01018-Rtd=1'));
  verifyIdentity(p, { pw: '123456', mn: 'MN0001' });
  verifyIdentity(p, { mn: new Set(['MN0001', 'MN0002']) });
  verifyIdentity(p, { mn: ['MN0002', 'MN0001'] });
  throwsCode(t, () => verifyIdentity(p, { pw: '654321' }), 'HJ212_ERR_PASSWORD');
  throwsCode(t, () => verifyIdentity(p, { mn: 'MN0009' }), 'HJ212_ERR_MN');
  throwsCode(t, () => verifyIdentity({}, { mn: ['MN0001'] }), 'HJ212_ERR_MN');
});

t.test('segment syntax errors', async (t) => {
  const cases: [string, RegExp][] = [
    ['ST=32;PW=1;CP=&&&&', /CN is missing/],
    ['ST=32;CN=2011;ST=33;CP=&&&&', /ST appears twice/],
    ['QN=2024;CN=2011;CP=&&&&', /QN=/],
    ['CN=201;CP=&&&&', /CN=/],
    ['CN=2011;Flag=256;CP=&&&&', /above 255/],
    ['CN=2011;PNUM=2;CP=&&&&', /together/],
    ['CN=2011;PNUM=2;PNO=3;CP=&&&&', /PNO=3/],
    ['CN=2011;PW=123456', /no CP/],
    ['CN=2011;CP=&&a=1', /not closed/],
    ['CN=2011;CP=&&a=1,,b=2&&', /empty CP item/],
    ['CN=2011;CP=&&a=1,b&&', /not KEY=VALUE/],
    ['CN=2011;CP=&&a=//x&&', /without closing/],
    ['CN=2011;CP=&&a=//x//y&&', /followed by/],
    ['CN=2011;CP=&&a=1&&b=2&&', /contains "&&"/],
    ['CN=2011;bogus;CP=&&&&', /not KEY=VALUE/],
  ];
  for (const [s, re] of cases) throwsCode(t, () => parseSegment(s), 'HJ212_ERR_SEGMENT', re);
});

t.test('segments round-trip exactly and build in standard order', async (t) => {
  for (const s of [
    'CN=2011;CP=&&&&',
    'ST=91;CN=9014;CP=&&QN=20040516010101001;CN=2011&&',
    'ST=91;CN=9012;CP=&&ExeRtn=1;&&',
    'CN=2011;PNUM=3;PNO=1;CP=&&;a=1;;b=2,c=3&&',
  ]) {
    t.equal(encodeSegment(parseSegment(s)), s, s);
  }
  t.equal(
    buildSegment({ cn: '9014', mn: 'X', qn: '20240501103000123', st: '91', flag: 4, pw: '1' }),
    'QN=20240501103000123;ST=91;CN=9014;PW=1;MN=X;Flag=4;CP=&&&&',
  );
  throwsCode(t, () => buildSegment({ cn: '90' }), 'HJ212_ERR_SEGMENT');
  const p = parseSegment('CN=2011;PNUM=3;PNO=2;Flag=7;CP=&&&&');
  t.match(p, { pnum: 3, pno: 2, flag: 7 });
  t.same(flagBits(p.flag), { version: 1, split: true, needsReply: true });
  t.ok(encodeFrame('CN=2011;CP=&&&&'));
});
