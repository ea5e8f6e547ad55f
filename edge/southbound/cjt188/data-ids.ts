/**
 * CJ/T 188-2004 data identifiers, unit codes, status word and date/time. Quantities are 4-byte
 * little-endian BCD followed by a unit code; values are returned in one canonical unit per
 * quantity (m3, m3/h, kWh, GJ, kW, GJ/h) by shifting the decimal point, so no float drift.
 */
import { YiwangError, type ErrorCode } from '../../../common/errors.js';
import { bcdByte, bcdDigitsLE, toBcdByte, writeBcd } from '../dlt645/bcd.js';
import { meterFamily } from './frame.js';

export const CJT188_DI = {
  /** Meter data: cumulative flow/heat, time, status. */
  METER_DATA: '901F',
  /** Read address (function 0x03). */
  READ_ADDRESS: '810A',
  PRICE_TABLE: '8102',
  SETTLEMENT_DAY: '8103',
  READING_DAY: '8104',
  PURCHASE_AMOUNT: '8105',
  KEY_VERSION: '8106',
  /** Valve control (function 0x04): 0x55 open, 0x99 close. */
  VALVE_CONTROL: 'A017',
  /** Write address (function 0x15). */
  WRITE_ADDRESS: 'A018',
} as const;

/** History of the last 1..12 settlement months: D120 (last month) .. D12B. */
export function historyDataId(month: number): string {
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new YiwangError('CJT188_ERR_DATA_ID', `CJ/T 188: history month ${month} is not 1..12`);
  return `D12${(month - 1).toString(16).toUpperCase()}`;
}

/** Identifiers the codec knows a layout or a request form for (used to detect swapped DI bytes). */
const KNOWN = new Set<string>([
  ...Object.values(CJT188_DI),
  ...Array.from({ length: 12 }, (_, i) => `D12${i.toString(16).toUpperCase()}`),
]);

export function isKnownDataId(di: string): boolean {
  return KNOWN.has(di);
}

export type Quantity = 'volume' | 'flow_rate' | 'energy_wh' | 'energy_j' | 'power_w' | 'power_j';

/** Unit code → quantity, canonical unit and the decimal shift to reach it (value × 10^shift). */
const UNIT_FAMILIES: readonly { quantity: Quantity; unit: string; codes: readonly [number, number][] }[] = [
  {
    quantity: 'energy_wh',
    unit: 'kWh',
    codes: [
      [0x02, -3],
      [0x03, -2],
      [0x04, -1],
      [0x05, 0],
      [0x06, 1],
      [0x07, 2],
      [0x08, 3],
      [0x09, 4],
      [0x0a, 5],
    ],
  },
  {
    quantity: 'energy_j',
    unit: 'GJ',
    codes: [
      [0x01, -9],
      [0x0b, -6],
      [0x0c, -5],
      [0x0d, -4],
      [0x0e, -3],
      [0x0f, -2],
      [0x10, -1],
      [0x11, 0],
      [0x12, 1],
      [0x13, 2],
    ],
  },
  {
    quantity: 'power_w',
    unit: 'kW',
    codes: [
      [0x14, -3],
      [0x15, -2],
      [0x16, -1],
      [0x17, 0],
      [0x18, 1],
      [0x19, 2],
      [0x1a, 3],
      [0x1b, 4],
      [0x1c, 5],
    ],
  },
  {
    quantity: 'volume',
    unit: 'm3',
    codes: [
      [0x29, -3],
      [0x2a, -2],
      [0x2b, -1],
      [0x2c, 0],
      [0x2d, 1],
      [0x2e, 2],
    ],
  },
  {
    quantity: 'flow_rate',
    unit: 'm3/h',
    codes: [
      [0x32, -3],
      [0x33, -2],
      [0x34, -1],
      [0x35, 0],
      [0x36, 1],
      [0x37, 2],
    ],
  },
  {
    quantity: 'power_j',
    unit: 'GJ/h',
    codes: [
      [0x40, -9],
      [0x43, -6],
      [0x44, -5],
      [0x45, -4],
      [0x46, -3],
      [0x47, -2],
      [0x48, -1],
      [0x49, 0],
      [0x4a, 1],
      [0x4b, 2],
    ],
  },
];
const UNITS = new Map<number, { quantity: Quantity; unit: string; shift: number }>();
for (const f of UNIT_FAMILIES)
  for (const [code, shift] of f.codes) UNITS.set(code, { quantity: f.quantity, unit: f.unit, shift });

/** Common unit codes by name, for builders. */
export const CJT188_UNIT = {
  L: 0x29,
  M3: 0x2c,
  L_PER_H: 0x32,
  M3_PER_H: 0x35,
  WH: 0x02,
  KWH: 0x05,
  MWH: 0x08,
  KJ: 0x0b,
  MJ: 0x0e,
  GJ: 0x11,
  W: 0x14,
  KW: 0x17,
  MW: 0x1a,
} as const;

export function unitInfo(code: number): { quantity: Quantity; unit: string; shift: number } | undefined {
  return UNITS.get(code);
}

export type Cjt188Scalar = number | string | boolean;

export interface Cjt188Value {
  name: string;
  value: Cjt188Scalar;
  unit?: string;
}

function bad(code: ErrorCode, detail: string): YiwangError {
  return new YiwangError(code, `CJ/T 188: ${detail}`);
}

/** Digits with `decimals` implied decimals, times 10^shift, as a number parsed once. */
function shifted(digits: string, decimals: number, shift: number, negative = false): number {
  let d = digits;
  let dec = decimals - shift;
  if (dec < 0) {
    d += '0'.repeat(-dec);
    dec = 0;
  }
  if (dec > d.length) d = d.padStart(dec, '0');
  const int = d.slice(0, d.length - dec) || '0';
  const v = Number(dec > 0 ? `${int}.${d.slice(d.length - dec)}` : int);
  return negative && v !== 0 ? -v : v;
}

/** Reads a BCD quantity followed by its unit code; `allowed` restricts the quantity kinds. */
export function readQuantity(
  b: Uint8Array,
  decimals: number,
  allowed: readonly Quantity[],
  field: string,
): { value: number; unit: string; code: number } {
  const code = b[b.length - 1]!;
  const u = UNITS.get(code);
  if (!u) throw bad('CJT188_ERR_UNIT', `${field}: unknown unit code 0x${code.toString(16).padStart(2, '0')}`);
  if (!allowed.includes(u.quantity))
    throw bad('CJT188_ERR_UNIT', `${field}: unit ${u.unit} (0x${code.toString(16)}) does not fit this field`);
  const d = bcdDigitsLE(b.subarray(0, b.length - 1));
  if (!d) throw bad('CJT188_ERR_DATA', `${field}: bytes are not BCD`);
  return { value: shifted(d.digits, decimals, u.shift), unit: u.unit, code };
}

/** Encodes a quantity given in its canonical unit with the meter's unit code. */
export function writeQuantity(value: number, code: number, size: number, decimals: number, field: string): Uint8Array {
  const u = UNITS.get(code);
  if (!u) throw bad('CJT188_ERR_UNIT', `${field}: unknown unit code 0x${code.toString(16)}`);
  const raw = typeof value === 'number' ? writeBcd(value * 10 ** -u.shift, size, decimals) : undefined;
  if (!raw) throw bad('CJT188_ERR_DATA', `${field}: ${value} ${u.unit} does not fit ${size} BCD bytes`);
  return Buffer.concat([raw, Uint8Array.of(code)]);
}

/** Real time, 7 BCD bytes ss mm hh DD MM YYlo YYhi; all zero means "clock not set" (null). */
export function readDateTime(b: Uint8Array): string | null {
  if (b.every((x) => x === 0)) return null;
  const [ss = -1, mi = -1, hh = -1, dd = -1, mo = -1, yl = -1, yh = -1] = [...b].map(bcdByte);
  if (
    [ss, mi, hh, dd, mo, yl, yh].some((n) => n < 0) ||
    ss > 59 ||
    mi > 59 ||
    hh > 23 ||
    dd < 1 ||
    dd > 31 ||
    mo < 1 ||
    mo > 12
  ) {
    throw bad('CJT188_ERR_DATA', `meter time ${Buffer.from(b).toString('hex')} is not a valid BCD date`);
  }
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${yh * 100 + yl}-${p(mo)}-${p(dd)} ${p(hh)}:${p(mi)}:${p(ss)}`;
}

export function writeDateTime(s: string | null): Uint8Array {
  if (s === null) return new Uint8Array(7);
  const m = /^(\d\d)(\d\d)-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(s);
  if (!m) throw bad('CJT188_ERR_DATA', `meter time ${JSON.stringify(s)} is not YYYY-MM-DD hh:mm:ss`);
  return Uint8Array.from([m[7], m[6], m[5], m[4], m[3], m[2], m[1]].map((x) => toBcdByte(Number(x))));
}

const VALVE = ['open', 'closed', 'unknown', 'abnormal'];

/** Status ST (2 bytes, first byte low): D0-D1 valve (00 open, 01 closed, 11 abnormal), D2 battery low. */
export function readStatus(b: Uint8Array): Cjt188Value[] {
  const word = b[0]! | (b[1]! << 8);
  return [
    { name: 'status', value: word },
    { name: 'valve', value: VALVE[word & 3]! },
    { name: 'battery_low', value: (word & 4) !== 0 },
  ];
}

interface Field {
  name: string;
  size: number;
  decimals: number;
  kind: 'quantity' | 'bcd' | 'time' | 'status';
  quantities?: readonly Quantity[];
  unit?: string;
}

const VOLUME: readonly Quantity[] = ['volume'];
const ENERGY: readonly Quantity[] = ['energy_wh', 'energy_j'];

/** 901F for water and gas meters: 19 bytes after DI and SER. */
const WATER_GAS: readonly Field[] = [
  { name: 'cumulative_volume', size: 5, decimals: 2, kind: 'quantity', quantities: VOLUME },
  { name: 'settlement_volume', size: 5, decimals: 2, kind: 'quantity', quantities: VOLUME },
  { name: 'meter_time', size: 7, decimals: 0, kind: 'time' },
  { name: 'status', size: 2, decimals: 0, kind: 'status' },
];

/** 901F for heat meters: 43 bytes after DI and SER. */
const HEAT: readonly Field[] = [
  { name: 'settlement_heat', size: 5, decimals: 2, kind: 'quantity', quantities: ENERGY },
  { name: 'current_heat', size: 5, decimals: 2, kind: 'quantity', quantities: ENERGY },
  { name: 'heat_power', size: 5, decimals: 2, kind: 'quantity', quantities: ['power_w', 'power_j'] },
  { name: 'flow_rate', size: 5, decimals: 4, kind: 'quantity', quantities: ['flow_rate'] },
  { name: 'cumulative_volume', size: 5, decimals: 2, kind: 'quantity', quantities: VOLUME },
  { name: 'supply_temperature', size: 3, decimals: 2, kind: 'bcd', unit: 'Cel' },
  { name: 'return_temperature', size: 3, decimals: 2, kind: 'bcd', unit: 'Cel' },
  { name: 'working_time', size: 3, decimals: 0, kind: 'bcd', unit: 'h' },
  { name: 'meter_time', size: 7, decimals: 0, kind: 'time' },
  { name: 'status', size: 2, decimals: 0, kind: 'status' },
];

const size = (fields: readonly Field[]): number => fields.reduce((s, f) => s + f.size, 0);

/** Layout of the content after DI and SER for a meter type and identifier, or undefined. */
function layout(meterType: number, di: string, length: number): readonly Field[] | undefined {
  if (di === CJT188_DI.METER_DATA) {
    // The length decides when it contradicts the type: some heat meters are addressed as type 0x10.
    if (length === size(HEAT)) return HEAT;
    if (length === size(WATER_GAS)) return WATER_GAS;
    return meterFamily(meterType) === 'heat' ? HEAT : WATER_GAS;
  }
  if (/^D12[0-9A-B]$/.test(di)) {
    const month = parseInt(di[3]!, 16) + 1;
    const heat = meterFamily(meterType) === 'heat';
    return [
      {
        name: `${heat ? 'heat' : 'volume'}_month_${month}`,
        size: 5,
        decimals: 2,
        kind: 'quantity',
        quantities: heat ? ENERGY : VOLUME,
      },
    ];
  }
  return undefined;
}

/** Whether the codec can decode the content of this identifier. */
export function hasLayout(di: string): boolean {
  return di === CJT188_DI.METER_DATA || /^D12[0-9A-B]$/.test(di);
}

/** Decodes the content after DI and SER into named values with units. */
export function decodeContent(meterType: number, di: string, b: Uint8Array): Cjt188Value[] {
  const fields = layout(meterType, di, b.length);
  if (!fields) throw bad('CJT188_ERR_DATA_ID', `no layout known for ${di}`);
  const want = size(fields);
  if (b.length !== want) throw bad('CJT188_ERR_DATA', `${di}: ${b.length} content bytes, expected ${want}`);
  const out: Cjt188Value[] = [];
  let at = 0;
  for (const f of fields) {
    const part = b.subarray(at, at + f.size);
    at += f.size;
    if (f.kind === 'quantity') {
      const q = readQuantity(part, f.decimals, f.quantities ?? [], f.name);
      out.push({ name: f.name, value: q.value, unit: q.unit });
    } else if (f.kind === 'bcd') {
      const d = bcdDigitsLE(part);
      if (!d) throw bad('CJT188_ERR_DATA', `${f.name}: bytes are not BCD`);
      out.push({
        name: f.name,
        value: shifted(d.digits, f.decimals, 0),
        ...(f.unit !== undefined ? { unit: f.unit } : {}),
      });
    } else if (f.kind === 'time') {
      const time = readDateTime(part);
      if (time !== null) out.push({ name: f.name, value: time });
    } else {
      out.push(...readStatus(part));
    }
  }
  return out;
}

const DEFAULT_UNIT: Record<Quantity, number> = {
  volume: 0x2c,
  flow_rate: 0x35,
  energy_wh: 0x05,
  energy_j: 0x11,
  power_w: 0x17,
  power_j: 0x49,
};

/** Values to encode meter content; quantities take `{ value, unitCode }` in canonical units. */
export type Cjt188ContentInput = Record<string, number | string | null | { value: number; unitCode: number }>;

/** Encodes content after DI and SER (for simulators and tests). */
export function encodeContent(meterType: number, di: string, values: Cjt188ContentInput): Uint8Array {
  const heat = meterFamily(meterType) === 'heat';
  const fields = di === CJT188_DI.METER_DATA ? (heat ? HEAT : WATER_GAS) : layout(meterType, di, 5);
  if (!fields) throw bad('CJT188_ERR_DATA_ID', `no layout known for ${di}`);
  const chunks: Uint8Array[] = [];
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'quantity') {
      const q =
        typeof v === 'object' && v !== null
          ? v
          : typeof v === 'number'
            ? { value: v, unitCode: DEFAULT_UNIT[(f.quantities ?? VOLUME)[0]!] }
            : undefined;
      if (!q) throw bad('CJT188_ERR_DATA', `missing ${f.name}`);
      chunks.push(writeQuantity(q.value, q.unitCode, f.size - 1, f.decimals, f.name));
    } else if (f.kind === 'bcd') {
      const raw = typeof v === 'number' ? writeBcd(v, f.size, f.decimals) : undefined;
      if (!raw) throw bad('CJT188_ERR_DATA', `${f.name}=${JSON.stringify(v)} does not fit`);
      chunks.push(raw);
    } else if (f.kind === 'time') {
      chunks.push(writeDateTime(typeof v === 'string' ? v : null));
    } else {
      const w = typeof v === 'number' ? v : 0;
      chunks.push(Uint8Array.of(w & 0xff, (w >> 8) & 0xff));
    }
  }
  return Buffer.concat(chunks);
}
