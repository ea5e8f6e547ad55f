/**
 * The `serial` binding of a device profile (or of an entry in the serial device file): how the
 * values of one device model are read over RS-485 and named as metrics.
 *
 *   Modbus RTU   protocol = "modbus", registers = [{ metric, function, address, type, word_order, scale, offset, unit, bit }]
 *   DL/T 645     protocol = "dlt645", items = [{ di = "00010000", metric? | metrics? }]
 *   CJ/T 188     protocol = "cjt188", meter_type = 0x10, items = [{ di = "901F", metrics? }]
 *
 * `validateSerialBinding` is called by the profile loader for the `serial` slot; every error is a
 * SERIAL_ERR_BINDING naming `where` (the profile file or device) and the key.
 */
import { YiwangError } from '../../../common/errors.js';
import { lookupDataId } from '../dlt645/data-ids.js';
import { hasLayout } from '../cjt188/data-ids.js';
import { isMeterType } from '../cjt188/frame.js';

export type ModbusValueType =
  | 'bool'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'float32'
  | 'uint64'
  | 'int64'
  | 'float64';

/** 16-bit registers each type occupies (bool: one coil/input bit, or one bit of a register). */
export const MODBUS_TYPE_WORDS: Readonly<Record<ModbusValueType, number>> = {
  bool: 1,
  uint16: 1,
  int16: 1,
  uint32: 2,
  int32: 2,
  float32: 2,
  uint64: 4,
  int64: 4,
  float64: 4,
};

export interface ModbusRegisterBinding {
  metric: string;
  /** 1 coils, 2 discrete inputs, 3 holding registers, 4 input registers. */
  function: 1 | 2 | 3 | 4;
  /** Zero-based protocol address (register 40001 is function 3, address 0). */
  address: number;
  type: ModbusValueType;
  /** Order of the 16-bit words of 32/64-bit values: "big" = most significant word first (AB CD), "little" = CD AB. */
  wordOrder: 'big' | 'little';
  /** value = raw × scale + offset. */
  scale: number;
  offset: number;
  /** SenML unit name ('' when none). */
  unit: string;
  /** For type bool on registers (function 3/4): the bit 0..15 of the register. */
  bit?: number;
}

export interface ModbusBinding {
  protocol: 'modbus';
  registers: ModbusRegisterBinding[];
  /** Largest number of registers (or bits) read in one request; neighbouring bindings are merged up to it. */
  maxBlock: number;
}

export interface MeterItemBinding {
  /** Data identifier: 8 hex digits (DL/T 645) or 4 (CJ/T 188). */
  di: string;
  /** Codec value name → metric; when absent every value of the item keeps its codec name. */
  metrics?: ReadonlyMap<string, string>;
}

export interface Dlt645Binding {
  protocol: 'dlt645';
  items: MeterItemBinding[];
}

export interface Cjt188Binding {
  protocol: 'cjt188';
  /** Meter type T: 0x10..0x19 water, 0x20..0x29 heat, 0x30..0x39 gas, 0x40..0x49 other. */
  meterType: number;
  items: MeterItemBinding[];
}

export type SerialBinding = ModbusBinding | Dlt645Binding | Cjt188Binding;
export type SerialProtocol = SerialBinding['protocol'];
export const SERIAL_PROTOCOLS: readonly SerialProtocol[] = ['modbus', 'dlt645', 'cjt188'];

const METRIC = /^[a-z][a-z0-9_.]{0,63}$/;

/** A value from the file, for messages: TOML integers beyond 2^53 are bigints, which JSON.stringify refuses. */
const shown = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);

class Check {
  constructor(readonly where: string) {}
  fail(key: string, want: string, got?: unknown): never {
    const g = got === undefined ? '' : ` (got ${shown(got)})`;
    throw new YiwangError('SERIAL_ERR_BINDING', `${this.where}: ${key} ${want}${g}`);
  }
  table(v: unknown, key: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, 'must be a table', v);
    return v as Record<string, unknown>;
  }
  only(t: Record<string, unknown>, key: string, allowed: readonly string[]): void {
    for (const k of Object.keys(t))
      if (!allowed.includes(k)) this.fail(`${key}.${k}`, `is not a known key (known: ${allowed.join(', ')})`);
  }
  str(v: unknown, key: string, choices?: readonly string[]): string {
    if (typeof v !== 'string') this.fail(key, 'must be a string', v);
    if (choices && !choices.includes(v as string)) this.fail(key, `must be one of ${choices.join(', ')}`, v);
    return v as string;
  }
  int(v: unknown, key: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      this.fail(key, `must be an integer ${min}..${max}`, v);
    return v as number;
  }
  num(v: unknown, key: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, 'must be a number', v);
    return v as number;
  }
  metric(v: unknown, key: string): string {
    const s = this.str(v, key);
    if (!METRIC.test(s)) this.fail(key, 'must be a metric name (lower case, digits, _ and ., at most 64)', s);
    return s;
  }
  list(v: unknown, key: string): unknown[] {
    if (!Array.isArray(v) || v.length === 0) this.fail(key, 'must be a non-empty array of tables', v);
    return v as unknown[];
  }
}

const REGISTER_KEYS = ['metric', 'function', 'address', 'type', 'word_order', 'scale', 'offset', 'unit', 'bit'];

function modbus(c: Check, t: Record<string, unknown>): ModbusBinding {
  c.only(t, 'serial', ['protocol', 'registers', 'max_block']);
  const maxBlock = t.max_block === undefined ? 64 : c.int(t.max_block, 'serial.max_block', 1, 125);
  const seen = new Set<string>();
  const registers = c.list(t.registers, 'serial.registers').map((x, i): ModbusRegisterBinding => {
    const key = `serial.registers[${i}]`;
    const r = c.table(x, key);
    c.only(r, key, REGISTER_KEYS);
    const metric = c.metric(r.metric, `${key}.metric`);
    if (seen.has(metric)) c.fail(`${key}.metric`, 'is bound twice', metric);
    seen.add(metric);
    const fn = c.int(r.function ?? 3, `${key}.function`, 1, 4) as 1 | 2 | 3 | 4;
    const type = c.str(
      r.type ?? (fn <= 2 ? 'bool' : 'uint16'),
      `${key}.type`,
      Object.keys(MODBUS_TYPE_WORDS),
    ) as ModbusValueType;
    if (fn <= 2 && type !== 'bool')
      c.fail(`${key}.type`, `must be bool for function ${fn} (coils and discrete inputs are bits)`, type);
    const address = c.int(r.address, `${key}.address`, 0, 65535 - MODBUS_TYPE_WORDS[type] + 1);
    const b: ModbusRegisterBinding = {
      metric,
      function: fn,
      address,
      type,
      wordOrder: c.str(r.word_order ?? 'big', `${key}.word_order`, ['big', 'little']) as 'big' | 'little',
      scale: r.scale === undefined ? 1 : c.num(r.scale, `${key}.scale`),
      offset: r.offset === undefined ? 0 : c.num(r.offset, `${key}.offset`),
      unit: r.unit === undefined ? '' : c.str(r.unit, `${key}.unit`),
    };
    if (r.bit !== undefined) {
      if (type !== 'bool' || fn <= 2) c.fail(`${key}.bit`, 'only applies to type bool on registers (function 3 or 4)');
      b.bit = c.int(r.bit, `${key}.bit`, 0, 15);
    } else if (type === 'bool' && fn > 2)
      c.fail(`${key}.bit`, 'is required for type bool on registers (function 3 or 4)');
    return b;
  });
  return { protocol: 'modbus', registers, maxBlock };
}

function items(c: Check, v: unknown, check: (di: string, key: string) => string): MeterItemBinding[] {
  const seen = new Set<string>();
  return c.list(v, 'serial.items').map((x, i) => {
    const key = `serial.items[${i}]`;
    const r = c.table(x, key);
    c.only(r, key, ['di', 'metric', 'metrics']);
    const di = check(c.str(r.di, `${key}.di`), `${key}.di`);
    if (seen.has(di)) c.fail(`${key}.di`, 'is listed twice', di);
    seen.add(di);
    const item: MeterItemBinding = { di };
    if (r.metric !== undefined && r.metrics !== undefined) c.fail(key, 'takes metric or metrics, not both');
    if (r.metric !== undefined) item.metrics = new Map([['*', c.metric(r.metric, `${key}.metric`)]]);
    if (r.metrics !== undefined) {
      const m = c.table(r.metrics, `${key}.metrics`);
      item.metrics = new Map(
        Object.entries(m).map(([name, metric]) => [name, c.metric(metric, `${key}.metrics.${name}`)]),
      );
    }
    return item;
  });
}

function dlt645Di(c: Check): (di: string, key: string) => string {
  return (di, key) => {
    if (!/^[0-9A-Fa-f]{8}$/.test(di)) c.fail(key, 'must be 8 hex digits (DI3 DI2 DI1 DI0)', di);
    if (!lookupDataId(di))
      c.fail(key, 'is not a data identifier the DL/T 645 codec can decode (docs/reference/protocols.md)', di);
    return di.toUpperCase();
  };
}

function cjt188Di(c: Check): (di: string, key: string) => string {
  return (di, key) => {
    const d = di.toUpperCase();
    if (!/^[0-9A-F]{4}$/.test(d)) c.fail(key, 'must be 4 hex digits', di);
    if (!hasLayout(d)) c.fail(key, 'is not a data identifier the CJ/T 188 codec can decode (901F, D120..D12B)', di);
    return d;
  };
}

/** Validates the `serial` slot of a profile or device entry; throws SERIAL_ERR_BINDING naming `where` and the key. */
export function validateSerialBinding(spec: unknown, where: string): SerialBinding {
  const c = new Check(where);
  const t = c.table(spec, 'serial');
  const protocol = c.str(t.protocol, 'serial.protocol', SERIAL_PROTOCOLS) as SerialProtocol;
  if (protocol === 'modbus') return modbus(c, t);
  if (protocol === 'dlt645') {
    c.only(t, 'serial', ['protocol', 'items']);
    return { protocol, items: items(c, t.items ?? [{ di: '00010000' }], dlt645Di(c)) };
  }
  c.only(t, 'serial', ['protocol', 'meter_type', 'items']);
  const meterType = c.int(t.meter_type ?? 0x10, 'serial.meter_type', 0, 255);
  if (!isMeterType(meterType)) c.fail('serial.meter_type', 'must be a CJ/T 188 meter type 0x10..0x49', meterType);
  return { protocol, meterType, items: items(c, t.items ?? [{ di: '901F' }], cjt188Di(c)) };
}

/** Maps codec values to metric names per the item binding; values not mapped are dropped when a map is given. */
export function metricFor(item: MeterItemBinding, valueName: string, valuesInItem: number): string | undefined {
  if (!item.metrics) return valueName;
  const star = item.metrics.get('*');
  if (star !== undefined) return valuesInItem === 1 ? star : `${star}.${valueName}`;
  return item.metrics.get(valueName);
}
