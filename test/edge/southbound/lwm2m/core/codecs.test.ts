import t from 'tap';
import { isYiwangError } from '../../../../../common/errors.js';
import {
  CONTENT_FORMAT,
  EMPTY_MODEL,
  MAX_PAYLOAD_BYTES,
  absoluteTimeMs,
  codecFor,
  decodeNode,
  decodePaths,
  decodeRecords,
  encodeNode,
  encodeRecords,
  isSupportedFormat,
  parsePath,
  readingValue,
  val,
  type Lwm2mNode,
  type Lwm2mValue,
  type ModelLookup,
} from '../../../../../edge/southbound/lwm2m/core/index.js';
import { throwsCode } from '../../../../helpers/errors.js';
import { MODEL, hex, toExpected, unhex } from './fixtures/helpers.js';

const P = parsePath;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const rec = (format: number, bytes: Uint8Array, path: string, model: ModelLookup = MODEL) =>
  toExpected(decodeRecords(format, bytes, P(path), model));
const single = (id: number, value: Lwm2mValue): Lwm2mNode => ({ kind: 'resource', id, value });

t.test('format selection and limits', async (t) => {
  for (const f of [0, 42, 60, 110, 112, 1542, 1543, 11542, 11543]) t.ok(isSupportedFormat(f), `${f} supported`);
  t.equal(codecFor(1542), codecFor(11542), '1542 is TLV');
  t.equal(codecFor(1543), codecFor(11543), '1543 is LwM2M JSON');
  throwsCode(t, () => codecFor(CONTENT_FORMAT.LINK), 'LWM2M_ERR_FORMAT_UNSUPPORTED');
  throwsCode(t, () => decodeNode(9999, new Uint8Array(), P('/3/0/0')), 'LWM2M_ERR_FORMAT_UNSUPPORTED');
  throwsCode(t, () => encodeRecords(11542, []), 'LWM2M_ERR_FORMAT_UNSUPPORTED');
  throwsCode(t, () => decodePaths(11543, utf8('{"e":[]}')), 'LWM2M_ERR_FORMAT_UNSUPPORTED');
  throwsCode(t, () => decodeNode(42, new Uint8Array(MAX_PAYLOAD_BYTES + 1), P('/5/0/0')), 'LWM2M_ERR_TOO_LARGE');
});

t.test('text/plain', async (t) => {
  t.same(rec(0, utf8('-12'), '/3/0/9'), [['/3/0/9', 'integer', -12]]);
  t.same(
    rec(0, utf8('9223372036854775807'), '/3/0/9'),
    [['/3/0/9', 'integer', '9223372036854775807']],
    'int64 max stays exact',
  );
  t.same(rec(0, utf8('2.5e3'), '/3303/0/5700'), [['/3303/0/5700', 'float', 2500]]);
  t.same(rec(0, utf8('hello'), '/77/0/1'), [['/77/0/1', 'string', 'hello']], 'unknown resource: string');
  throwsCode(t, () => decodeNode(0, utf8('12a'), P('/3/0/9')), 'LWM2M_ERR_VALUE');
  throwsCode(t, () => decodeNode(0, utf8('9223372036854775808'), P('/3/0/9')), 'LWM2M_ERR_VALUE', /out of range/);
  throwsCode(t, () => decodeNode(0, utf8('2'), P('/1/0/6')), 'LWM2M_ERR_VALUE');
  throwsCode(t, () => decodeNode(0, utf8('1.5'), P('/3/0/9')), 'LWM2M_ERR_VALUE');
  throwsCode(t, () => decodeNode(0, utf8('67:70000'), P('/66/0/2'), MODEL), 'LWM2M_ERR_VALUE');
  throwsCode(t, () => decodeNode(0, utf8('!!'), P('/5/0/0')), 'LWM2M_ERR_VALUE', /base64/);
  throwsCode(t, () => decodeNode(0, unhex('c328'), P('/3/0/0')), 'LWM2M_ERR_VALUE', /UTF-8/);
  throwsCode(t, () => decodeNode(0, utf8('1'), P('/3/0')), 'LWM2M_ERR_FORMAT_LEVEL');
  throwsCode(t, () => decodeNode(0, utf8('1'), P('/3/0/7')), 'LWM2M_ERR_FORMAT_LEVEL', /multiple/);
  throwsCode(t, () => encodeNode(0, single(5700, val.float(NaN)), P('/3303/0/5700')), 'LWM2M_ERR_ENCODE');
});

t.test('opaque', async (t) => {
  t.same(rec(42, unhex('00ff'), '/9999/0/0'), [['/9999/0/0', 'opaque', '00ff']]);
  throwsCode(t, () => decodeNode(42, utf8('x'), P('/3/0/0')), 'LWM2M_ERR_VALUE', /string/);
  throwsCode(t, () => encodeNode(42, single(0, val.string('x')), P('/3/0/0')), 'LWM2M_ERR_ENCODE');
});

t.test('TLV: variants clients send', async (t) => {
  const six = [
    ['/3/0/6/0', 'integer', 1],
    ['/3/0/6/1', 'integer', 5],
  ];
  t.same(rec(11542, unhex('410001410105'), '/3/0/6'), six, 'bare resource instances');
  t.same(rec(11542, unhex('8606410001410105'), '/3/0/6'), six, 'multiple-resource TLV');
  t.same(rec(11542, unhex('0300C10164'), '/3/0/1'), [['/3/0/1', 'string', 'd']], 'resource inside its instance TLV');
  t.same(
    rec(11542, unhex('C10964'), '/3'),
    [['/3/0/9', 'integer', 100]],
    'single-instance object without instance TLV',
  );
  t.same(rec(11542, unhex('410105'), '/3/0/6/1'), [['/3/0/6/1', 'integer', 5]], 'resource instance');
  t.same(
    rec(11542, unhex('C1016A'), '/4000/0', EMPTY_MODEL),
    [['/4000/0/1', 'opaque', '6a']],
    'unknown resource: opaque',
  );
  t.same(rec(11542, new Uint8Array(), '/3/0/6'), [], 'empty multiple resource');
});

t.test('TLV: malformed input is coded', async (t) => {
  throwsCode(t, () => decodeNode(11542, unhex('C800FF00'), P('/3/0')), 'LWM2M_ERR_TLV', /declares 255 bytes/);
  throwsCode(t, () => decodeNode(11542, unhex('D800FFFFFF00'), P('/3/0')), 'LWM2M_ERR_TLV', /declares 16777215/);
  throwsCode(t, () => decodeNode(11542, unhex('F8'), P('/3/0')), 'LWM2M_ERR_TLV', /truncated/);
  throwsCode(t, () => decodeNode(11542, unhex('0800020001'), P('/3')), 'LWM2M_ERR_TLV', /inside/);
  throwsCode(t, () => decodeNode(11542, unhex('C10964C10964'), P('/3/0')), 'LWM2M_ERR_DUPLICATE');
  throwsCode(t, () => decodeNode(11542, unhex('C10601'), P('/3/0')), 'LWM2M_ERR_STRUCTURE', /multiple/);
  throwsCode(
    t,
    () => decodeNode(11542, unhex('830941000 1'.replace(' ', '')), P('/3/0')),
    'LWM2M_ERR_STRUCTURE',
    /single/,
  );
  throwsCode(t, () => decodeNode(11542, unhex('C309000064'), P('/3/0')), 'LWM2M_ERR_VALUE', /1, 2, 4 or 8/);
  throwsCode(t, () => decodeNode(11542, unhex('C10602'), P('/1/0')), 'LWM2M_ERR_VALUE', /0 or 1/);
  throwsCode(t, () => decodeNode(11542, unhex('0300C10164'), P('/3/1/1')), 'LWM2M_ERR_STRUCTURE', /instance 0/);
  throwsCode(t, () => decodeNode(11542, unhex('C10964'), P('/3303')), 'LWM2M_ERR_STRUCTURE', /single-instance/);
  throwsCode(t, () => decodeNode(11542, unhex('8606410001410105'), P('/3/0/6/1')), 'LWM2M_ERR_STRUCTURE');
  throwsCode(t, () => decodeNode(11542, new Uint8Array(), P('/3/0/9')), 'LWM2M_ERR_STRUCTURE', /no value/);
  throwsCode(t, () => decodeNode(11542, new Uint8Array(), P('/')), 'LWM2M_ERR_FORMAT_LEVEL');
});

t.test('TLV: encoding picks the shortest fields', async (t) => {
  const enc = (node: Lwm2mNode, path: string): string => hex(encodeNode(11542, node, P(path)));
  t.equal(enc(single(1, val.integer(-1)), '/77/0/1'), 'c101ff');
  t.equal(enc(single(1, val.integer(2 ** 40)), '/77/0/1'), 'c801080000010000000000');
  t.equal(enc(single(1, val.unsigned(2n ** 64n - 1n)), '/77/0/1'), 'c80108ffffffffffffffff');
  t.equal(enc(single(1, val.float(1.5)), '/77/0/1'), 'c4013fc00000', 'float32 when exact');
  t.equal(enc(single(1, val.float(0.1)), '/77/0/1'), 'c801083fb999999999999a', 'float64 otherwise');
  t.equal(enc(single(1, val.objlnk(66, 0)), '/77/0/1'), 'c40100420000');
  t.equal(enc(single(300, val.integer(5)), '/77/0/300'), 'e1012c05', '16-bit id');
  t.match(enc(single(1, val.string('x'.repeat(300))), '/77/0/1'), /^d001012c/, '16-bit length');
  t.match(enc(single(1, val.opaque(new Uint8Array(70000))), '/77/0/1'), /^d801011170/, '24-bit length');
  throwsCode(
    t,
    () => encodeNode(11542, single(1, val.opaque(new Uint8Array(0x1000000))), P('/77/0/1')),
    'LWM2M_ERR_TOO_LARGE',
  );
  throwsCode(t, () => encodeNode(11542, single(13, val.time(1.5)), P('/3/0/13')), 'LWM2M_ERR_ENCODE', /whole seconds/);
  throwsCode(
    t,
    () => encodeNode(11542, single(1, val.string('x')), P('/3/0/2')),
    'LWM2M_ERR_ENCODE',
    /cannot be encoded at/,
  );
  throwsCode(
    t,
    () => encodeNode(11542, single(1, { type: 'integer', value: 2 ** 64 }), P('/3/0/1')),
    'LWM2M_ERR_ENCODE',
  );
});

t.test('value constructors check ranges', async (t) => {
  throwsCode(t, () => val.integer(2n ** 63n), 'LWM2M_ERR_ENCODE');
  throwsCode(t, () => val.integer(0.5), 'LWM2M_ERR_ENCODE');
  throwsCode(t, () => val.unsigned(-1), 'LWM2M_ERR_ENCODE');
  throwsCode(t, () => val.objlnk(70000, 0), 'LWM2M_ERR_ENCODE');
  throwsCode(t, () => val.time(Infinity), 'LWM2M_ERR_ENCODE');
  t.same(val.integer(-(2n ** 63n)), { type: 'integer', value: -(2n ** 63n) });
});

t.test('CBOR (60)', async (t) => {
  t.same(rec(60, unhex('1bffffffffffffffff'), '/1/0/11'), [['/1/0/11', 'unsigned', '18446744073709551615']]);
  t.equal(hex(encodeNode(60, single(11, val.unsigned(2n ** 64n - 1n)), P('/1/0/11'))), '1bffffffffffffffff');
  t.equal(
    hex(encodeNode(60, single(5700, val.float(20)), P('/3303/0/5700'))),
    'fb4034000000000000',
    'a float stays a float',
  );
  t.same(rec(60, unhex('f93e00'), '/3303/0/5700'), [['/3303/0/5700', 'float', 1.5]], 'half-precision float');
  t.same(rec(60, unhex('1a5182428f'), '/3/0/13'), [['/3/0/13', 'time', 1367491215]], 'untagged time');
  t.same(
    rec(60, Uint8Array.of(0xc0, 0x74, ...utf8('2013-05-02T10:40:15Z')), '/3/0/13'),
    [['/3/0/13', 'time', 1367491215]],
    'tag 0 time',
  );
  throwsCode(t, () => decodeNode(60, unhex('f93e00'), P('/3/0/9')), 'LWM2M_ERR_VALUE', /integer/);
  throwsCode(t, () => decodeNode(60, unhex('f6'), P('/3/0/9')), 'LWM2M_ERR_VALUE');
  throwsCode(t, () => decodeNode(60, unhex('0101'), P('/3/0/9')), 'LWM2M_ERR_CBOR', /after/);
  throwsCode(t, () => decodeNode(60, unhex('d82501'), P('/4000/0/1'), EMPTY_MODEL), 'LWM2M_ERR_CBOR', /tag 37/);
  throwsCode(t, () => decodeNode(60, unhex('9affffffff'), P('/3/0/9')), 'LWM2M_ERR_CBOR', /middle/);
  throwsCode(t, () => decodeNode(60, unhex('5affffffff00'), P('/5/0/0')), 'LWM2M_ERR_CBOR');
  throwsCode(t, () => decodeNode(60, new Uint8Array(), P('/3/0/9')), 'LWM2M_ERR_CBOR');
  const deep = new Uint8Array(200_000).fill(0x81);
  throwsCode(t, () => decodeNode(60, deep, P('/3/0/9')), 'LWM2M_ERR_CBOR', /nested/);
  throwsCode(t, () => decodeNode(112, deep, P('/3/0')), 'LWM2M_ERR_CBOR', /nested/);
});

t.test('SenML JSON', async (t) => {
  const json = (s: string, path: string) => rec(110, utf8(s), path);
  t.same(
    json('[{"bn":"/3/0/","n":"9","v":1},{"n":"10","v":2}]', '/3/0'),
    [
      ['/3/0/9', 'integer', 1],
      ['/3/0/10', 'integer', 2],
    ],
    'bn carries over',
  );
  t.same(json('[{"n":"/5/0/0","vd":"AQID_w"}]', '/5/0/0'), [['/5/0/0', 'opaque', '010203ff']], 'vd is base64url');
  t.same(
    json('[{"n":"/3/0/9","v":1,"t":-5},{"n":"/3/0/9","v":2,"t":-1}]', '/3/0'),
    [
      ['/3/0/9', 'integer', 1, -5],
      ['/3/0/9', 'integer', 2, -1],
    ],
    'timestamped series',
  );
  throwsCode(
    t,
    () => decodeNode(110, utf8('[{"n":"/3/0/9","v":1},{"n":"/3/0/9","v":2}]'), P('/3/0')),
    'LWM2M_ERR_DUPLICATE',
  );
  throwsCode(
    t,
    () => decodeNode(110, utf8('[{"n":"/3/0/9","v":1,"vs":"x"}]'), P('/3/0')),
    'LWM2M_ERR_SENML',
    /one value field/,
  );
  throwsCode(t, () => decodeNode(110, utf8('[{"v":1}]'), P('/3/0')), 'LWM2M_ERR_SENML', /no name/);
  throwsCode(t, () => decodeNode(110, utf8('[{"n":5,"v":1}]'), P('/3/0')), 'LWM2M_ERR_SENML', /string/);
  throwsCode(t, () => decodeNode(110, utf8('[{"n":"/66/0/2","vlo":"x"}]'), P('/66/0/2')), 'LWM2M_ERR_VALUE');
  throwsCode(t, () => decodeNode(110, utf8('[{"n":"/3/0/9","v":1}]'), P('/1/0')), 'LWM2M_ERR_STRUCTURE', /not under/);
  throwsCode(t, () => decodeNode(110, utf8('[{"n":"/3/0","v":1}]'), P('/3/0')), 'LWM2M_ERR_STRUCTURE');
  throwsCode(t, () => decodeNode(110, utf8('[{"n":"/3/0/0","v":1}]'), P('/3/0')), 'LWM2M_ERR_VALUE', /string/);
  throwsCode(t, () => decodeNode(110, utf8('[{"n":"/3/0/9","v":1e20}]'), P('/3/0')), 'LWM2M_ERR_VALUE', /range/);
  throwsCode(t, () => decodeNode(110, utf8('[{"n":"/3/0/9","v":1}'), P('/3/0')), 'LWM2M_ERR_JSON');
  throwsCode(t, () => decodeNode(110, unhex('5bc3'), P('/3/0')), 'LWM2M_ERR_JSON', /UTF-8/);
  throwsCode(t, () => decodePaths(110, utf8('[{"n":"/3/0/9","v":1}]')), 'LWM2M_ERR_SENML', /no values/);
  throwsCode(t, () => encodeNode(110, single(5700, val.float(Infinity)), P('/3303/0/5700')), 'LWM2M_ERR_ENCODE');
  const deep = utf8('['.repeat(100_000) + ']'.repeat(100_000));
  try {
    decodeNode(110, deep, P('/3/0'));
    t.fail('deep nesting must be refused');
  } catch (e) {
    t.ok(isYiwangError(e) && ['LWM2M_ERR_JSON', 'LWM2M_ERR_SENML'].includes(e.code), 'deep nesting is a coded error');
  }
});

t.test('SenML CBOR keeps 64-bit integers exact', async (t) => {
  const records = [
    { path: P('/1/0/11'), value: val.unsigned(2n ** 64n - 1n) },
    { path: P('/3/0/9'), value: val.integer(-(2n ** 63n)) },
  ];
  const bytes = encodeRecords(112, records);
  t.same(rec(112, bytes, '/'), [
    ['/1/0/11', 'unsigned', '18446744073709551615'],
    ['/3/0/9', 'integer', '-9223372036854775808'],
  ]);
  throwsCode(t, () => decodeNode(112, unhex('81a2000001f4'), P('/3/0')), 'LWM2M_ERR_SENML', /text string/);
  throwsCode(t, () => decodeNode(112, unhex('81a300662f332f302f3902010202'), P('/3/0')), 'LWM2M_ERR_SENML', /twice/);
  throwsCode(t, () => decodeNode(112, unhex('a0'), P('/3/0')), 'LWM2M_ERR_SENML', /array/);
});

t.test('LwM2M JSON carries opaque as base64 in sv', async (t) => {
  const bytes = encodeNode(11543, single(0, val.opaque(Uint8Array.of(1, 2))), P('/5/0/0'));
  t.equal(text(bytes), '{"bn":"/5/0/","e":[{"n":"0","sv":"AQI="}]}');
  t.same(rec(11543, bytes, '/5/0/0'), [['/5/0/0', 'opaque', '0102']]);
  throwsCode(t, () => decodeNode(11543, utf8('[]'), P('/3/0')), 'LWM2M_ERR_SENML', /object/);
  throwsCode(t, () => decodeNode(11543, utf8('{"e":{}}'), P('/3/0')), 'LWM2M_ERR_SENML', /array/);
});

t.test(
  'LwM2M JSON writes a resource under its instance: bn "/3/0/", n "14" (OMA-TS-LightweightM2M 1.0 §6.4.4; 1.1.1 §7.4.5)',
  async (t) => {
    // A client that reads bn "/3/0/14" with no n takes it for a multiple resource and answers
    // 4.04/4.06 to a single-resource Write (issue 20 item 3): the base name is the instance.
    const tz = encodeNode(11543, single(14, val.string('+07:00')), P('/3/0/14'));
    t.equal(text(tz), '{"bn":"/3/0/","e":[{"n":"14","sv":"+07:00"}]}', 'single resource /3/0/14');
    t.same(rec(11543, tz, '/3/0/14'), [['/3/0/14', 'string', '+07:00']], 'and reads back');
    const ri = encodeNode(11543, { kind: 'resourceInstance', id: 1, value: val.integer(5000) }, P('/3/0/7/1'));
    t.equal(text(ri), '{"bn":"/3/0/","e":[{"n":"7/1","v":5000}]}', 'resource instance /3/0/7/1');
    t.same(rec(11543, ri, '/3/0/7/1'), [['/3/0/7/1', 'integer', '5000']]);
    const multi = encodeNode(
      11543,
      {
        kind: 'multipleResource',
        id: 7,
        instances: [
          { kind: 'resourceInstance', id: 0, value: val.integer(3800) },
          { kind: 'resourceInstance', id: 1, value: val.integer(5000) },
        ],
      },
      P('/3/0/7'),
    );
    t.equal(text(multi), '{"bn":"/3/0/","e":[{"n":"7/0","v":3800},{"n":"7/1","v":5000}]}', 'multiple resource /3/0/7');
    t.equal(
      text(encodeNode(11543, single(14, val.string('x')), P('/3/0/14'))).includes('"bn":"/3/0/14"'),
      false,
      'the resource path is never the base name',
    );
    // Reading keeps accepting every form a client may send: bn naming the resource, bn the instance.
    t.same(rec(11543, utf8('{"bn":"/3/0/14","e":[{"sv":"+07:00"}]}'), '/3/0/14'), [['/3/0/14', 'string', '+07:00']]);
    t.same(rec(11543, utf8('{"bn":"/3/0/","e":[{"n":"14","sv":"+07:00"}]}'), '/3/0/14'), [
      ['/3/0/14', 'string', '+07:00'],
    ]);
    t.same(rec(11543, utf8('{"bn":"/3/0/7/","e":[{"n":"1","v":5000}]}'), '/3/0/7'), [['/3/0/7/1', 'integer', '5000']]);
    t.same(rec(11543, utf8('{"e":[{"n":"/3/0/14","sv":"+07:00"}]}'), '/3/0/14'), [['/3/0/14', 'string', '+07:00']]);
  },
);

t.test('SenML times', async (t) => {
  t.equal(absoluteTimeMs(-5, 1_000_000), 995_000, 'below 2^28: relative to now');
  t.equal(absoluteTimeMs(1367491215, 5), 1367491215000, 'absolute');
});

t.test('reading values', async (t) => {
  t.equal(readingValue(val.integer(5)), 5);
  t.equal(readingValue(val.unsigned(2n ** 64n - 1n)), '18446744073709551615');
  t.equal(readingValue(val.float(22.4)), 22.4);
  t.equal(readingValue(val.boolean(true)), true);
  t.equal(readingValue(val.opaque(Uint8Array.of(1, 2))), 'AQI=');
  t.equal(readingValue(val.objlnk(66, 0)), '66:0');
  t.equal(readingValue(val.time(1367491215)), 1367491215);
});
