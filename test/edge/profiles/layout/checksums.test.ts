import t from 'tap';
import { CHECKSUMS, compileLayout, decodePayload, encodePayload } from '../../../../edge/profiles/layout/index.js';
import { throwsCode } from '../../../helpers/errors.js';
import { asObject, fromHex, toHex } from './fixtures/load.js';

const ascii = new TextEncoder().encode('123456789');

t.test('known-answer vectors over "123456789"', async (t) => {
  const want: Record<string, number> = {
    sum8: 0xdd,
    lrc8: 0x23,
    sum16: 0x01dd,
    xor8: 0x31,
    crc8: 0xf4,
    'crc8-maxim': 0xa1,
    'crc16-modbus': 0x4b37,
    'crc16-ccitt-false': 0x29b1,
    'crc16-xmodem': 0x31c3,
    'crc16-kermit': 0x2189,
    'crc16-x25': 0x906e,
    crc32: 0xcbf43926,
  };
  t.same([...CHECKSUMS.keys()].sort(), Object.keys(want).sort(), 'every algorithm has a vector here');
  for (const [name, check] of Object.entries(want)) {
    const a = CHECKSUMS.get(name);
    t.equal(a?.compute(ascii, 0, ascii.length), check, `${name} = 0x${check.toString(16)}`);
    t.equal(a?.check, check, `${name} carries its check value`);
  }
  t.equal(CHECKSUMS.get('crc16-modbus')?.compute(ascii, 3, 3), 0xffff, 'empty range = init');
});

t.test('CRC16/MODBUS frames from ../shared/vectors/modbus_rtu.json', async (t) => {
  const crc = CHECKSUMS.get('crc16-modbus');
  t.equal(crc?.compute(fromHex('110100130025'), 0, 6), 0x840e, 'node-modbus-serial vector 1');
  t.equal(crc?.compute(fromHex('01020304050607080900'), 0, 10), 50227, 'node-modbus-serial vector 2');
  // Renke-style temperature/humidity response: humidity 65.8 %RH, temperature -10.1 Cel, CRC low byte first.
  const l = compileLayout(
    {
      checksum: 'crc16-modbus',
      fields: [
        { name: 'slave', type: 'u8', hidden: true },
        { type: 'u8', const: 3 },
        { type: 'u8', length_of: 'rest' },
        { name: 'humidity', type: 'u16', scale: 0.1, unit: '%RH' },
        { name: 'temperature', type: 'i16', scale: 0.1, unit: 'Cel' },
      ],
    },
    'modbus [layout]',
  );
  t.same(asObject(decodePayload(l, fromHex('0103040292FF9B5A3D')).values), { humidity: 65.8, temperature: -10.1 });
  t.equal(
    toHex(encodePayload(l, { slave: 1, humidity: 65.8, temperature: -10.1 })),
    '0103040292FF9B5A3D',
    'encodes with the CRC',
  );
  throwsCode(
    t,
    () => decodePayload(l, fromHex('0103040292FF9B3D5A')),
    'PROFILE_ERR_CHECKSUM',
    /payload: checksum crc16-modbus over bytes 0\.\.6: bytes 7\.\.8 must be 5A 3D \(0x3D5A, low byte first\), the payload has 3D 5A/,
  );
});

t.test('each algorithm verifies and writes in a layout, both byte orders', async (t) => {
  for (const [name, a] of CHECKSUMS) {
    for (const endian of ['big', 'little']) {
      const l = compileLayout({ checksum: { type: name, endian }, fields: [{ name: 'v', type: 'u32' }] }, 'x');
      const b = encodePayload(l, { v: 0x31323334 });
      t.equal(b.length, 4 + a.width, `${name} ${endian}: appended`);
      let stored = 0;
      for (let i = 0; i < a.width; i++) stored = stored * 256 + b[endian === 'little' ? 4 + a.width - 1 - i : 4 + i]!;
      t.equal(stored, a.compute(b, 0, 4), `${name} ${endian}: value and order`);
      t.same(asObject(decodePayload(l, b).values), { v: 0x31323334 }, `${name} ${endian}: verifies`);
      b[1]! ^= 0x01;
      throwsCode(t, () => decodePayload(l, b), 'PROFILE_ERR_CHECKSUM');
    }
  }
});

t.test('ranges, positions and several checksums', async (t) => {
  // the brief's example: sum8 of bytes 0..12 at byte 13
  const l = compileLayout(
    {
      endian: 'big',
      length: 14,
      checksum: { type: 'sum8', range: [0, 12], at: 13 },
      fields: [
        { name: 'pm2_5', type: 'u16', unit: 'ug/m3' },
        { name: 'temperature', type: 'i16', scale: 0.1, unit: 'Cel' },
        { type: 'skip', bytes: 9 },
      ],
    },
    'x',
  );
  const b = encodePayload(l, { pm2_5: 35, temperature: 21.5 });
  t.equal(toHex(b), '002300D7000000000000000000' + 'FA');
  t.same(asObject(decodePayload(l, b).values), { pm2_5: 35, temperature: 21.5 });
  // a CRC over the body only, then a frame sum over everything before it (DL/T 645-like trailer 0x16)
  const two = compileLayout(
    {
      checksum: [
        { type: 'crc16-xmodem', range: [1, -5], at: -4 },
        { type: 'sum8', range: [0, -3], at: -2 },
      ],
      fields: [
        { type: 'u8', const: 0x68 },
        { name: 'v', type: 'u16' },
        { type: 'u8', at: -1, const: 0x16 },
      ],
    },
    'x',
  );
  const f = encodePayload(two, { v: 0x1234 });
  t.equal(f.length, 7);
  t.equal(f[6], 0x16, 'end byte');
  t.same(asObject(decodePayload(two, f).values), { v: 0x1234 });
  const bad = Uint8Array.from(f);
  bad[3]! ^= 0xff;
  throwsCode(t, () => decodePayload(two, bad), 'PROFILE_ERR_CHECKSUM', /crc16-xmodem over bytes 1\.\.2/);
  throwsCode(t, () => decodePayload(two, Uint8Array.of(0x68)), 'PROFILE_ERR_LENGTH');
  // checksum first: at = 0 covers the rest
  const first = compileLayout({ checksum: { type: 'xor8', at: 0 }, fields: [{ name: 'v', type: 'u16', at: 1 }] }, 'x');
  t.equal(toHex(encodePayload(first, { v: 0x0102 })), '030102');
});

t.test('ambiguous and unknown checksum names', async (t) => {
  const spec = (type: string) => ({ checksum: { type }, fields: [{ name: 'v', type: 'u8' }] });
  throwsCode(
    t,
    () => compileLayout(spec('crc16-ccitt'), 'f.toml [layout]'),
    'PROFILE_ERR_LAYOUT',
    /f\.toml \[layout\]: checksum\.type "crc16-ccitt" is ambiguous: say which one, crc16-ccitt-false \(init 0xFFFF\), crc16-xmodem/,
  );
  throwsCode(
    t,
    () => compileLayout(spec('crc16-modbsu'), 'f.toml [layout]'),
    'PROFILE_ERR_LAYOUT',
    /checksum\.type must be one of .*did you mean "crc16-modbus"/,
  );
  throwsCode(
    t,
    () => compileLayout({ checksum: 'sum8', fields: [{ name: 'v', type: 'u8' }], length: 1 }, 'x'),
    'PROFILE_ERR_LAYOUT',
    /length is 1, but the fields and checksums need 2 bytes/,
  );
  throwsCode(
    t,
    () => compileLayout({ checksum: { type: 'sum8', range: [0, 4], at: 3 }, fields: [{ name: 'v', type: 'u8' }] }, 'x'),
    'PROFILE_ERR_LAYOUT',
    /checksum\.at lies inside the range it checks/,
  );
  throwsCode(
    t,
    () => compileLayout({ checksum: { type: 'crc16-modbus', at: -1 }, fields: [{ name: 'v', type: 'u8' }] }, 'x'),
    'PROFILE_ERR_LAYOUT',
    /past the payload end \(use at = -2/,
  );
  throwsCode(
    t,
    () => compileLayout({ checksum: { type: 'sum8', range: [0] }, fields: [{ name: 'v', type: 'u8' }] }, 'x'),
    'PROFILE_ERR_LAYOUT',
    /checksum\.range must be \[first, last\]/,
  );
  throwsCode(
    t,
    () => compileLayout({ checksum: { type: 'sum8', from: 0 }, fields: [{ name: 'v', type: 'u8' }] }, 'x'),
    'PROFILE_ERR_LAYOUT',
    /unknown key checksum\.from/,
  );
});
