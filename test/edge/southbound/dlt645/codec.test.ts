import t from 'tap';
import {
  buildExceptionResponse,
  buildReadAddressRequest,
  buildReadAddressResponse,
  buildReadFollowUpRequest,
  buildReadRequest,
  buildReadResponse,
  buildTimeSync,
  decodeRequest,
  decodeResponse,
  expectReadValues,
} from '../../../../edge/southbound/dlt645/codec.js';
import {
  decodeControl,
  decodeFrame,
  encodeControl,
  encodeFrame,
  scanFrame,
} from '../../../../edge/southbound/dlt645/frame.js';
import { DLT645_DI, lookupDataId } from '../../../../edge/southbound/dlt645/data-ids.js';
import { throwsCode } from '../../../helpers/errors.js';
import { byId, bytes, vectors } from './fixtures/vectors.js';

t.test('every valid vector decodes and re-encodes to the same bytes', async (t) => {
  for (const v of vectors.filter((x) => x.valid)) {
    const raw = bytes(v.hex);
    const f = decodeFrame(raw);
    const d = v.decoded ?? {};
    t.equal(f.address, String(d.addr).slice(0, 12), `${v.id} address`);
    t.equal(f.control, parseInt(String(d.ctrl), 16), `${v.id} control`);
    if (d.len !== undefined) t.equal(f.data.length, d.len, `${v.id} length`);
    t.same(encodeFrame(f), raw, `${v.id} re-encodes`);
  }
});

t.test('read request vector: build and decode both ways', async (t) => {
  const v = byId('645-read-energy-req');
  t.same(buildReadRequest('000000000161', '00010000', { preamble: 0 }), bytes(v.hex));
  t.same(decodeRequest(bytes(v.hex)), { kind: 'read', address: '000000000161', di: '00010000' });
  t.equal(
    buildReadRequest('000000000161', '00010000').subarray(0, 4).toString('hex'),
    'fefefefe',
    'default preamble of four FE',
  );
});

t.test('energy replies decode to kWh and rebuild byte for byte', async (t) => {
  for (const id of ['645-read-energy-resp-0.26', '645-read-energy-resp-1234.56']) {
    const v = byId(id);
    const raw = bytes(v.hex);
    const r = decodeResponse(raw);
    if (r.kind !== 'data') throw new Error('not data');
    t.equal(r.address, v.decoded?.addr);
    t.equal(r.di, v.decoded?.DI);
    t.same(r.values, [{ name: 'forward_active_energy_total', value: v.decoded?.energy_kWh, unit: 'kWh' }]);
    t.equal(r.followUp, false);
    const pre = raw.indexOf(0x68);
    t.same(buildReadResponse(r.address, r.di, r.values, { preamble: pre }), raw, `${id} rebuilt`);
    t.same(expectReadValues(raw, { address: r.address, di: DLT645_DI.FORWARD_ACTIVE_ENERGY_TOTAL }), r.values);
  }
});

t.test('broadcast address read', async (t) => {
  const v = byId('645-broadcast-read-address');
  t.same(buildReadAddressRequest({ preamble: 0 }), bytes(v.hex));
  t.same(decodeRequest(bytes(v.hex)), { kind: 'read-address', address: 'AAAAAAAAAAAA' });
  const resp = buildReadAddressResponse('123456789012');
  t.same(decodeResponse(resp), { kind: 'address', address: '123456789012' });
});

t.test('invalid vectors are rejected with the checksum error', async (t) => {
  for (const v of vectors.filter((x) => !x.valid)) {
    throwsCode(t, () => decodeFrame(bytes(v.hex)), 'DLT645_ERR_CHECKSUM', /checksum 0x7a should be 0xff/);
    throwsCode(t, () => decodeResponse(bytes(v.hex)), 'DLT645_ERR_CHECKSUM');
  }
});

t.test('control code bits', async (t) => {
  t.same(decodeControl(0x91), { fromMeter: true, abnormal: false, followUp: false, fn: 0x11 });
  t.same(decodeControl(0xb1), { fromMeter: true, abnormal: false, followUp: true, fn: 0x11 });
  t.same(decodeControl(0xd1), { fromMeter: true, abnormal: true, followUp: false, fn: 0x11 });
  t.equal(encodeControl({ fromMeter: false, abnormal: false, followUp: false, fn: 0x13 }), 0x13);
});

t.test('abnormal replies become coded errors', async (t) => {
  const no = decodeResponse(buildExceptionResponse('000000000161', 0x11, 0x02));
  t.match(no, { kind: 'exception', address: '000000000161', fn: 0x11, errorByte: 2, flags: ['no_data'] });
  if (no.kind === 'exception') t.equal(no.error.code, 'DLT645_ERR_REMOTE_NO_DATA');
  throwsCode(
    t,
    () => expectReadValues(buildExceptionResponse('000000000161', 0x11, 0x04), { di: '00010000' }),
    'DLT645_ERR_REMOTE_UNAUTHORIZED',
  );
  throwsCode(
    t,
    () => expectReadValues(buildExceptionResponse('000000000161', 0x11, 0x01), { di: '00010000' }),
    'DLT645_ERR_REMOTE_OTHER',
  );
  throwsCode(
    t,
    () => expectReadValues(buildExceptionResponse('000000000161', 0x11, 0x40), { di: '00010000' }),
    'DLT645_ERR_REMOTE_LIMIT',
  );
  throwsCode(
    t,
    () => expectReadValues(buildExceptionResponse('000000000161', 0x17, 0x08), { di: '00010000' }),
    'DLT645_ERR_REMOTE_RATE',
  );
});

t.test('replies are checked against the request', async (t) => {
  const raw = bytes(byId('645-read-energy-resp-1234.56').hex);
  throwsCode(
    t,
    () => expectReadValues(raw, { address: '000000000161', di: '00010000' }),
    'DLT645_ERR_MISMATCH',
    /expected 000000000161/,
  );
  throwsCode(t, () => expectReadValues(raw, { di: '00020000' }), 'DLT645_ERR_MISMATCH');
  t.ok(expectReadValues(raw, { address: 'AAAAAAAAAAAA', di: '00010000' }), 'wildcard request accepts any meter');
  throwsCode(t, () => decodeResponse(bytes(byId('645-read-energy-req').hex)), 'DLT645_ERR_CONTROL');
});

t.test('data identifiers: formats, signs and scales', async (t) => {
  const addr = '123456789012';
  const round = (di: string, values: Record<string, number | string | boolean>) => {
    const r = decodeResponse(buildReadResponse(addr, di, values));
    return r.kind === 'data' ? r.values : [];
  };
  t.same(round('02010100', { voltage_a: 220.1 }), [{ name: 'voltage_a', value: 220.1, unit: 'V' }]);
  t.same(round('02020200', { current_b: -5.123 }), [{ name: 'current_b', value: -5.123, unit: 'A' }]);
  t.same(round('02030000', { active_power_total: 12.3456 }), [
    { name: 'active_power_total', value: 12.3456, unit: 'kW' },
  ]);
  t.same(round('02060000', { power_factor_total: -0.987 }), [{ name: 'power_factor_total', value: -0.987 }]);
  t.same(round('00000000', { combined_active_energy_total: -12.34 }), [
    { name: 'combined_active_energy_total', value: -12.34, unit: 'kWh' },
  ]);
  t.same(round('00010300', { forward_active_energy_tariff_3: 999999.99 }), [
    { name: 'forward_active_energy_tariff_3', value: 999999.99, unit: 'kWh' },
  ]);
  t.same(round('00010001', { forward_active_energy_total_settlement_1: 5 }), [
    { name: 'forward_active_energy_total_settlement_1', value: 5, unit: 'kWh' },
  ]);
  t.same(round('04000401', { comm_address: '000000000161' }), [{ name: 'comm_address', value: '000000000161' }]);
  t.same(round('04000101', { date: '2024-05-01', weekday: 3 }), [
    { name: 'date', value: '2024-05-01' },
    { name: 'weekday', value: 3 },
  ]);
  t.same(round('04000102', { time: '23:59:07' }), [{ name: 'time', value: '23:59:07' }]);
  t.same(round('02800002', { frequency: 49.98 }), [{ name: 'frequency', value: 49.98, unit: 'Hz' }]);

  const block = round('0201FF00', { voltage_a: 230, voltage_b: 229.9, voltage_c: 0 });
  t.same(
    block.map((v) => v.value),
    [230, 229.9, 0],
  );
  const tariffs = round('0001FF00', {
    forward_active_energy_total: 10,
    forward_active_energy_tariff_1: 1,
    forward_active_energy_tariff_2: 2,
    forward_active_energy_tariff_3: 3,
    forward_active_energy_tariff_4: 4,
  });
  t.same(
    tariffs.map((v) => v.name),
    [
      'forward_active_energy_total',
      'forward_active_energy_tariff_1',
      'forward_active_energy_tariff_2',
      'forward_active_energy_tariff_3',
      'forward_active_energy_tariff_4',
    ],
  );

  const s1 = round('04000501', { status_word_1: (1 << 2) | (1 << 4) });
  t.match(Object.fromEntries(s1.map((v) => [v.name, v.value])), {
    status_word_1: 20,
    clock_battery_low: true,
    active_power_reverse: true,
    clock_fault: false,
  });
  const s3 = round('04000503', { status_word_3: (1 << 4) | (1 << 1) | (1 << 8) });
  t.match(Object.fromEntries(s3.map((v) => [v.name, v.value])), {
    relay_open: true,
    supply_mode: 'auxiliary',
    prepaid_mode: 'energy',
  });

  t.equal(lookupDataId('0001FFFF'), undefined, 'double block not supported');
  t.equal(lookupDataId('04009999'), undefined);
  throwsCode(t, () => lookupDataId('0001000'), 'DLT645_ERR_DATA_ID');
  throwsCode(t, () => buildReadResponse(addr, '02010100', { voltage_a: 10000 }), 'DLT645_ERR_DATA', /cannot encode/);
});

t.test('unknown identifiers keep their raw bytes; bad BCD is a coded error', async (t) => {
  const r = decodeResponse(buildReadResponse('000000000001', '04009999', Uint8Array.of(1, 2, 3)));
  t.match(r, { kind: 'data', di: '04009999', values: [] });
  if (r.kind === 'data') t.same([...r.raw], [1, 2, 3]);
  throwsCode(
    t,
    () => decodeResponse(buildReadResponse('000000000001', '00010000', Uint8Array.of(0xff, 0xff, 0xff, 0xff))),
    'DLT645_ERR_DATA',
    /not BCD/,
  );
  throwsCode(
    t,
    () => decodeResponse(buildReadResponse('000000000001', '00010000', Uint8Array.of(1, 2))),
    'DLT645_ERR_DATA',
    /expected 4/,
  );
});

t.test('follow-up frames', async (t) => {
  const req = buildReadFollowUpRequest('000000000161', '00010000', 2, { preamble: 0 });
  t.same(decodeRequest(req), { kind: 'read', address: '000000000161', di: '00010000', seq: 2 });
  const r = decodeResponse(
    buildReadResponse('000000000161', '00010000', { forward_active_energy_total: 1 }, { followUp: true, seq: 2 }),
  );
  t.match(r, { kind: 'data', followUp: true, seq: 2 });
});

t.test('time sync broadcast', async (t) => {
  const f = buildTimeSync({ year: 2024, month: 5, day: 1, hour: 13, minute: 2, second: 3 }, { preamble: 0 });
  t.equal(f.subarray(1, 7).toString('hex'), '999999999999');
  t.same(decodeRequest(f), { kind: 'time-sync', address: '999999999999', time: '2024-05-01 13:02:03' });
  throwsCode(
    t,
    () => buildTimeSync({ year: 2024, month: 13, day: 1, hour: 0, minute: 0, second: 0 }),
    'DLT645_ERR_DATA',
  );
});

t.test('framing errors', async (t) => {
  const good = bytes(byId('645-read-energy-resp-0.26').hex);
  throwsCode(t, () => decodeFrame(good.subarray(0, 15)), 'DLT645_ERR_FRAME', /truncated/);
  throwsCode(t, () => decodeFrame(Buffer.concat([good, Buffer.of(0)])), 'DLT645_ERR_FRAME', /after the end/);
  throwsCode(t, () => decodeFrame(Buffer.concat([Buffer.of(0x00), good])), 'DLT645_ERR_FRAME', /instead of 0x68/);
  const noEnd = Buffer.from(good);
  noEnd[noEnd.length - 1] = 0x17;
  throwsCode(t, () => decodeFrame(noEnd), 'DLT645_ERR_FRAME', /0x16/);
  throwsCode(t, () => encodeFrame({ address: '12345', control: 0x11 }), 'DLT645_ERR_ADDRESS');
  throwsCode(t, () => buildReadRequest('00000000016X', '00010000'), 'DLT645_ERR_ADDRESS');
  throwsCode(t, () => buildReadAddressResponse('AAAAAAAAAAAA'), 'DLT645_ERR_ADDRESS');
});

t.test('scanFrame finds frames in a byte stream', async (t) => {
  const a = bytes(byId('645-read-energy-resp-0.26').hex);
  const b = bytes(byId('645-read-energy-resp-1234.56').hex);
  const bad = bytes(byId('645-js-ui-example').hex);
  const chunks = [Buffer.concat([Buffer.of(0x00, 0x68, 0x13), bad, a, b.subarray(0, 7)]), b.subarray(7)];
  let buf = Buffer.alloc(0);
  const found: string[] = [];
  const errors: string[] = [];
  for (const chunk of chunks) {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const s = scanFrame(buf);
      if (s.kind === 'partial') {
        buf = buf.subarray(s.skip);
        break;
      }
      if (s.kind === 'frame') found.push(s.frame.address);
      else errors.push(s.error.code);
      buf = buf.subarray(s.consumed);
    }
  }
  t.same(found, ['000000000161', '123456789012']);
  t.ok(errors.includes('DLT645_ERR_CHECKSUM'));
  t.equal(buf.length, 0);
});
