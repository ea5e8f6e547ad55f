/** Serial and HJ 212 binding validation: typed results, and errors that name the place and the key. */
import t from 'tap';
import { validateSerialBinding } from '../../../../edge/southbound/serial/binding.js';
import { validateHj212Binding } from '../../../../edge/southbound/hj212/binding.js';
import { parseDeviceFile } from '../../../../edge/southbound/serial/device-file.js';
import { planBlocks, decodeBlock } from '../../../../edge/southbound/modbus/registers.js';
import { throwsCode } from '../../../helpers/errors.js';
import { QUICK } from './setup.js';

t.test('modbus binding: defaults, types and block planning', async (t) => {
  const b = validateSerialBinding(
    {
      protocol: 'modbus',
      registers: [
        { metric: 'pm2_5', function: 4, address: 0 },
        { metric: 'pm10', function: 4, address: 1 },
        {
          metric: 'flow',
          function: 3,
          address: 100,
          type: 'float32',
          word_order: 'little',
          scale: 2,
          offset: 1,
          unit: 'm3/s',
        },
        { metric: 'far', function: 4, address: 200, type: 'int32' },
      ],
    },
    'acme/aq.toml',
  );
  if (b.protocol !== 'modbus') throw new Error('protocol');
  t.same(b.registers[0], {
    metric: 'pm2_5',
    function: 4,
    address: 0,
    type: 'uint16',
    wordOrder: 'big',
    scale: 1,
    offset: 0,
    unit: '',
  });
  t.same(
    planBlocks(b).map((x) => [x.function, x.address, x.count]),
    [
      [3, 100, 2],
      [4, 0, 2],
      [4, 200, 2],
    ],
    'neighbours merged, far ones apart',
  );
  const [v] = decodeBlock(planBlocks(b)[0]!, [0x0000, 0x3fc0]); // little word order: CD AB → 0x3fc00000 = 1.5
  t.equal(v?.value, 4, '1.5 × 2 + 1');
});

t.test('binding errors name the place and the key', async (t) => {
  throwsCode(
    t,
    () =>
      validateSerialBinding(
        { protocol: 'modbus', registers: [{ metric: 'x', function: 3, address: 0, type: 'int24' }] },
        'acme/x.toml',
      ),
    'SERIAL_ERR_BINDING',
    /acme\/x\.toml: serial\.registers\[0\]\.type must be one of/,
  );
  throwsCode(
    t,
    () =>
      validateSerialBinding(
        { protocol: 'modbus', registers: [{ metric: 'x', function: 1, address: 0, type: 'uint16' }] },
        'w',
      ),
    'SERIAL_ERR_BINDING',
    /must be bool for function 1/,
  );
  throwsCode(
    t,
    () =>
      validateSerialBinding(
        { protocol: 'modbus', registers: [{ metric: 'x', function: 3, address: 0, type: 'bool' }] },
        'w',
      ),
    'SERIAL_ERR_BINDING',
    /bit is required/,
  );
  throwsCode(
    t,
    () => validateSerialBinding({ protocol: 'dlt645', items: [{ di: '0001000' }] }, 'w'),
    'SERIAL_ERR_BINDING',
    /serial\.items\[0\]\.di must be 8 hex digits/,
  );
  throwsCode(
    t,
    () => validateSerialBinding({ protocol: 'dlt645', items: [{ di: 'EE000000' }] }, 'w'),
    'SERIAL_ERR_BINDING',
    /cannot decode|can decode/,
  );
  throwsCode(
    t,
    () => validateSerialBinding({ protocol: 'cjt188', meter_type: 0x99 }, 'w'),
    'SERIAL_ERR_BINDING',
    /meter_type/,
  );
  throwsCode(
    t,
    () => validateSerialBinding({ protocol: 'can' }, 'w'),
    'SERIAL_ERR_BINDING',
    /serial\.protocol must be one of/,
  );
  throwsCode(
    t,
    () => validateHj212Binding({ factors: { w01018: 'COD' } }, 'acme/ww.toml'),
    'HJ212_ERR_BINDING',
    /acme\/ww\.toml: hj212\.factors\.w01018 must be a metric name/,
  );
  throwsCode(
    t,
    () => validateHj212Binding({ factors: { w01018: 'cod', '011': 'cod2' } }, 'w'),
    'HJ212_ERR_BINDING',
    /maps code w01018 a second time/,
  );
  const h = validateHj212Binding({ pw: '123456', factors: { '060': 'nh3n' } }, 'w');
  t.same([...h.factors], [['w21003', 'nh3n']], 'legacy code mapped to its 2017 code');
});

t.test('device file errors name the file and the key', async (t) => {
  const bus = { name: 'b', path: '/dev/ttyX', protocol: 'modbus' };
  throwsCode(
    t,
    () => parseDeviceFile({ bus: [bus], device: [{ bus: 'c', address: 1 }] }, 'dev.toml', QUICK, '/'),
    'SERIAL_ERR_CONFIG',
    /dev\.toml: device\[0\]: bus "c" is not defined/,
  );
  throwsCode(
    t,
    () => parseDeviceFile({ bus: [bus], device: [{ bus: 'b', address: 300, serial: {} }] }, 'dev.toml', QUICK, '/'),
    'SERIAL_ERR_CONFIG',
    /unit id 1\.\.247/,
  );
  throwsCode(
    t,
    () => parseDeviceFile({ bus: [{ ...bus, parity: 'mark' }] }, 'dev.toml', QUICK, '/'),
    'SERIAL_ERR_CONFIG',
    /bus\[0\]: parity must be none, even or odd/,
  );
  // names inherited by every object are not priorities (they used to pass the check and poll with no priority)
  for (const key of ['priority', 'reading_priority']) {
    for (const bad of ['toString', 'constructor', '__proto__']) {
      throwsCode(
        t,
        () =>
          parseDeviceFile(
            {
              bus: [bus],
              device: [
                {
                  bus: 'b',
                  address: 1,
                  serial: { protocol: 'modbus', registers: [{ metric: 'x', function: 3, address: 0, type: 'uint16' }] },
                  [key]: bad,
                },
              ],
            },
            'dev.toml',
            QUICK,
            '/',
          ),
        'SERIAL_ERR_CONFIG',
        new RegExp(`${key} must be`),
      );
    }
  }
  throwsCode(
    t,
    () =>
      parseDeviceFile(
        {
          bus: [{ ...bus, protocol: 'dlt645' }],
          device: [{ bus: 'b', address: '000000000001', serial: { protocol: 'cjt188' } }],
        },
        'dev.toml',
        QUICK,
        '/',
      ),
    'SERIAL_ERR_CONFIG',
    /does not match bus/,
  );
});
