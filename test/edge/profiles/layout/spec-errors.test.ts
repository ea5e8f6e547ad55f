import t, { type Test } from 'tap';
import { compileLayout } from '../../../../edge/profiles/layout/index.js';
import { throwsCode } from '../../../helpers/errors.js';

const W = 'acme/cover.toml [layout]';
const bad = (t: Test, spec: unknown, re: RegExp): void =>
  throwsCode(t, () => compileLayout(spec, W), 'PROFILE_ERR_LAYOUT', re);
const f = (...fields: Record<string, unknown>[]) => ({ fields });

t.test('layout-level keys', async (t) => {
  bad(t, 5, /^acme\/cover\.toml \[layout\]: layout must be a table \(got 5\)$/);
  bad(t, { feilds: [] }, /^acme\/cover\.toml \[layout\]: unknown key feilds \(did you mean "fields"\?\)$/);
  bad(t, { endian: 'middle', ...f({ name: 'a', type: 'u8' }) }, /: endian must be one of big, little \(got "middle"\)/);
  bad(t, { fields: {} }, /: fields must be an array \(got \{\}\)/);
  bad(t, { fields: [] }, /: fields is required: a layout needs at least one field/);
  bad(t, { fields: ['u8'] }, /: fields\[0\] must be a table \(got "u8"\)/);
  bad(
    t,
    { length: 1, min_length: 1, ...f({ name: 'a', type: 'u8' }) },
    /: length is an exact length; leave out min_length and max_length/,
  );
  bad(
    t,
    { min_length: 4, max_length: 2, ...f({ name: 'a', type: 'u8' }) },
    /: min_length is above max_length \(4 > 2\)/,
  );
  bad(t, { length: 2, ...f({ name: 'a', type: 'u32' }) }, /: length is 2, but the fields and checksums need 4 bytes/);
  bad(
    t,
    { length: 2n ** 70n, ...f({ name: 'a', type: 'u8' }) },
    /: length must be an integer from 1 to 65535 \(got 1180591620717411303424\)/,
  );
});

t.test('field keys name the field', async (t) => {
  bad(t, f({ name: 'temperature' }), /: fields\[0\]\.type is required: one of u8, u16.*\(field "temperature"\)$/);
  bad(t, f({ name: 't', type: 'u17' }), /: fields\[0\]\.type must be one of u8, .* \(got "u17"\)/);
  bad(t, f({ name: 't', type: 'uint16' }), /\(got "uint16"\) \(did you mean "u16"\?\) \(field "t"\)/);
  bad(
    t,
    f({ name: 'a', type: 'u8' }, { name: 't', type: 'i16', sclae: 0.1 }),
    /: unknown key fields\[1\]\.sclae \(did you mean "scale"\?\) \(field "t"\)/,
  );
  bad(
    t,
    f({ name: 't', type: 'i16', scale: 0 }),
    /: fields\[0\]\.scale must be a non-zero number \(got 0\) \(field "t"\)/,
  );
  bad(t, f({ name: 't', type: 'i16', scale: '0.1' }), /fields\[0\]\.scale must be a non-zero number \(got "0\.1"\)/);
  bad(t, f({ name: 't', type: 'u8' }, { name: 't', type: 'u8' }), /fields\[1\]\.name repeats the value name "t"/);
  bad(t, f({ name: '2fast', type: 'u8' }), /fields\[0\]\.name must start with a letter/);
  bad(
    t,
    f({ type: 'u8' }),
    /fields\[0\]\.name is required \(use type = "skip" for bytes to ignore, or const for a fixed value\)/,
  );
  bad(
    t,
    f({ name: 't', type: 'u16le', endian: 'big' }),
    /fields\[0\]\.endian contradicts the byte order of type "u16le"/,
  );
  bad(t, f({ name: 't', type: 'u16', word_swap: true }), /fields\[0\]\.word_swap applies to 4-byte types only/);
  bad(t, f({ name: 't', type: 'u8', at: 'x' }), /fields\[0\]\.at must be an integer/);
  bad(
    t,
    f({ name: 't', type: 'u16', at: -1 }),
    /fields\[0\]\.at places 2 byte\(s\) at -1 from the payload end, past the end/,
  );
  bad(t, f({ name: 't', type: 'u8', const: 256 }), /fields\[0\]\.const must be an integer from 0 to 255 \(got 256\)/);
  bad(
    t,
    f({ name: 't', type: 'i8', no_value: [0x80, 200] }),
    /fields\[0\]\.no_value must be an integer \(or array of integers\) from -128 to 127/,
  );
  bad(t, f({ name: 't', type: 'u8', min: 5, max: 1 }), /fields\[0\]\.min is above max \(5 > 1\)/);
  bad(t, f({ name: 't', type: 'u8', decimals: 20 }), /fields\[0\]\.decimals must be an integer from 0 to 15/);
  bad(t, f({ name: 'n', type: 'float32', const: 1 }), /unknown key fields\[0\]\.const/);
  bad(t, f({ type: 'skip', name: 'x' }), /unknown key fields\[0\]\.name/);
});

t.test('enums', async (t) => {
  bad(t, f({ name: 's', type: 'u8', enum: { 0: 'a' }, scale: 2 }), /fields\[0\]\.scale cannot be combined with enum/);
  bad(
    t,
    f({ name: 's', type: 'u8', enum: { x: 'a' } }),
    /fields\[0\]\.enum\.x must be an integer key from 0 to 255 \(the raw values of u8\)/,
  );
  bad(
    t,
    f({ name: 's', type: 'u8', enum: { 256: 'a' } }),
    /fields\[0\]\.enum\.256 must be an integer key from 0 to 255/,
  );
  bad(t, f({ name: 's', type: 'u8', enum: { 1: 'a', 2: 'a' } }), /fields\[0\]\.enum\.2 repeats the name "a"/);
  bad(t, f({ name: 's', type: 'u8', enum: { 1: 5 } }), /fields\[0\]\.enum\.1 must be a non-empty string \(got 5\)/);
  bad(t, f({ name: 's', type: 'u8', enum: {} }), /fields\[0\]\.enum must name at least one value/);
});

t.test('bits, BCD, text, length_of', async (t) => {
  bad(t, f({ name: 'b', type: 'bits', bit: 8 }), /fields\[0\]\.bit must be an integer from 0 to 7 \(got 8\)/);
  bad(
    t,
    f({ name: 'b', type: 'bits', of: 'u16', bits: [5, 3] }),
    /fields\[0\]\.bits must be \[lo, hi\] with 0 <= lo <= hi <= 15/,
  );
  bad(t, f({ name: 'b', type: 'bits' }), /fields\[0\]\.bit or bits is required, not both/);
  bad(t, f({ name: 'b', type: 'bits', bit: 1, scale: 2 }), /fields\[0\]\.scale does not apply to a single bit/);
  bad(
    t,
    f({ name: 'b', type: 'bits', of: 'i8', bit: 1 }),
    /fields\[0\]\.of must be an unsigned integer type: u8, u16, u24 or u32 \(got "i8"\)/,
  );
  bad(
    t,
    f({
      type: 'u8',
      parts: [
        { name: 'a', bits: [0, 3] },
        { name: 'b', bits: [3, 4] },
      ],
    }),
    /fields\[0\]\.parts\[1\]\.bits overlaps another bit field of the same 8-bit value \(bit 3\)/,
  );
  bad(t, f({ type: 'i8', parts: [{ name: 'a', bit: 0 }] }), /fields\[0\]\.parts needs an unsigned integer type/);
  bad(t, f({ type: 'u8', parts: [{ bit: 0 }] }), /fields\[0\]\.parts\[0\]\.name is required for a bit field/);
  bad(t, f({ type: 'u8', parts: [{ name: 'a', bit: 0, of: 'u8' }] }), /unknown key fields\[0\]\.parts\[0\]\.of/);
  bad(t, f({ type: 'u8', parts: [] }), /fields\[0\]\.parts must list at least one bit field/);
  bad(
    t,
    f({ type: 'u8', scale: 2, parts: [{ name: 'a', bit: 0 }] }),
    /fields\[0\]\.scale needs a name on the integer field/,
  );
  bad(
    t,
    f({ name: 'm', type: 'bcd' }),
    /fields\[0\]\.bytes is required for type "bcd" \(its length in bytes, at most 7\)/,
  );
  bad(t, f({ name: 'm', type: 'bcd', bytes: 8 }), /fields\[0\]\.bytes must be an integer from 1 to 7 \(got 8\)/);
  bad(
    t,
    f({ name: 'm', type: 'bcd', bytes: 2, as: 'string', scale: 0.1 }),
    /fields\[0\]\.scale does not apply to as = "string"/,
  );
  bad(t, f({ name: 'm', type: 'bcd', bytes: 2, as: 'text' }), /fields\[0\]\.as must be one of number, string/);
  bad(t, f({ name: 'm', type: 'hex', bytes: 2, const: 'ABC' }), /fields\[0\]\.const must be a string of 4 hex digits/);
  bad(
    t,
    f({ name: 'm', type: 'ascii', bytes: 2, const: 'ABC' }),
    /fields\[0\]\.const must be a string of at most 2 printable ASCII characters/,
  );
  bad(t, f({ name: 'l', type: 'i8', length_of: 'rest' }), /fields\[0\]\.type must be unsigned for a length field/);
  bad(t, f({ name: 'l', type: 'u8', length_of: 'all' }), /fields\[0\]\.length_of must be one of rest/);
  bad(
    t,
    f({ name: 'l', type: 'u8', length_of: 'rest', scale: 2 }),
    /fields\[0\]\.scale does not apply to a length field/,
  );
});

t.test('messages and records', async (t) => {
  const head = f({ name: 'kind', type: 'u8', enum: { 1: 'hb' } }, { name: 'x', type: 'u8' });
  bad(t, { ...head, switch: 'kind' }, /: messages is required with switch/);
  bad(t, { ...head, messages: { a: { when: 1 } } }, /: switch is required with messages/);
  bad(
    t,
    { ...head, switch: 'knid', messages: { a: { when: 1 } } },
    /: switch must name an integer field \(or bit field\) of layout\.fields; there is none called "knid" \(did you mean "kind"\?\)/,
  );
  bad(
    t,
    { ...head, switch: 'kind', messages: { a: {} } },
    /: messages\.a\.when is required: the value\(s\) of "kind" that select this message \(message "a"\)/,
  );
  bad(
    t,
    { ...head, switch: 'kind', messages: { a: { when: 256 } } },
    /messages\.a\.when must be an integer from 0 to 255 \(a raw value of "kind"\)/,
  );
  bad(
    t,
    { ...head, switch: 'kind', messages: { a: { when: 'hearbeat' } } },
    /messages\.a\.when names "hearbeat", which is not in the enum of "kind"/,
  );
  bad(
    t,
    { ...head, switch: 'kind', messages: { a: { when: 1 }, b: { when: [2, 1] } } },
    /messages\.b\.when value 1 already selects message "a"/,
  );
  bad(
    t,
    { ...head, switch: 'kind', messages: { a: { when: 1, fields: [{ name: 'x', type: 'u8' }] } } },
    /messages\.a\.fields\[0\]\.name repeats the value name "x"/,
  );
  bad(
    t,
    { ...head, switch: 'kind', messages: { a: { when: 1, lenght: 3 } } },
    /unknown key messages\.a\.lenght \(did you mean "length"\?\) \(message "a"\)/,
  );
  bad(
    t,
    { ...head, switch: 'kind', messages: { a: { when: 1, length: 2, fields: [{ name: 'y', type: 'u8' }] } } },
    /messages\.a\.length is 2, but the fields and checksums need 3 bytes/,
  );
  bad(t, { ...head, switch: 'kind', messages: {} }, /: messages must define at least one message/);
  bad(t, { tag: 'u8' }, /: records is required with tag/);
  bad(t, { records: {} }, /: tag is required with records/);
  bad(
    t,
    { tag: 'i16', records: { a: { tag: 1 } } },
    /: tag must be an unsigned integer type: u8, u16, u24 or u32 \(got "i16"\)/,
  );
  bad(t, { tag: 'u8', records: { a: { tag: 300 } } }, /records\.a\.tag must be an integer from 0 to 255/);
  bad(
    t,
    { tag: 'u8', records: { a: { tag: 1 }, b: { tag: 1 } } },
    /records\.b\.tag value 0x1 already starts record "a"/,
  );
  bad(
    t,
    { tag: 'u8', records: { a: { tag: 1, fields: [{ name: 'v', type: 'u8', at: -1 }] } } },
    /records\.a\.fields\[0\]\.at must be >= 0 inside a record/,
  );
  bad(
    t,
    { ...head, switch: 'kind', messages: { a: { when: 1 } }, tag: 'u8', records: { a: { tag: 1 } } },
    /: tag cannot be combined with switch\/messages/,
  );
});
