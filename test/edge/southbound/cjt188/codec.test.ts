import t from 'tap';
import {
  buildExceptionResponse,
  buildReadAddressRequest,
  buildReadAddressResponse,
  buildReadRequest,
  buildReadResponse,
  buildValveControl,
  buildWriteAck,
  decodeRequest,
  decodeResponse,
  expectReadValues,
} from '../../../../edge/southbound/cjt188/codec.js';
import {
  CJT188_WILDCARD_ADDRESS,
  decodeControl,
  decodeFrame,
  encodeFrame,
  meterFamily,
  scanFrame,
} from '../../../../edge/southbound/cjt188/frame.js';
import { CJT188_UNIT, historyDataId } from '../../../../edge/southbound/cjt188/data-ids.js';
import { throwsCode } from '../../../helpers/errors.js';
import { byId, bytes, vectors } from './fixtures/vectors.js';

const valuesOf = (vs: { name: string; value: unknown }[]) => Object.fromEntries(vs.map((v) => [v.name, v.value]));

t.test('every valid vector decodes and re-encodes to the same bytes', async (t) => {
  for (const v of vectors.filter((x) => x.valid)) {
    const raw = bytes(v.hex);
    const f = decodeFrame(raw);
    t.equal(f.meterType, 0x10, `${v.id} type`);
    t.equal(f.address, String(v.decoded?.addr).slice(0, 14), `${v.id} address`);
    t.same(encodeFrame(f), raw, `${v.id} re-encodes`);
  }
});

t.test('read requests, including the wildcard read, build byte for byte', async (t) => {
  const req = byId('188-read-req');
  t.same(buildReadRequest(0x10, '00201510270588', { ser: 1 }, { preamble: 0 }), bytes(req.hex));
  t.same(decodeRequest(bytes(req.hex)), {
    kind: 'read',
    meterType: 0x10,
    address: '00201510270588',
    di: '901F',
    ser: 1,
  });
  const bc = byId('188-broadcast-read');
  t.same(buildReadRequest(0x10, CJT188_WILDCARD_ADDRESS, { ser: 170 }), bytes(bc.hex), 'default preamble FE FE');
  t.match(decodeRequest(bytes(bc.hex)), { kind: 'read', address: 'AAAAAAAAAAAAAA', ser: bc.decoded?.SER });
});

t.test('meter-data replies decode to m3 and rebuild byte for byte', async (t) => {
  const zero = byId('188-read-resp-zero');
  const r = decodeResponse(bytes(zero.hex));
  t.match(r, { kind: 'data', meterType: 0x10, address: zero.decoded?.addr, di: '901F', ser: 1, diSwapped: false });
  if (r.kind !== 'data') throw new Error('not data');
  t.same(valuesOf(r.values), {
    cumulative_volume: zero.decoded?.current_m3,
    settlement_volume: zero.decoded?.settle_m3,
    meter_time: zero.decoded?.realTime,
    status: 0,
    valve: 'open',
    battery_low: false,
  });
  t.equal(r.values[0]?.unit, 'm3');
  const rebuilt = buildReadResponse(0x10, r.address, r.di, r.ser, {
    cumulative_volume: { value: 0, unitCode: CJT188_UNIT.M3 },
    settlement_volume: { value: 0, unitCode: CJT188_UNIT.M3 },
    meter_time: '2017-01-09 17:20:06',
    status: 0,
  });
  t.same(rebuilt, bytes(zero.hex));

  const big = byId('188-read-resp-55555');
  const raw = bytes(big.hex);
  const values = expectReadValues(raw, { address: '07060504030201', ser: 150 });
  t.match(valuesOf(values), { cumulative_volume: 55555, settlement_volume: 55555, valve: 'open' });
  t.notOk(
    values.some((v) => v.name === 'meter_time'),
    'an all-zero clock is left out',
  );
  t.same(
    buildReadResponse(
      0x10,
      '07060504030201',
      '901F',
      150,
      { cumulative_volume: 55555, settlement_volume: 55555, meter_time: null, status: 0 },
      { preamble: 6 },
    ),
    raw,
  );
});

t.test('invalid vectors are rejected with the checksum error', async (t) => {
  for (const v of vectors.filter((x) => !x.valid)) {
    throwsCode(t, () => decodeFrame(bytes(v.hex)), 'CJT188_ERR_CHECKSUM', /should be 0x25/);
    throwsCode(t, () => decodeRequest(bytes(v.hex)), 'CJT188_ERR_CHECKSUM');
  }
});

t.test('swapped DI bytes are accepted', async (t) => {
  const raw = buildReadResponse(
    0x10,
    '00201510270588',
    '901F',
    7,
    { cumulative_volume: 1.5, settlement_volume: 1, meter_time: null, status: 0 },
    { swapDataId: true },
  );
  t.equal(raw[11], 0x1f);
  const r = decodeResponse(raw);
  t.match(r, { kind: 'data', di: '901F', diSwapped: true });
  t.same(decodeRequest(buildReadRequest(0x10, '00201510270588', { ser: 3 }, { swapDataId: true })), {
    kind: 'read',
    meterType: 0x10,
    address: '00201510270588',
    di: '901F',
    ser: 3,
  });
});

t.test('unit codes scale into canonical units', async (t) => {
  const read = (code: number, value: number) => {
    const raw = buildReadResponse(0x10, '00000000000001', '901F', 0, {
      cumulative_volume: { value, unitCode: code },
      settlement_volume: 0,
      meter_time: null,
      status: 0,
    });
    return expectReadValues(raw, {})[0];
  };
  t.same(
    read(CJT188_UNIT.L, 123.45),
    { name: 'cumulative_volume', value: 123.45, unit: 'm3' },
    'litres are converted to m3',
  );
  const litres = decodeResponse(
    Buffer.from(
      buildReadResponse(
        0x10,
        '00000000000001',
        '901F',
        0,
        Uint8Array.from([0x45, 0x23, 0x01, 0x00, 0x29, 0, 0, 0, 0, 0x2c, ...new Array(9).fill(0)]),
      ),
    ),
  );
  if (litres.kind === 'data')
    t.same(
      litres.values[0],
      { name: 'cumulative_volume', value: 0.12345, unit: 'm3' },
      '12345 (123.45 L) is 0.12345 m3 exactly',
    );
  t.same(read(0x2e, 100), { name: 'cumulative_volume', value: 100, unit: 'm3' });
  const wrongUnit = buildReadResponse(
    0x10,
    '00000000000001',
    '901F',
    0,
    Uint8Array.from([0, 0, 0, 0, 0x05, 0, 0, 0, 0, 0x2c, ...new Array(9).fill(0)]),
  );
  throwsCode(t, () => decodeResponse(wrongUnit), 'CJT188_ERR_UNIT', /kWh/);
  const unknownUnit = buildReadResponse(
    0x10,
    '00000000000001',
    '901F',
    0,
    Uint8Array.from([0, 0, 0, 0, 0x7f, 0, 0, 0, 0, 0x2c, ...new Array(9).fill(0)]),
  );
  throwsCode(t, () => decodeResponse(unknownUnit), 'CJT188_ERR_UNIT', /unknown unit code 0x7f/);
});

t.test('heat meters', async (t) => {
  t.equal(meterFamily(0x20), 'heat');
  const raw = buildReadResponse(0x20, '11223344556677', '901F', 9, {
    settlement_heat: { value: 12.5, unitCode: CJT188_UNIT.GJ },
    current_heat: { value: 1234.56, unitCode: CJT188_UNIT.KWH },
    heat_power: { value: 3.2, unitCode: CJT188_UNIT.KW },
    flow_rate: { value: 0.8125, unitCode: CJT188_UNIT.M3_PER_H },
    cumulative_volume: 456.7,
    supply_temperature: 65.25,
    return_temperature: 40.5,
    working_time: 8760,
    meter_time: '2024-02-29 23:59:59',
    status: 0x05,
  });
  t.equal(raw[10], 0x2e, 'L = 46');
  t.same(valuesOf(expectReadValues(raw, { ser: 9 })), {
    settlement_heat: 12.5,
    current_heat: 1234.56,
    heat_power: 3.2,
    flow_rate: 0.8125,
    cumulative_volume: 456.7,
    supply_temperature: 65.25,
    return_temperature: 40.5,
    working_time: 8760,
    meter_time: '2024-02-29 23:59:59',
    status: 5,
    valve: 'closed',
    battery_low: true,
  });
});

t.test('history, address read, valve control, abnormal replies', async (t) => {
  t.equal(historyDataId(1), 'D120');
  t.equal(historyDataId(12), 'D12B');
  throwsCode(t, () => historyDataId(13), 'CJT188_ERR_DATA_ID');
  const hist = buildReadResponse(0x10, '00201510270588', 'D122', 4, { volume_month_3: 99.99 });
  t.same(expectReadValues(hist, { di: 'D122' }), [{ name: 'volume_month_3', value: 99.99, unit: 'm3' }]);

  const ra = buildReadAddressRequest(0x10, 5, { preamble: 0 });
  t.equal(ra.subarray(9, 14).toString('hex'), '0303810a05');
  t.same(decodeRequest(ra), { kind: 'read-address', meterType: 0x10, address: CJT188_WILDCARD_ADDRESS, ser: 5 });
  t.same(decodeResponse(buildReadAddressResponse(0x10, '00201510270588', 5)), {
    kind: 'address',
    meterType: 0x10,
    address: '00201510270588',
    ser: 5,
  });

  const v = buildValveControl(0x10, '00201510270588', 'close', 8);
  t.same(decodeRequest(v), { kind: 'valve', meterType: 0x10, address: '00201510270588', ser: 8, action: 'close' });
  t.match(decodeResponse(buildWriteAck(0x10, '00201510270588', 'A017', 8, 0x01)), {
    kind: 'write-ack',
    di: 'A017',
    ser: 8,
    values: [{ name: 'status', value: 1 }, { name: 'valve', value: 'closed' }, {}],
  });

  const ex = decodeResponse(buildExceptionResponse(0x10, '00201510270588', 0x04, 8, 0x07));
  t.match(ex, { kind: 'exception', fn: 4, ser: 8 });
  if (ex.kind === 'exception') t.match(ex.error.message, /valve abnormal, battery low/);
  throwsCode(
    t,
    () => expectReadValues(buildExceptionResponse(0x10, '00201510270588', 0x01, 1, 0), {}),
    'CJT188_ERR_REMOTE',
  );
  t.same(decodeControl(0xc1), { fromMeter: true, abnormal: true, fn: 1 });
});

t.test('mismatches, unknown identifiers and framing errors', async (t) => {
  const raw = bytes(byId('188-read-resp-zero').hex);
  throwsCode(t, () => expectReadValues(raw, { address: '00201510270589' }), 'CJT188_ERR_MISMATCH');
  throwsCode(t, () => expectReadValues(raw, { ser: 2 }), 'CJT188_ERR_MISMATCH', /SER 1/);
  throwsCode(t, () => expectReadValues(raw, { di: 'D120' }), 'CJT188_ERR_MISMATCH');
  const unknown = decodeResponse(buildReadResponse(0x10, '00201510270588', '8102', 1, Uint8Array.of(1, 2, 3)));
  t.match(unknown, { kind: 'data', di: '8102', values: [] });
  throwsCode(t, () => decodeResponse(bytes(byId('188-read-req').hex)), 'CJT188_ERR_CONTROL');
  throwsCode(t, () => buildReadRequest(0x50, '00201510270588'), 'CJT188_ERR_METER_TYPE');
  throwsCode(t, () => buildReadRequest(0x10, '0020151027058'), 'CJT188_ERR_ADDRESS');
  throwsCode(t, () => buildReadRequest(0x10, '00201510270588', { di: '90' }), 'CJT188_ERR_DATA_ID');
  throwsCode(t, () => buildReadRequest(0x10, '00201510270588', { ser: 256 }), 'CJT188_ERR_DATA');
  throwsCode(t, () => decodeFrame(raw.subarray(0, 20)), 'CJT188_ERR_FRAME', /truncated/);
  const badTime = Buffer.from(raw);
  badTime[28] = 0x13; // month 13
  badTime[badTime.length - 2] = [...badTime.subarray(0, badTime.length - 2)].reduce((s, b) => (s + b) & 0xff, 0);
  throwsCode(t, () => decodeResponse(badTime), 'CJT188_ERR_DATA', /not a valid BCD date/);
});

t.test('scanFrame finds frames in a byte stream', async (t) => {
  const stream = Buffer.concat(vectors.map((v) => bytes(v.hex)));
  let buf: Uint8Array = stream;
  const kinds: string[] = [];
  for (;;) {
    const s = scanFrame(buf);
    if (s.kind === 'partial') break;
    kinds.push(s.kind === 'frame' ? 'frame' : s.error.code);
    buf = buf.subarray(s.consumed);
  }
  t.same(kinds.filter((k) => k === 'frame').length, 4);
  t.ok(kinds.includes('CJT188_ERR_CHECKSUM'));
});
