/**
 * Modbus RTU master on one serial port through modbus-serial (its buffered RTU port does the
 * framing and CRC). Its errors are mapped to coded serial errors: timeout, CRC (counted and
 * rejected), Modbus exception (the device refused), port closed.
 */
import modbusSerial from 'modbus-serial';
import { YiwangError } from '../../../common/errors.js';
import { portError, type LineSettings } from '../serial/line.js';
import type { BusLink } from '../serial/raw-link.js';

type ModbusClass = typeof modbusSerial.default;
type ModbusClient = InstanceType<ModbusClass>;
/** modbus-serial is CommonJS: its module object is the client class (the typings say `default`). */
const ModbusRTU = modbusSerial as unknown as ModbusClass;

const EXCEPTIONS: Readonly<Record<number, string>> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'slave device failure',
  5: 'acknowledge',
  6: 'slave device busy',
  10: 'gateway path unavailable',
  11: 'gateway target failed to respond',
};

/** Maps a modbus-serial failure to a coded error. */
export function modbusError(err: unknown, what: string, path: string): YiwangError {
  const e = err as { name?: string; message?: string; errno?: string; modbusCode?: number };
  const msg = e?.message ?? String(err);
  if (e?.errno === 'ETIMEDOUT' || e?.name === 'TransactionTimedOutError')
    return new YiwangError('SERIAL_ERR_TIMEOUT', `${what}: no reply`);
  if (typeof e?.modbusCode === 'number') {
    return new YiwangError(
      'SERIAL_ERR_REMOTE',
      `${what}: Modbus exception ${e.modbusCode} (${EXCEPTIONS[e.modbusCode] ?? 'unknown'})`,
    );
  }
  if (/CRC error/i.test(msg)) return new YiwangError('SERIAL_ERR_CHECKSUM', `${what}: reply with a bad CRC rejected`);
  if (e?.name === 'PortNotOpenError' || e?.errno === 'ECONNREFUSED') return portError(path, err, 'use');
  return new YiwangError('SERIAL_ERR_REPLY', `${what}: ${msg}`);
}

export class ModbusLink implements BusLink {
  private client: ModbusClient | undefined;
  private lostCb: ((err: YiwangError) => void) | undefined;

  constructor(private readonly line: LineSettings) {}

  get path(): string {
    return this.line.path;
  }

  get isOpen(): boolean {
    return this.client?.isOpen ?? false;
  }

  onLost(cb: (err: YiwangError) => void): void {
    this.lostCb = cb;
  }

  async open(): Promise<void> {
    const l = this.line;
    const client = new ModbusRTU();
    client.on('error', () => {
      /* reported through close and the failing request */
    });
    try {
      await client.connectRTUBuffered(l.path, {
        baudRate: l.baudRate,
        dataBits: l.dataBits,
        parity: l.parity,
        stopBits: l.stopBits,
      });
    } catch (err) {
      throw portError(l.path, err);
    }
    client.setTimeout(l.responseTimeoutMs);
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.lostCb?.(portError(l.path, new Error('closed'), 'keep open'));
    });
    this.client = client;
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c?.isOpen) await new Promise<void>((r) => c.close(() => r()));
  }

  /** Reads `count` registers (3/4) or bits (1/2) of unit `unit`; rejects with a coded error. */
  async read(unit: number, fn: 1 | 2 | 3 | 4, address: number, count: number): Promise<number[] | boolean[]> {
    const c = this.client;
    const what = `unit ${unit} function ${fn} address ${address} count ${count}`;
    if (!c) throw portError(this.line.path, new Error('port is closed'), 'use');
    c.setID(unit);
    try {
      switch (fn) {
        case 1:
          return (await c.readCoils(address, count)).data.slice(0, count);
        case 2:
          return (await c.readDiscreteInputs(address, count)).data.slice(0, count);
        case 3:
          return (await c.readHoldingRegisters(address, count)).data;
        case 4:
          return (await c.readInputRegisters(address, count)).data;
      }
    } catch (err) {
      throw modbusError(err, what, this.line.path);
    }
  }
}
