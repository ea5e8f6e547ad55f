import t, { type Test } from 'tap';
import { compileLayout, decodePayload, encodePayload, type Layout } from '../../../../edge/profiles/layout/index.js';
import { throwsCode } from '../../../helpers/errors.js';
import { asObject, fromHex, toHex } from './fixtures/load.js';

type Values = Record<string, number | boolean | string>;
const layout = (spec: Record<string, unknown>): Layout => compileLayout(spec, 'test [layout]');
const one = (field: Record<string, unknown>, extra: Record<string, unknown> = {}): Layout =>
  layout({ fields: [{ name: 'v', ...field }], ...extra });

/** Decodes hex to values, and encodes values back to the same hex. */
function both(t: Test, l: Layout, hex: string, values: Values, msg: string): void {
  t.same(asObject(decodePayload(l, fromHex(hex)).values), values, `${msg}: decode ${hex}`);
  t.equal(toHex(encodePayload(l, values)), hex.toUpperCase(), `${msg}: encode`);
}

t.test('integers, big and little endian', async (t) => {
  const cases: [string, string, number][] = [
    ['u8', 'FE', 254],
    ['i8', 'FE', -2],
    ['i8', '7F', 127],
    ['i8', '80', -128],
    ['u16', '1234', 0x1234],
    ['u16le', '3412', 0x1234],
    ['i16', 'FF85', -123],
    ['i16le', '85FF', -123],
    ['u24', '123456', 0x123456],
    ['u24le', '563412', 0x123456],
    ['i24', 'FFFFFE', -2],
    ['i24le', 'FEFFFF', -2],
    ['i24', '800000', -8388608],
    ['u32', 'FFFFFFFE', 4294967294],
    ['u32le', 'FEFFFFFF', 4294967294],
    ['i32', '80000000', -2147483648],
    ['i32le', 'FEFFFFFF', -2],
  ];
  for (const [type, hex, v] of cases) both(t, one({ type }), hex, { v }, type);
  both(t, one({ type: 'u16', endian: 'little' }), '3412', { v: 0x1234 }, 'endian key');
  both(t, one({ type: 'u32', word_swap: true }), '56781234', { v: 0x12345678 }, 'u32 CDAB');
  both(t, one({ type: 'i32le', word_swap: true }), 'F8FF3412', { v: -0x7edcc }, 'i32 BADC');
  both(t, one({ type: 'u16' }, { endian: 'little' }), '3412', { v: 0x1234 }, 'layout endian');
  both(t, one({ type: 'u16be' }, { endian: 'little' }), '1234', { v: 0x1234 }, 'suffix beats layout endian');
  throwsCode(
    t,
    () => encodePayload(one({ type: 'u8' }), { v: 256 }),
    'PROFILE_ERR_ENCODE',
    /field "v": 256 is raw 256, which does not fit u8 \(0\.\.255\)/,
  );
  throwsCode(t, () => encodePayload(one({ type: 'i8' }), { v: -129 }), 'PROFILE_ERR_ENCODE');
  throwsCode(t, () => encodePayload(one({ type: 'u8' }), { v: 'x' }), 'PROFILE_ERR_ENCODE', /expects a finite number/);
  throwsCode(t, () => encodePayload(one({ type: 'u8' }), {}), 'PROFILE_ERR_ENCODE', /field "v": no value given/);
});

t.test('scale and offset stay decimal-exact', async (t) => {
  both(t, one({ type: 'i16', scale: 0.1, unit: 'Cel' }), '0101', { v: 25.7 }, 'x0.1');
  t.same(
    decodePayload(one({ type: 'i16', scale: 0.1, unit: 'Cel' }), fromHex('0101')).values,
    [{ name: 'v', value: 25.7, unit: 'Cel' }],
    'unit',
  );
  both(t, one({ type: 'u16', scale: 0.01 }), '0DFC', { v: 35.8 }, 'x0.01');
  both(t, one({ type: 'u16', scale: 0.001 }), '0457', { v: 1.111 }, 'x0.001');
  both(t, one({ type: 'u16', scale: 0.1, offset: -40 }), '0101', { v: -14.3 }, 'x0.1 - 40');
  both(t, one({ type: 'u8', scale: 0.5, offset: -20 }), '41', { v: 12.5 }, 'x0.5 - 20');
  both(t, one({ type: 'u8', scale: 0.3 }), '03', { v: 0.9 }, 'x0.3 (not a power of ten)');
  both(t, one({ type: 'u16', scale: 10 }), '0019', { v: 250 }, 'x10');
  both(t, one({ type: 'u16', offset: 1000 }), '0019', { v: 1025 }, '+1000');
  t.same(
    asObject(decodePayload(one({ type: 'u16', scale: 0.1, decimals: 0 }), fromHex('0101')).values),
    { v: 26 },
    'decimals',
  );
  // every raw value of a 0.1-scaled u16 prints as itself/10
  const l = one({ type: 'u16', scale: 0.1 });
  let exact = true;
  for (let raw = 0; raw < 65536; raw += 7) {
    const v = decodePayload(l, Uint8Array.of(raw >> 8, raw & 255)).values[0]?.value as number;
    if (String(v) !== String(raw / 10)) exact = false;
  }
  t.ok(exact, 'raw / 10 for every raw value');
  throwsCode(t, () => encodePayload(one({ type: 'u8', scale: 0.1 }), { v: 25.6 }), 'PROFILE_ERR_ENCODE', /raw 256/);
});

t.test('floats', async (t) => {
  both(t, one({ type: 'float32' }), '41CD999A', { v: 25.7 }, 'float32 BE, shortest decimal');
  both(t, one({ type: 'float32le' }), '9A99CD41', { v: 25.7 }, 'float32 LE');
  both(t, one({ type: 'float32' }), 'C2C80000', { v: -100 }, 'float32 negative');
  both(t, one({ type: 'float64' }), '4039B33333333333', { v: 25.7 }, 'float64 BE');
  both(t, one({ type: 'float64', endian: 'little' }), '3333333333333940', { v: 25.2 }, 'float64 LE');
  both(t, one({ type: 'float32', scale: 0.001, unit: 'm3' }), '47F12000', { v: 123.456 }, 'float32 scaled');
  t.same(
    asObject(decodePayload(one({ type: 'float32', decimals: 2 }), fromHex('3F9E0652')).values),
    { v: 1.23 },
    'float32 rounded to decimals',
  );
  both(t, one({ type: 'float32', word_swap: true }), '999A41CD', { v: 25.7 }, 'float32 CDAB (Modbus word-swapped)');
  both(t, one({ type: 'float32le', word_swap: true }), 'CD419A99', { v: 25.7 }, 'float32 BADC');
  throwsCode(
    t,
    () => decodePayload(one({ type: 'float32' }), fromHex('7FC00000')),
    'PROFILE_ERR_RANGE',
    /field "v" at byte 0: float32 is NaN/,
  );
  throwsCode(t, () => decodePayload(one({ type: 'float32' }), fromHex('7F800000')), 'PROFILE_ERR_RANGE', /Infinity/);
  throwsCode(
    t,
    () => encodePayload(one({ type: 'float32' }), { v: 1e39 }),
    'PROFILE_ERR_ENCODE',
    /does not fit float32/,
  );
});

t.test('BCD', async (t) => {
  both(t, one({ type: 'bcd', bytes: 4 }), '00123456', { v: 123456 }, 'BCD number');
  both(
    t,
    one({ type: 'bcd', bytes: 4, reverse: true, scale: 0.01, unit: 'kWh' }),
    '56341200',
    { v: 1234.56 },
    'reversed, scaled (DL/T 645 energy)',
  );
  both(
    t,
    one({ type: 'bcd', bytes: 6, reverse: true, as: 'string' }),
    '120978563412',
    { v: '123456780912' },
    'reversed address as text',
  );
  both(t, one({ type: 'bcd', bytes: 3, as: 'string' }), '000161', { v: '000161' }, 'leading zeros kept');
  t.same(
    asObject(decodePayload(one({ type: 'bcd', bytes: 2, no_value: 0xffff }), fromHex('FFFF')).values),
    {},
    'no_value leaves the value out',
  );
  t.equal(
    toHex(encodePayload(one({ type: 'bcd', bytes: 2, no_value: 0xffff }), {})),
    'FFFF',
    'and encodes as no_value',
  );
  // an empty list would encode a missing value as 0000, a valid reading (and a downlink's 0)
  throwsCode(
    t,
    () => one({ type: 'bcd', bytes: 2, no_value: [] }),
    'PROFILE_ERR_LAYOUT',
    /no_value must be a non-empty array/,
  );
  throwsCode(
    t,
    () => decodePayload(one({ type: 'bcd', bytes: 2 }), fromHex('12A4')),
    'PROFILE_ERR_BCD',
    /field "v" at byte 0: bytes 12A4 are not BCD/,
  );
  throwsCode(t, () => decodePayload(one({ type: 'bcd', bytes: 2, as: 'string' }), fromHex('F234')), 'PROFILE_ERR_BCD');
  throwsCode(
    t,
    () => encodePayload(one({ type: 'bcd', bytes: 2 }), { v: 12345 }),
    'PROFILE_ERR_ENCODE',
    /does not fit 2-byte BCD/,
  );
  throwsCode(
    t,
    () => encodePayload(one({ type: 'bcd', bytes: 2, as: 'string' }), { v: '12a' }),
    'PROFILE_ERR_ENCODE',
    /decimal digits/,
  );
});

t.test('bit flags and bit ranges', async (t) => {
  const l = layout({
    fields: [
      { name: 'alarm', type: 'bits', bit: 3 },
      {
        type: 'u16',
        parts: [
          { name: 'mode', bits: [12, 15], enum: { 0: 'idle', 1: 'run', 2: 'fault' } },
          { name: 'level', bits: [4, 11], scale: 0.5 },
          { name: 'delta', bits: [1, 3], signed: true },
          { name: 'open', bit: 0, enum: { 0: 'closed', 1: 'open' } },
        ],
      },
      { name: 'tamper', type: 'bits', of: 'u16le', bit: 9 },
    ],
  });
  both(
    t,
    l,
    '08' + '1C8D' + '0002',
    { alarm: true, mode: 'run', level: 100, delta: -2, open: 'open', tamper: true },
    'mixed',
  );
  both(
    t,
    l,
    '00' + '0000' + '0000',
    { alarm: false, mode: 'idle', level: 0, delta: 0, open: 'closed', tamper: false },
    'zeros',
  );
  const named = layout({
    fields: [
      {
        name: 'status',
        type: 'u8',
        parts: [
          { name: 'low', bits: [0, 3] },
          { name: 'high', bits: [4, 7] },
        ],
      },
    ],
  });
  t.same(
    asObject(decodePayload(named, fromHex('A5')).values),
    { status: 0xa5, low: 5, high: 10 },
    'named container and its parts',
  );
  t.equal(toHex(encodePayload(named, { low: 5, high: 10 })), 'A5', 'container value optional when parts are given');
  throwsCode(
    t,
    () => encodePayload(l, { alarm: 'yes', mode: 'run', level: 1, delta: 0, open: 'open', tamper: false }),
    'PROFILE_ERR_ENCODE',
    /field "alarm": expects true or false/,
  );
  throwsCode(
    t,
    () => encodePayload(l, { alarm: true, mode: 'run', level: 1, delta: 4, open: 'open', tamper: false }),
    'PROFILE_ERR_ENCODE',
    /does not fit signed bits 1\.\.3/,
  );
  throwsCode(
    t,
    () => decodePayload(l, fromHex('00' + '3000' + '0000')),
    'PROFILE_ERR_ENUM',
    /field "mode" at byte 1: raw value 3/,
  );
});

t.test('enum, const, min/max, no_value, hidden', async (t) => {
  const l = layout({
    fields: [
      { type: 'u8', const: 0x68 },
      { name: 'version', type: 'u8', const: 2, hidden: true },
      { name: 'state', type: 'u8', enum: { 0: 'normal', 1: 'tilt', '0x10': 'open' } },
      { name: 'battery', type: 'u8', unit: '%', min: 0, max: 100 },
      { name: 'water', type: 'u16', scale: 0.1, unit: 'm', no_value: [0xffff, 0x8000] },
    ],
  });
  both(t, l, '68020164' + '0101', { state: 'tilt', battery: 100, water: 25.7 }, 'all present');
  t.same(
    asObject(decodePayload(l, fromHex('6802106480' + '00')).values),
    { state: 'open', battery: 100 },
    'no_value 0x8000 leaves the value out',
  );
  t.equal(
    toHex(encodePayload(l, { state: 'open', battery: 5 })),
    '68021005FFFF',
    'missing no_value field encodes the first no_value',
  );
  throwsCode(
    t,
    () => decodePayload(l, fromHex('69020164FFFF')),
    'PROFILE_ERR_CONST',
    /fields\[0\] at byte 0: holds 0x69, the layout expects const 0x68/,
  );
  throwsCode(t, () => decodePayload(l, fromHex('68030164FFFF')), 'PROFILE_ERR_CONST', /field "version" at byte 1/);
  throwsCode(
    t,
    () => decodePayload(l, fromHex('68020265FFFF')),
    'PROFILE_ERR_ENUM',
    /field "state" at byte 2: raw value 2 \(0x2\) has no name/,
  );
  throwsCode(
    t,
    () => decodePayload(l, fromHex('68020165FFFF')),
    'PROFILE_ERR_RANGE',
    /field "battery" at byte 3: 101 is outside its valid range 0\.\.100/,
  );
  throwsCode(
    t,
    () => encodePayload(l, { state: 'gone', battery: 5 }),
    'PROFILE_ERR_ENUM',
    /"gone" is not in its enum table \(normal, tilt, open\)/,
  );
  throwsCode(t, () => encodePayload(l, { state: 'open', battery: 101 }), 'PROFILE_ERR_RANGE');
  throwsCode(
    t,
    () => encodePayload(l, { state: 'open', battery: 1, version: 3 }),
    'PROFILE_ERR_ENCODE',
    /is const 0x2/,
  );
  throwsCode(
    t,
    () => encodePayload(l, { state: 'open', battery: 1, batery: 3 }),
    'PROFILE_ERR_ENCODE',
    /unknown value "batery".*did you mean "battery"/,
  );
});

t.test('text, hex, skip', async (t) => {
  const l = layout({
    fields: [
      { type: 'ascii', bytes: 2, const: 'YW' },
      { name: 'imei', type: 'ascii', bytes: 16 },
      { type: 'skip', bytes: 2 },
      { name: 'addr', type: 'hex', bytes: 3, reverse: true },
      { name: 'raw', type: 'hex', bytes: 2 },
    ],
  });
  const hex = `${toHex(new TextEncoder().encode('YW863221040001234'))}000000563412BEEF`;
  both(t, l, hex, { imei: '863221040001234', addr: '123456', raw: 'BEEF' }, 'ascii, skip, hex');
  throwsCode(t, () => decodePayload(l, fromHex(hex.replace(/^5957/, '5858'))), 'PROFILE_ERR_CONST', /holds "XX"/);
  throwsCode(
    t,
    () => decodePayload(l, fromHex(`${hex.slice(0, 6)}07${hex.slice(8)}`)),
    'PROFILE_ERR_RANGE',
    /field "imei" at byte 3: byte 0x07 is not printable ASCII/,
  );
  throwsCode(
    t,
    () => encodePayload(l, { imei: 'é', addr: '123456', raw: 'BEEF' }),
    'PROFILE_ERR_ENCODE',
    /printable ASCII/,
  );
  throwsCode(
    t,
    () => encodePayload(l, { imei: '1', addr: '1234', raw: 'BEEF' }),
    'PROFILE_ERR_ENCODE',
    /expects 6 hex digits/,
  );
});

t.test('absolute offsets, offsets from the end, lengths', async (t) => {
  const l = layout({
    min_length: 4,
    fields: [
      { name: 'a', type: 'u8', at: 2 },
      { name: 'b', type: 'u8' },
      { name: 'c', type: 'u8', at: 0 },
      { name: 'last', type: 'u16', at: -2 },
    ],
  });
  t.same(asObject(decodePayload(l, fromHex('0102030405060708')).values), { a: 3, b: 4, c: 1, last: 0x0708 }, 'decode');
  t.equal(toHex(encodePayload(l, { a: 3, b: 4, c: 1, last: 0x0708 })), '010003040708', 'encode: head then tail');
  throwsCode(
    t,
    () => decodePayload(l, fromHex('010203')),
    'PROFILE_ERR_LENGTH',
    /payload: is 3 bytes, the layout expects at least 4/,
  );
  throwsCode(t, () => decodePayload(l, fromHex('0102030405')), 'PROFILE_ERR_LENGTH', /its fields need at least 6/);
  const exact = layout({ length: 3, fields: [{ name: 'a', type: 'u16' }] });
  throwsCode(t, () => decodePayload(exact, fromHex('0102')), 'PROFILE_ERR_LENGTH', /expects exactly 3/);
  t.equal(toHex(encodePayload(exact, { a: 1 })), '000100', 'exact length pads');
  const max = layout({ max_length: 3, fields: [{ name: 'a', type: 'u16' }] });
  throwsCode(t, () => decodePayload(max, fromHex('01020304')), 'PROFILE_ERR_LENGTH', /at most 3/);
  t.same(
    asObject(decodePayload(max, fromHex('010203')).values),
    { a: 0x0102 },
    'trailing bytes allowed up to max_length',
  );
});

t.test('length_of = "rest"', async (t) => {
  const l = layout({
    checksum: { type: 'sum8' },
    fields: [
      { type: 'u8', const: 0x68 },
      { name: 'len', type: 'u8', length_of: 'rest' },
      { name: 'v', type: 'u16' },
    ],
  });
  both(t, l, '68020102' + '6D', { len: 2, v: 0x0102 }, 'counts up to the checksum');
  t.equal(toHex(encodePayload(l, { v: 0x0102 })), '680201026D', 'written by the encoder');
  throwsCode(
    t,
    () => decodePayload(l, fromHex('68030102' + '6E')),
    'PROFILE_ERR_LENGTH',
    /field "len" at byte 1: says 3 byte\(s\) follow, the payload has 2/,
  );
});

t.test('value names that are also Object.prototype keys', async (t) => {
  const l = layout({
    fields: [
      { name: 'constructor', type: 'u8' },
      { name: 'toString', type: 'u8', no_value: 0xff },
    ],
  });
  t.same(decodePayload(l, fromHex('01FF')).values, [{ name: 'constructor', value: 1 }]);
  t.equal(toHex(encodePayload(l, { constructor: 1 } as Values)), '01FF');
  throwsCode(t, () => encodePayload(l, {}), 'PROFILE_ERR_ENCODE', /field "constructor": no value given/);
});
