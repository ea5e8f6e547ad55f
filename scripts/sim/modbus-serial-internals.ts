/**
 * What the Modbus slave simulator (modbus-slave.ts) relies on of modbus-serial's ServerSerial
 * beyond its typings (ServerSerial.d.ts declares only the constructor, close() and three events).
 * Read from servers/serverserial.js and checked against modbus-serial 8.0.25 (package.json:
 * "modbus-serial": "^8.0.25"); test/scripts/sim/modbus-serial-internals.test.ts checks both items on
 * a real ServerSerial over a socat pty pair, so an upgrade that moves one fails there.
 *
 *  1. `getPort()` (undocumented, untyped): the SerialPort the server opened (`_serverPath`). The
 *     simulator writes the replies to it itself: serverSerialPort().
 *  2. The `portResponse` option (undocumented): when given, every reply is written to
 *     `portResponse.write(buffer)` instead of the port. The simulator drops a dead unit's replies and
 *     corrupts the CRC of others there (its fault modes) before writing them to the port.
 * (And `unitID: 255`, documented in the source as "listen to all addresses", answers every unit id.)
 */
import type modbusSerial from 'modbus-serial';

type ServerSerial = InstanceType<typeof modbusSerial.ServerSerial>;

/** What the simulator does with the port: write replies. */
export interface ReplyPort {
  write(b: Buffer): unknown;
}

/** 1. The serial port a ServerSerial opened; throws when getPort() is not there (a modbus-serial upgrade changed it). */
export function serverSerialPort(server: ServerSerial): ReplyPort {
  const getPort = Reflect.get(server, 'getPort') as unknown;
  const port = typeof getPort === 'function' ? (getPort as () => unknown).call(server) : undefined;
  if (typeof port !== 'object' || port === null || typeof Reflect.get(port, 'write') !== 'function') {
    throw new Error(
      'modbus-serial internals changed (checked against 8.0.25): ServerSerial.getPort() gives no writable port',
    );
  }
  return port as ReplyPort;
}
