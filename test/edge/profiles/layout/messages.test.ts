import t from 'tap';
import { compileLayout, decodePayload, encodePayload } from '../../../../edge/profiles/layout/index.js';
import { throwsCode } from '../../../helpers/errors.js';
import { asObject, fromHex, toHex } from './fixtures/load.js';

// A manhole-cover style device: one header byte selects heartbeat, alarm or recovery.
const cover = compileLayout(
  {
    endian: 'little',
    min_length: 3,
    checksum: 'xor8',
    fields: [
      { name: 'kind', type: 'u8', enum: { 1: 'heartbeat', 2: 'alarm', 3: 'recovery' } },
      { name: 'battery', type: 'u8', unit: '%' },
    ],
    switch: 'kind',
    messages: {
      heartbeat: { when: 'heartbeat', length: 5, fields: [{ name: 'tilt', type: 'i16', scale: 0.1, unit: 'deg' }] },
      alarm: {
        when: [2, 3],
        length: 5,
        fields: [
          {
            type: 'u16',
            parts: [
              { name: 'open', bit: 0 },
              { name: 'flooded', bit: 1 },
              { name: 'tilt_alarm', bit: 2 },
            ],
          },
        ],
      },
    },
  },
  'cover.toml [layout]',
);

t.test('a switch field selects the message', async (t) => {
  const hb = decodePayload(cover, fromHex('01' + '5A' + '7B00' + '20'));
  t.equal(hb.type, 'heartbeat');
  t.same(asObject(hb.values), { kind: 'heartbeat', battery: 90, tilt: 12.3 });
  t.equal(toHex(encodePayload(cover, { battery: 90, tilt: 12.3 }, 'heartbeat')), '015A7B0020', 'encode by type name');
  t.equal(
    toHex(encodePayload(cover, { kind: 'heartbeat', battery: 90, tilt: 12.3 })),
    '015A7B0020',
    'encode by the switch value',
  );
  const al = decodePayload(cover, fromHex('03' + '5A' + '0500' + '5C'));
  t.equal(al.type, 'alarm', 'second when value');
  t.same(asObject(al.values), { kind: 'recovery', battery: 90, open: true, flooded: false, tilt_alarm: true });
  t.equal(
    toHex(encodePayload(cover, { battery: 90, open: true, flooded: false, tilt_alarm: true }, 'alarm')),
    '025A05005D',
    'type writes the first when value',
  );
  t.equal(
    toHex(
      encodePayload(cover, { kind: 'recovery', battery: 90, open: true, flooded: false, tilt_alarm: true }, 'alarm'),
    ),
    '035A05005C',
    'a given switch value wins',
  );
});

t.test('message errors', async (t) => {
  throwsCode(
    t,
    () => decodePayload(cover, fromHex('075A7B0026')),
    'PROFILE_ERR_MESSAGE_TYPE',
    /field "kind" at byte 0: message type 7 \(0x7\) is not handled by this layout \(known: heartbeat=1, alarm=2\|3\)/,
  );
  throwsCode(t, () => decodePayload(cover, fromHex('015A7B')), 'PROFILE_ERR_CHECKSUM', /payload: checksum xor8/);
  throwsCode(
    t,
    () => decodePayload(cover, fromHex('015A7B0000' + '20')),
    'PROFILE_ERR_LENGTH',
    /message "heartbeat": is 6 bytes, the layout expects exactly 5/,
  );
  throwsCode(
    t,
    () => decodePayload(cover, fromHex('0101')),
    'PROFILE_ERR_LENGTH',
    /payload: is 2 bytes, the layout expects at least 3/,
  );
  throwsCode(
    t,
    () => encodePayload(cover, { battery: 1 }),
    'PROFILE_ERR_MESSAGE_TYPE',
    /several message types: pass the type \(heartbeat, alarm\) or a value "kind"/,
  );
  throwsCode(
    t,
    () => encodePayload(cover, { battery: 1 }, 'hearbeat'),
    'PROFILE_ERR_MESSAGE_TYPE',
    /no message "hearbeat".*did you mean "heartbeat"/,
  );
  throwsCode(
    t,
    () => encodePayload(cover, { kind: 'alarm', battery: 1, tilt: 0 }, 'heartbeat'),
    'PROFILE_ERR_ENCODE',
    /selects message "alarm", not "heartbeat"/,
  );
  throwsCode(
    t,
    () => encodePayload(cover, { battery: 1 }, 'heartbeat'),
    'PROFILE_ERR_ENCODE',
    /field "tilt": no value given/,
  );
  const plain = compileLayout({ fields: [{ name: 'v', type: 'u8' }] }, 'x');
  throwsCode(t, () => encodePayload(plain, { v: 1 }, 'heartbeat'), 'PROFILE_ERR_MESSAGE_TYPE', /no message types/);
});

t.test('switch on a bit range, messages with offsets from the end', async (t) => {
  const l = compileLayout(
    {
      fields: [
        {
          type: 'u8',
          parts: [
            { name: 'ver', bits: [4, 7], const: 1, hidden: true },
            { name: 'msg', bits: [0, 3], hidden: true },
          ],
        },
      ],
      switch: 'msg',
      messages: {
        short: { when: 1, fields: [{ name: 'a', type: 'u8' }] },
        long: {
          when: 2,
          checksum: 'crc8',
          fields: [
            { name: 'a', type: 'u16' },
            { name: 'b', type: 'u8', at: -2 },
          ],
        },
      },
    },
    'x',
  );
  t.same(decodePayload(l, fromHex('1105')), { type: 'short', values: [{ name: 'a', value: 5 }] });
  const b = encodePayload(l, { a: 0x0102, b: 7 }, 'long');
  t.equal(toHex(b.subarray(0, 4)), '12010207');
  t.same(decodePayload(l, b), {
    type: 'long',
    values: [
      { name: 'a', value: 0x0102 },
      { name: 'b', value: 7 },
    ],
  });
  throwsCode(t, () => decodePayload(l, fromHex('2105')), 'PROFILE_ERR_CONST', /field "ver" at byte 0: holds 0x2/);
});

// Milesight-style records: channel id + channel type, then a value whose size the tag implies.
const tlv = compileLayout(
  {
    endian: 'little',
    fields: [{ type: 'u8', const: 0xaa }],
    checksum: 'sum8',
    tag: 'u16be',
    records: {
      battery: { tag: 0x0175, fields: [{ name: 'battery', type: 'u8', unit: '%' }] },
      temperature: { tag: [0x0367, 0x0467], fields: [{ name: 'temperature', type: 'i16', scale: 0.1, unit: 'Cel' }] },
      gps: {
        tag: 0x0588,
        fields: [
          { name: 'lat', type: 'i32', scale: 0.000001 },
          { name: 'lon', type: 'i32', scale: 0.000001, at: 4 },
        ],
      },
      ping: { tag: 0xff00 },
    },
  },
  'tlv.toml [layout]',
);

t.test('records repeat to the end of the payload', async (t) => {
  const b = encodePayload(tlv, { temperature: -3.5, battery: 88 });
  t.equal(toHex(b), 'AA' + '017558' + '0367DDFF' + 'BE', 'declaration order, first tag, checksum');
  t.same(decodePayload(tlv, b), {
    values: [
      { name: 'battery', value: 88, unit: '%' },
      { name: 'temperature', value: -3.5, unit: 'Cel' },
    ],
  });
  const many = fromHex('AA' + '0467DDFF' + '0367DDFF' + 'FF00' + '0588' + '40420F00' + 'C0BDF0FF' + '00');
  many[many.length - 1] = many.subarray(0, -1).reduce((s, x) => (s + x) & 0xff, 0);
  t.same(
    asObject(decodePayload(tlv, many).values),
    { temperature: -3.5, lat: 1, lon: -1 },
    'repeated record, tag-only record, second tag value',
  );
  t.equal(decodePayload(tlv, many).values.length, 4, 'both temperature records kept');
  t.equal(
    toHex(encodePayload(tlv, { lat: 30.5, lon: 114.3 }, 'ping,gps,ping')).slice(0, 10),
    'AAFF000588',
    'type lists the records',
  );
  t.same(decodePayload(tlv, encodePayload(tlv, {}, '')).values, [], 'no records');
});

t.test('record errors', async (t) => {
  const sum = (h: string): Uint8Array => {
    const b = fromHex(`${h}00`);
    b[b.length - 1] = b.subarray(0, -1).reduce((s, x) => (s + x) & 0xff, 0);
    return b;
  };
  throwsCode(
    t,
    () => decodePayload(tlv, sum('AA' + '0175' + '58' + '0999' + '00')),
    'PROFILE_ERR_MESSAGE_TYPE',
    /record at byte 4: tag 0x0999 is not handled by this layout \(known: battery=0x0175, temperature=0x0367\|0x0467, gps=0x0588, ping=0xFF00\)/,
  );
  throwsCode(
    t,
    () => decodePayload(tlv, sum('AA' + '0367' + 'DD')),
    'PROFILE_ERR_LENGTH',
    /record "temperature" at byte 1: needs 2 byte\(s\) after its tag, 1 left/,
  );
  throwsCode(
    t,
    () => decodePayload(tlv, sum('AA' + '0175' + '58' + '03')),
    'PROFILE_ERR_LENGTH',
    /1 byte\(s\) left at byte 4, too few for a 2-byte record tag/,
  );
  throwsCode(t, () => encodePayload(tlv, {}, 'pong'), 'PROFILE_ERR_MESSAGE_TYPE', /no record "pong"/);
  throwsCode(t, () => encodePayload(tlv, { lat: 1 }), 'PROFILE_ERR_ENCODE', /field "lon": no value given/);
});
