/**
 * Serial and HJ 212 profiles' vectors: the bytes are the device's wire replies to one poll (or the
 * instrument's frames), decoded by the transport's own code with the profile's binding; every
 * malformed reply is a coded error. Also the `text` vector input and its checks.
 */
import t from 'tap';
import { parseToml } from '../../../../common/toml-read.js';
import { validateProfile } from '../../../../edge/profiles/validate.js';
import { runVectors } from '../../../../edge/profiles/vectors.js';
import { validateSerialBinding, type ModbusBinding } from '../../../../edge/southbound/serial/binding.js';
import { decodeModbusReplies } from '../../../../edge/southbound/serial/vector-frames.js';
import { CHECKSUMS } from '../../../../edge/profiles/layout/checksums.js';
import { throwsCode } from '../../../helpers/errors.js';
import { encodeFrame } from '../../../../edge/southbound/hj212/frame.js';
import { PROFILE_BINDINGS } from '../../../../edge/profile-bindings.js';

const crc = CHECKSUMS.get('crc16-modbus')!;
function rtu(...body: number[]): number[] {
  const c = crc.compute(Uint8Array.from(body), 0, body.length);
  return [...body, c & 0xff, c >> 8];
}

const binding = validateSerialBinding(
  {
    protocol: 'modbus',
    registers: [
      { metric: 'level', function: 3, address: 0, type: 'int16', scale: 0.01, unit: 'm' },
      { metric: 'pump', function: 1, address: 3 },
      { metric: 'door', function: 1, address: 12 },
    ],
  },
  'test',
) as ModbusBinding;

t.test('Modbus replies of one poll: blocks in order, bits and words, checks', async (t) => {
  // Block 1: coils 3..12 (10 bits, 2 bytes); block 2: holding 0.
  const coils = rtu(7, 1, 2, 0b0000_0001, 0b0000_0010);
  const hold = rtu(7, 3, 2, 0xff, 0x38);
  t.same(
    decodeModbusReplies(binding, Buffer.from([...coils, ...hold])).map((v) => [v.name, v.value, v.unit]),
    [
      ['pump', true, undefined],
      ['door', true, undefined],
      ['level', -2, 'm'],
    ],
  );
  throwsCode(
    t,
    () => decodeModbusReplies(binding, Buffer.from([...coils, ...rtu(8, 3, 2, 0, 1)])),
    'SERIAL_ERR_REPLY',
    /from unit 8, the poll's first reply came from unit 7/,
  );
  throwsCode(
    t,
    () => decodeModbusReplies(binding, Buffer.from([...coils, ...rtu(7, 3, 4, 0, 1, 0, 2)])),
    'SERIAL_ERR_REPLY',
    /4 data bytes, expected 2/,
  );
  throwsCode(
    t,
    () => decodeModbusReplies(binding, Buffer.from([...coils, ...hold, 0])),
    'SERIAL_ERR_REPLY',
    /1 bytes after the last expected reply/,
  );
  throwsCode(
    t,
    () => decodeModbusReplies(binding, Buffer.from([...coils, ...hold.slice(0, 5)])),
    'SERIAL_ERR_REPLY',
    /announced/,
  );
  const bad = [...coils, ...hold];
  bad[3]! ^= 0x04;
  throwsCode(
    t,
    () => decodeModbusReplies(binding, Buffer.from(bad)),
    'SERIAL_ERR_CHECKSUM',
    /reply 1 .*bad CRC: bytes 5\.\.6 must be [0-9A-F]{2} [0-9A-F]{2} \(CRC-16\/MODBUS 0x[0-9A-F]{4}, low byte first\), the vector has /,
  );
  // the message gives the bytes to type: put them in and the reply decodes (issue 17)
  let msg = '';
  try {
    decodeModbusReplies(binding, Buffer.from(bad));
  } catch (err) {
    msg = (err as Error).message;
  }
  const m = /bytes (\d+)\.\.\d+ must be ([0-9A-F]{2}) ([0-9A-F]{2})/.exec(msg)!;
  const fixed = [...bad];
  fixed[Number(m[1])] = parseInt(m[2]!, 16);
  fixed[Number(m[1]) + 1] = parseInt(m[3]!, 16);
  t.equal(decodeModbusReplies(binding, Buffer.from(fixed)).length, 3, 'the bytes the message names make the CRC right');
  t.same(
    decodeModbusReplies(binding, Buffer.from([...rtu(7, 0x81, 2), ...hold])).map((v) => v.name),
    ['level'],
    'an exception reply skips its block',
  );
});

async function profile(text: string) {
  return validateProfile({
    id: 'acme/x',
    file: 'acme/x.toml',
    text,
    doc: parseToml(text) as never,
    bindings: PROFILE_BINDINGS,
  });
}

const HEAD = '[profile]\nvendor = "Acme"\nmodel = "X"\n';

t.test('profiles: vectors decoded by the binding, text input, refusals', async (t) => {
  const coils = rtu(7, 1, 2, 1, 0);
  const hold = rtu(7, 3, 2, 0x01, 0x2c);
  const p = await profile(`${HEAD}[transport.serial]
protocol = "modbus"
registers = [{ metric = "level", function = 3, address = 0, type = "int16", scale = 0.01 }, { metric = "pump", function = 1, address = 3 }, { metric = "door", function = 1, address = 12 }]
[metrics.level]
max = 2
[[vectors]]
hex = "${Buffer.from([...coils, ...hold]).toString('hex')}"
readings = { pump = true, door = false }
events = [{ type = "out_of_range" }]
`);
  t.equal(p.wire?.protocol, 'modbus');
  t.same(
    runVectors(p, undefined).map((r) => r.problems),
    [[]],
    'level 3 m rejected by [metrics] (max 2), bits pass as named by the binding',
  );

  const frame = encodeFrame(
    'QN=20250301120000123;ST=32;CN=2011;PW=123456;MN=1;Flag=5;CP=&&DataTime=20250301120000;w01018-Rtd=1.5,w01018-Flag=N&&',
  ).toString('latin1');
  const badCrc = `${frame.slice(0, -6) + (frame.slice(-6, -2) === '0000' ? '0001' : '0000')}\r\n`;
  const toml = (f: string): string => f.replace(/\r\n$/, '\\r\\n');
  const hj = await profile(`${HEAD}[transport.hj212]
factors = { w01018 = "cod" }
[[vectors]]
text = "${toml(frame)}"
readings = { cod = 1.5, cod_flag = "N" }
[[vectors]]
text = "${toml(badCrc)}"
error = "HJ212_ERR_CRC"
`);
  t.equal(
    hj.vectors[0]?.hex,
    Buffer.from(frame, 'latin1').toString('hex').toUpperCase(),
    "text becomes the vector's bytes",
  );
  t.same(
    runVectors(hj, undefined).map((r) => r.problems),
    [[], []],
    'the frame decoded as the server decodes it; the bad CRC rejected',
  );

  await t.rejects(
    profile(`${HEAD}[transport.hj212]\n[[vectors]]\ntext = "##"\nhex = "2323"\nerror = "HJ212_ERR_CRC"\n`),
    { code: 'PROFILE_ERR_FORMAT', message: /text cannot be combined with hex/ },
  );
  await t.rejects(profile(`${HEAD}[metrics.a]\n[[vectors]]\nhex = "00"\nreadings = { a = 1 }\n`), {
    code: 'PROFILE_ERR_FORMAT',
    message: /needs a \[layout\], a \[script\] or a \[transport\.serial\]/,
  });
  await t.rejects(
    profile(
      `${HEAD}[transport.serial]\nprotocol = "modbus"\nregisters = [{ metric = "x", function = 3, address = 0, type = "int24" }]\n`,
    ),
    { code: 'SERIAL_ERR_BINDING', message: /acme\/x\.toml \[transport\.serial\]: serial\.registers\[0\]\.type/ },
  );
});
