/**
 * modbus-serial-internals.ts against a real modbus-serial ServerSerial on a socat pty pair, asked by
 * the agent's own Modbus link: getPort() and the portResponse option (items 1, 2 there) are where
 * they were and behave as the slave simulator assumes. A modbus-serial upgrade that moves one fails here.
 */
import t from 'tap';
import { createRequire } from 'node:module';
import modbusSerial from 'modbus-serial';
import { serverSerialPort } from '../../../scripts/sim/modbus-serial-internals.js';
import { ModbusLink } from '../../../edge/southbound/modbus/link.js';
import { ptyPair } from '../../edge/southbound/serial/setup.js';

t.test('the modbus-serial version checked is the one installed', async (t) => {
  const version = (createRequire(import.meta.url)('modbus-serial/package.json') as { version: string }).version;
  t.match(
    version,
    /^8\./,
    `modbus-serial-internals.ts was checked against modbus-serial 8.0.25 (installed: ${version}); re-check both items there before changing this`,
  );
});

t.test('getPort() is the opened port and every reply goes through portResponse', async (t) => {
  const pty = await ptyPair();
  const replies: Buffer[] = [];
  let port: { write(b: Buffer): unknown } | undefined;
  const portResponse = {
    write: (b: Buffer): void => {
      replies.push(Buffer.from(b));
      port?.write(b);
    },
  };
  const vector = { getHoldingRegister: (addr: number, unit: number): number => unit * 1000 + addr };
  const server = new modbusSerial.ServerSerial(
    vector as never,
    { path: pty.b, baudRate: 9600, parity: 'none', unitID: 255, portResponse } as never,
  );
  await new Promise<void>((resolve, reject) => {
    server.on('initialized', () => resolve());
    server.on('error', (e: unknown) => reject(e as Error));
  });
  const link = new ModbusLink({
    path: pty.a,
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    responseTimeoutMs: 1000,
    interFrameGapMs: 0,
  });
  t.teardown(async () => {
    await link.close();
    await new Promise<void>((r) => server.close(() => r()));
    await pty.unplug();
  });
  port = serverSerialPort(server);
  t.equal(typeof port.write, 'function', 'getPort() gives a writable port');
  t.equal(Reflect.get(port, 'path'), pty.b, 'the serial port the server opened');
  t.throws(
    () => serverSerialPort({} as never),
    /modbus-serial internals changed/,
    'a server without getPort() is reported',
  );

  await link.open();
  t.same(
    await link.read(7, 3, 2, 1),
    [7002],
    'unit 7 answered (unitID 255: every unit) through portResponse and the port',
  );
  t.same(await link.read(9, 3, 0, 1), [9000]);
  t.equal(replies.length, 2, 'each reply went to portResponse');
  t.same([replies[0]![0], replies[0]![1]], [7, 3], 'the whole RTU frame: unit, function, ...');
});
