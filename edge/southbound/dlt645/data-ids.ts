/**
 * DL/T 645-2007 data identifiers (DI3 DI2 DI1 DI0, written most significant first, sent DI0 first)
 * and their data formats. Energies (DI3 = 00) and instantaneous variables (DI3 = 02) are resolved by
 * rule so that every tariff, phase and settlement day is covered; parameters by a small table.
 * Values are little-endian packed BCD; "signed" fields carry the sign in bit 7 of the top byte.
 */
import { YiwangError } from '../../../common/errors.js';
import { bcdByte, bcdDigitsLE, readBcd, toBcdByte, writeBcd } from './bcd.js';

export type Dlt645Format =
  | { kind: 'bcd'; size: number; decimals: number; signed: boolean; unit?: string }
  /** A 12-digit number kept as a string (communication address, meter number). */
  | { kind: 'digits'; size: number }
  /** YYMMDDWW: date and weekday. */
  | { kind: 'date' }
  /** hhmmss. */
  | { kind: 'time' }
  /** Running status word 1..7 (2 bytes, bit field). */
  | { kind: 'status'; word: number };

export interface Dlt645Part {
  name: string;
  format: Dlt645Format;
}

export interface Dlt645DataItem {
  /** DI3..DI0 as 8 upper-case hex digits, e.g. `00010000`. */
  di: string;
  /** snake_case name, used as the metric name. */
  name: string;
  description: string;
  /** Fixed layout of the value, in wire order. */
  parts: readonly Dlt645Part[];
  /** Data blocks of variable length: parts[0] repeated, element i named by `names(i)`. */
  repeat?: { names: (i: number) => string; max: number };
}

export type Dlt645Scalar = number | string | boolean;

export interface Dlt645Value {
  name: string;
  value: Dlt645Scalar;
  unit?: string;
}

/** The identifiers most profiles need, by name. */
export const DLT645_DI = {
  COMBINED_ACTIVE_ENERGY_TOTAL: '00000000',
  FORWARD_ACTIVE_ENERGY_TOTAL: '00010000',
  FORWARD_ACTIVE_ENERGY_TARIFF_1: '00010100',
  FORWARD_ACTIVE_ENERGY_TARIFF_2: '00010200',
  FORWARD_ACTIVE_ENERGY_TARIFF_3: '00010300',
  FORWARD_ACTIVE_ENERGY_TARIFF_4: '00010400',
  FORWARD_ACTIVE_ENERGY_BLOCK: '0001FF00',
  REVERSE_ACTIVE_ENERGY_TOTAL: '00020000',
  VOLTAGE_A: '02010100',
  VOLTAGE_BLOCK: '0201FF00',
  CURRENT_A: '02020100',
  CURRENT_BLOCK: '0202FF00',
  ACTIVE_POWER_TOTAL: '02030000',
  ACTIVE_POWER_BLOCK: '0203FF00',
  POWER_FACTOR_TOTAL: '02060000',
  FREQUENCY: '02800002',
  METER_TEMPERATURE: '02800007',
  DATE: '04000101',
  TIME: '04000102',
  COMM_ADDRESS: '04000401',
  METER_NUMBER: '04000402',
  STATUS_WORD_1: '04000501',
  STATUS_WORD_3: '04000503',
  STATUS_WORD_BLOCK: '040005FF',
} as const;

const ENERGY_KINDS: Record<number, { name: string; unit: string; signed: boolean; zh: string }> = {
  0x00: { name: 'combined_active', unit: 'kWh', signed: true, zh: 'combined active' },
  0x01: { name: 'forward_active', unit: 'kWh', signed: false, zh: 'forward active' },
  0x02: { name: 'reverse_active', unit: 'kWh', signed: false, zh: 'reverse active' },
  0x03: { name: 'combined_reactive_1', unit: 'kvarh', signed: true, zh: 'combined reactive 1' },
  0x04: { name: 'combined_reactive_2', unit: 'kvarh', signed: true, zh: 'combined reactive 2' },
  0x05: { name: 'q1_reactive', unit: 'kvarh', signed: false, zh: 'quadrant I reactive' },
  0x06: { name: 'q2_reactive', unit: 'kvarh', signed: false, zh: 'quadrant II reactive' },
  0x07: { name: 'q3_reactive', unit: 'kvarh', signed: false, zh: 'quadrant III reactive' },
  0x08: { name: 'q4_reactive', unit: 'kvarh', signed: false, zh: 'quadrant IV reactive' },
  0x09: { name: 'forward_apparent', unit: 'kVAh', signed: false, zh: 'forward apparent' },
  0x0a: { name: 'reverse_apparent', unit: 'kVAh', signed: false, zh: 'reverse apparent' },
};

const PHASES = ['total', 'a', 'b', 'c'];

/** Instantaneous variables 02 xx yy 00: yy = 00 total (where defined), 01..03 phase, FF block. */
const VARIABLES: Record<
  number,
  { name: string; size: number; decimals: number; signed: boolean; unit?: string; total: boolean }
> = {
  0x01: { name: 'voltage', size: 2, decimals: 1, signed: false, unit: 'V', total: false },
  0x02: { name: 'current', size: 3, decimals: 3, signed: true, unit: 'A', total: false },
  0x03: { name: 'active_power', size: 3, decimals: 4, signed: true, unit: 'kW', total: true },
  0x04: { name: 'reactive_power', size: 3, decimals: 4, signed: true, unit: 'kvar', total: true },
  0x05: { name: 'apparent_power', size: 3, decimals: 4, signed: true, unit: 'kVA', total: true },
  0x06: { name: 'power_factor', size: 2, decimals: 3, signed: true, total: true },
};

const bcd = (size: number, decimals: number, signed: boolean, unit?: string): Dlt645Format => ({
  kind: 'bcd',
  size,
  decimals,
  signed,
  ...(unit !== undefined ? { unit } : {}),
});
const single = (di: string, name: string, description: string, format: Dlt645Format): Dlt645DataItem => ({
  di,
  name,
  description,
  parts: [{ name, format }],
});

const FIXED: readonly Dlt645DataItem[] = [
  single('02800001', 'neutral_current', 'zero-line (neutral) current', bcd(3, 3, true, 'A')),
  single('02800002', 'frequency', 'grid frequency', bcd(2, 2, false, 'Hz')),
  single('02800003', 'active_power_avg_1min', 'one-minute average total active power', bcd(3, 4, true, 'kW')),
  single('02800004', 'active_demand', 'current active demand', bcd(3, 4, true, 'kW')),
  single('02800005', 'reactive_demand', 'current reactive demand', bcd(3, 4, true, 'kvar')),
  single('02800006', 'apparent_demand', 'current apparent demand', bcd(3, 4, true, 'kVA')),
  single('02800007', 'meter_temperature', 'meter internal temperature', bcd(2, 1, true, 'Cel')),
  single('02800008', 'clock_battery_voltage', 'clock battery voltage', bcd(2, 2, false, 'V')),
  single('02800009', 'reading_battery_voltage', 'meter-reading (standby) battery voltage', bcd(2, 2, false, 'V')),
  single('0280000A', 'battery_operating_time', 'internal battery operating time', bcd(4, 0, false, 'min')),
  {
    di: '04000101',
    name: 'date',
    description: 'meter date and weekday (YYMMDDWW)',
    parts: [{ name: 'date', format: { kind: 'date' } }],
  },
  single('04000102', 'time', 'meter time (hhmmss)', { kind: 'time' }),
  single('04000401', 'comm_address', 'communication address', { kind: 'digits', size: 6 }),
  single('04000402', 'meter_number', 'meter number', { kind: 'digits', size: 6 }),
  ...[1, 2, 3, 4, 5, 6, 7].map((w) =>
    single(`0400050${w}`, `status_word_${w}`, `running status word ${w}`, { kind: 'status', word: w }),
  ),
  {
    di: '040005FF',
    name: 'status_words',
    description: 'running status words 1..7 (block)',
    parts: [1, 2, 3, 4, 5, 6, 7].map((w) => ({
      name: `status_word_${w}`,
      format: { kind: 'status', word: w } as Dlt645Format,
    })),
  },
];
const FIXED_BY_DI = new Map(FIXED.map((i) => [i.di, i]));

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function energyItem(di: string, kind: number, tariff: number, settle: number): Dlt645DataItem | undefined {
  const k = ENERGY_KINDS[kind];
  if (
    !k ||
    (tariff > 0x3f && tariff !== 0xff) ||
    (settle > 0x0c && settle !== 0xff) ||
    (tariff === 0xff && settle === 0xff)
  )
    return undefined;
  const fmt = bcd(4, 2, k.signed, k.unit);
  const tName = (t: number): string => (t === 0 ? 'total' : `tariff_${t}`);
  const sName = (s: number): string => (s === 0 ? '' : `_settlement_${s}`);
  const base = `${k.name}_energy`;
  if (tariff === 0xff) {
    return {
      di,
      name: `${base}${sName(settle)}`,
      description: `${k.zh} energy, total and tariffs (block)`,
      parts: [{ name: '', format: fmt }],
      repeat: { names: (i) => `${base}_${tName(i)}${sName(settle)}`, max: 64 },
    };
  }
  if (settle === 0xff) {
    return {
      di,
      name: `${base}_${tName(tariff)}`,
      description: `${k.zh} energy, current and settlement days 1..12 (block)`,
      parts: [{ name: '', format: fmt }],
      repeat: { names: (i) => `${base}_${tName(tariff)}${sName(i)}`, max: 13 },
    };
  }
  const name = `${base}_${tName(tariff)}${sName(settle)}`;
  return single(
    di,
    name,
    `${k.zh} energy ${tName(tariff).replace('_', ' ')}${settle ? `, settlement day ${settle}` : ''}`,
    fmt,
  );
}

function variableItem(di: string, kind: number, sel: number): Dlt645DataItem | undefined {
  const v = VARIABLES[kind];
  if (!v) return undefined;
  const fmt = bcd(v.size, v.decimals, v.signed, v.unit);
  const phases = v.total ? PHASES : PHASES.slice(1);
  if (sel === 0xff) {
    return {
      di,
      name: `${v.name}_block`,
      description: `${v.name.replace('_', ' ')} ${phases.join('/')} (block)`,
      parts: phases.map((p) => ({ name: `${v.name}_${p}`, format: fmt })),
    };
  }
  const phase = PHASES[sel];
  if (phase === undefined || (sel === 0 && !v.total)) return undefined;
  return single(
    di,
    `${v.name}_${phase}`,
    `${v.name.replace('_', ' ')} ${phase === 'total' ? 'total' : `phase ${phase.toUpperCase()}`}`,
    fmt,
  );
}

/** Validates and upper-cases an identifier; throws DLT645_ERR_DATA_ID. */
export function normalizeDataId(di: string): string {
  if (typeof di !== 'string' || !/^[0-9A-Fa-f]{8}$/.test(di))
    throw new YiwangError('DLT645_ERR_DATA_ID', `DL/T 645: data identifier ${JSON.stringify(di)} is not 8 hex digits`);
  return di.toUpperCase();
}

/** The known layout of an identifier, or undefined (the codec then returns the raw bytes). */
export function lookupDataId(di: string): Dlt645DataItem | undefined {
  const id = normalizeDataId(di);
  const fixed = FIXED_BY_DI.get(id);
  if (fixed) return fixed;
  const byte = (i: number): number => parseInt(id.slice(i, i + 2), 16);
  const [d3, d2, d1, d0] = [byte(0), byte(2), byte(4), byte(6)];
  if (d3 === 0x00) return energyItem(id, d2, d1, d0);
  if (d3 === 0x02 && d0 === 0x00) return variableItem(id, d2, d1);
  return undefined;
}

/** Wire bytes of an identifier: DI0 first. */
export function dataIdToBytes(di: string): Uint8Array {
  const id = normalizeDataId(di);
  return Uint8Array.from([6, 4, 2, 0].map((i) => parseInt(id.slice(i, i + 2), 16)));
}

export function dataIdFromBytes(b: Uint8Array): string {
  return hex2(b[3]!) + hex2(b[2]!) + hex2(b[1]!) + hex2(b[0]!);
}

function formatSize(f: Dlt645Format): number {
  switch (f.kind) {
    case 'bcd':
    case 'digits':
      return f.size;
    case 'date':
      return 4;
    case 'time':
      return 3;
    case 'status':
      return 2;
  }
}

const STATUS_BITS: Record<number, readonly [number, string][]> = {
  1: [
    [2, 'clock_battery_low'],
    [3, 'reading_battery_low'],
    [4, 'active_power_reverse'],
    [5, 'reactive_power_reverse'],
    [8, 'control_circuit_error'],
    [9, 'esam_error'],
    [12, 'internal_program_error'],
    [13, 'memory_fault'],
    [14, 'overdraft'],
    [15, 'clock_fault'],
  ],
  2: [
    [0, 'active_power_reverse_a'],
    [1, 'active_power_reverse_b'],
    [2, 'active_power_reverse_c'],
    [4, 'reactive_power_reverse_a'],
    [5, 'reactive_power_reverse_b'],
    [6, 'reactive_power_reverse_c'],
  ],
  3: [
    [3, 'programming_enabled'],
    [4, 'relay_open'],
    [6, 'relay_command_open'],
    [7, 'pre_trip_alarm'],
  ],
};
const SUPPLY = ['main', 'auxiliary', 'battery', 'reserved'];
const PREPAID = ['none', 'energy', 'money', 'reserved'];

function bad(detail: string): YiwangError {
  return new YiwangError('DLT645_ERR_DATA', `DL/T 645: ${detail}`);
}

function decodePart(p: Dlt645Part, b: Uint8Array, di: string): Dlt645Value[] {
  const f = p.format;
  switch (f.kind) {
    case 'bcd': {
      const v = readBcd(b, f.decimals, f.signed);
      if (v === undefined) throw bad(`${di} ${p.name}: bytes are not BCD`);
      return [f.unit ? { name: p.name, value: v, unit: f.unit } : { name: p.name, value: v }];
    }
    case 'digits': {
      const d = bcdDigitsLE(b);
      if (!d) throw bad(`${di} ${p.name}: bytes are not BCD`);
      return [{ name: p.name, value: d.digits }];
    }
    case 'date': {
      const [ww = -1, dd = -1, mm = -1, yy = -1] = [...b].map(bcdByte);
      if (ww < 0 || ww > 6 || dd < 1 || dd > 31 || mm < 1 || mm > 12 || yy < 0) throw bad(`${di}: invalid date bytes`);
      const date = `${2000 + yy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
      return [
        { name: 'date', value: date },
        { name: 'weekday', value: ww },
      ];
    }
    case 'time': {
      const [ss = -1, mi = -1, hh = -1] = [...b].map(bcdByte);
      if (ss < 0 || ss > 59 || mi < 0 || mi > 59 || hh < 0 || hh > 23) throw bad(`${di}: invalid time bytes`);
      return [{ name: p.name, value: [hh, mi, ss].map((n) => String(n).padStart(2, '0')).join(':') }];
    }
    case 'status': {
      const word = b[0]! | (b[1]! << 8);
      const out: Dlt645Value[] = [{ name: p.name, value: word }];
      for (const [bit, name] of STATUS_BITS[f.word] ?? []) out.push({ name, value: (word & (1 << bit)) !== 0 });
      if (f.word === 3) {
        out.push(
          { name: 'supply_mode', value: SUPPLY[(word >> 1) & 3]! },
          { name: 'prepaid_mode', value: PREPAID[(word >> 8) & 3]! },
        );
      }
      return out;
    }
  }
}

/** Decodes the value bytes (after the DI) of a known identifier into named values. */
export function decodeItemValue(item: Dlt645DataItem, bytes: Uint8Array): Dlt645Value[] {
  const out: Dlt645Value[] = [];
  if (item.repeat) {
    const size = formatSize(item.parts[0]!.format);
    const n = bytes.length / size;
    if (!Number.isInteger(n) || n < 1 || n > item.repeat.max)
      throw bad(`${item.di}: ${bytes.length} value bytes is not 1..${item.repeat.max} elements of ${size}`);
    for (let i = 0; i < n; i++) {
      out.push(
        ...decodePart(
          { name: item.repeat.names(i), format: item.parts[0]!.format },
          bytes.subarray(i * size, (i + 1) * size),
          item.di,
        ),
      );
    }
    return out;
  }
  const want = item.parts.reduce((s, p) => s + formatSize(p.format), 0);
  if (bytes.length !== want) throw bad(`${item.di} (${item.name}): ${bytes.length} value bytes, expected ${want}`);
  let at = 0;
  for (const p of item.parts) {
    const size = formatSize(p.format);
    out.push(...decodePart(p, bytes.subarray(at, at + size), item.di));
    at += size;
  }
  return out;
}

function encodePart(p: Dlt645Part, values: ReadonlyMap<string, Dlt645Scalar>, di: string): Uint8Array {
  const f = p.format;
  const v = values.get(f.kind === 'date' ? 'date' : p.name);
  const fail = (): never => {
    throw bad(`${di}: cannot encode ${p.name}=${JSON.stringify(v)}`);
  };
  switch (f.kind) {
    case 'bcd':
      return (typeof v === 'number' && writeBcd(v, f.size, f.decimals, f.signed)) || fail();
    case 'digits':
      if (typeof v !== 'string' || !/^[0-9]+$/.test(v) || v.length > f.size * 2) fail();
      return writeBcd(Number(v), f.size, 0) ?? fail();
    case 'date': {
      const m = typeof v === 'string' ? /^20(\d\d)-(\d\d)-(\d\d)$/.exec(v) : null;
      const wd = values.get('weekday');
      if (!m || typeof wd !== 'number' || !Number.isInteger(wd) || wd < 0 || wd > 6) return fail();
      return Uint8Array.from([wd, Number(m[3]), Number(m[2]), Number(m[1])].map(toBcdByte));
    }
    case 'time': {
      const m = typeof v === 'string' ? /^(\d\d):(\d\d):(\d\d)$/.exec(v) : null;
      if (!m) return fail();
      return Uint8Array.from([m[3], m[2], m[1]].map((x) => toBcdByte(Number(x))));
    }
    case 'status':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff) fail();
      return Uint8Array.from([(v as number) & 0xff, (v as number) >> 8]);
  }
}

/**
 * Encodes named values into value bytes (for simulators and tests). Every part of the layout
 * must be present; for blocks, elements are taken in order while their names are present.
 */
export function encodeItemValue(
  item: Dlt645DataItem,
  values: readonly Dlt645Value[] | Record<string, Dlt645Scalar>,
): Uint8Array {
  const map = new Map<string, Dlt645Scalar>(
    Array.isArray(values) ? values.map((v) => [v.name, v.value] as const) : Object.entries(values),
  );
  const chunks: Uint8Array[] = [];
  if (item.repeat) {
    for (let i = 0; i < item.repeat.max && map.has(item.repeat.names(i)); i++) {
      chunks.push(encodePart({ name: item.repeat.names(i), format: item.parts[0]!.format }, map, item.di));
    }
    if (chunks.length === 0) throw bad(`${item.di}: no values for the block`);
  } else {
    for (const p of item.parts) chunks.push(encodePart(p, map, item.di));
  }
  return Buffer.concat(chunks);
}
