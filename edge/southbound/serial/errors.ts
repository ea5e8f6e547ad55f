/** Coded errors of the serial adapter (RS-485 buses: Modbus RTU, DL/T 645, CJ/T 188). */
import { defineErrors } from '../../../common/errors.js';

export const SERIAL_ERRORS = defineErrors({
  SERIAL_ERR_CONFIG: {
    summary: 'The serial device file is invalid: unknown bus, bad address, duplicate device, or a bad line setting.',
    hint: 'Correct the entry named in the message (file and key); docs/reference/protocols.md describes the device file.',
  },
  SERIAL_ERR_BINDING: {
    summary: 'A serial binding (the `serial` slot of a profile or device entry) is invalid.',
    hint: 'The message names the profile or device and the key; Modbus registers need function, address, type and metric, meters need data identifiers.',
  },
  SERIAL_ERR_PORT: {
    summary: 'A serial port could not be opened, or it closed (USB adapter unplugged, permission denied, port busy).',
    hint: 'Check the path (prefer /dev/serial/by-id/…), that the agent user is in the dialout group and that no other program holds the port; the adapter reopens it by itself when it comes back.',
  },
  SERIAL_ERR_TIMEOUT: {
    summary: 'A device did not answer a request within the response timeout.',
    hint: 'Check the device address, wiring (A/B swapped?), baud rate and parity; after repeated timeouts the device is marked offline and polled with backoff.',
  },
  SERIAL_ERR_CHECKSUM: {
    summary: 'A reply failed its CRC or checksum and was rejected.',
    hint: 'Noise on the line: check termination (120 ohm at both ends), grounding, cable length and that only one master polls the bus.',
  },
  SERIAL_ERR_REPLY: {
    summary: 'A reply was well formed but not the expected one (other address, other data identifier, wrong length).',
    hint: 'Two devices may share an address, or another master is on the bus; the message names what was expected.',
  },
  SERIAL_ERR_REMOTE: {
    summary: 'A device refused a request (Modbus exception, DL/T 645 or CJ/T 188 abnormal reply).',
    hint: 'The register or data identifier does not exist on this device model or firmware; fix the binding in its profile.',
  },
  SERIAL_ERR_BUS_FAULT: {
    summary: 'No device on a bus answered for many consecutive requests: the bus itself is faulty.',
    hint: 'Check the adapter, cable, power of the devices and line settings; the port is reopened and polling goes on.',
  },
  SERIAL_ERR_DISCOVERY: {
    summary: 'Address discovery by broadcast read failed (no answer, or several meters answered at once).',
    hint: 'Broadcast address read works with one meter on the bus; list the meter addresses in the device file for multi-meter buses.',
  },
});

export type SerialErrorCode = keyof typeof SERIAL_ERRORS;
