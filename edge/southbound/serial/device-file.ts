/**
 * The serial device file (TOML, `serial.devices_file`): buses with their line settings, and the
 * devices on them with their binding (inline `[device.serial]`, or `profile = "vendor/model"`:
 * the `[transport.serial]` of that firmware profile, found through a ProfileSource — the agent's
 * loaded profiles or a directory). Errors are SERIAL_ERR_CONFIG / SERIAL_ERR_BINDING naming the
 * file and the key.
 *
 *   [[bus]]   name, path, protocol (modbus | dlt645 | cjt188), baud_rate, parity, data_bits,
 *             stop_bits, response_timeout_ms, inter_frame_gap_ms, discover, meter_type,
 *             interval_ms (of discovered meters), [bus.serial] binding of discovered meters
 *   [[device]] bus, address, id, interval_ms, priority (high|normal|low), reading_priority
 *             (alarm|normal|bulk), profile | [device.serial]
 */
import { readFileSync } from 'node:fs';
import { parseToml, tomlErrorText } from '../../../common/toml-read.js';
import { YiwangError } from '../../../common/errors.js';
import { SERIAL_PROTOCOLS, validateSerialBinding, type SerialBinding, type SerialProtocol } from './binding.js';
import { POLL_PRIORITIES, READING_PRIORITIES, type SerialDeviceSpec } from './device.js';
import type { LineSettings, Parity } from './line.js';
import { directorySource, profileSlot, type ProfileSource } from './profile-source.js';

/** A value from the file, for messages: TOML integers beyond 2^53 are bigints, which JSON.stringify refuses. */
const shown = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);

/** Defaults for every bus, from the [serial] section of the agent configuration. */
export interface SerialDefaults {
  baudRate: number;
  parity: Parity;
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  responseTimeoutMs: number;
  interFrameGapMs: number;
  pollIntervalMs: number;
}

export interface BusSpec {
  name: string;
  protocol: SerialProtocol;
  line: LineSettings;
  discover: boolean;
  /** CJ/T 188 meter type asked in the broadcast address read. */
  meterType: number;
  /** Poll interval of discovered meters. */
  intervalMs: number;
  /** Binding of discovered meters (defaults per protocol). */
  discoverBinding: SerialBinding;
  /** The firmware profile of discovered meters, when the bus names one. */
  profile?: string;
}

export interface SerialDeviceFile {
  buses: BusSpec[];
  devices: SerialDeviceSpec[];
}

const DEFAULT_BINDINGS: Readonly<Record<Exclude<SerialProtocol, 'modbus'>, unknown>> = {
  dlt645: { protocol: 'dlt645', items: [{ di: '00010000' }] },
  cjt188: { protocol: 'cjt188', items: [{ di: '901F' }] },
};

type Table = Record<string, unknown>;

function fail(where: string, detail: string): never {
  throw new YiwangError('SERIAL_ERR_CONFIG', `${where}: ${detail}`);
}

function pick<T>(
  t: Table,
  key: string,
  where: string,
  kind: 'string' | 'number' | 'boolean',
  def: T,
  check?: (v: T) => boolean,
  want = `a ${kind}`,
): T {
  const v = t[key];
  if (v === undefined) return def;
  if (typeof v !== kind || (check && !check(v as T))) fail(where, `${key} must be ${want} (got ${shown(v)})`);
  return v as T;
}

const posInt = (v: number): boolean => Number.isInteger(v) && v > 0;

/** A profile's serial slot, with the profile id (the device is bound to that profile). */
function fromProfile(t: Table, profiles: ProfileSource, where: string): { spec: unknown; profile: string } | undefined {
  if (t.profile === undefined) return undefined;
  if (t.serial !== undefined) fail(where, 'takes profile or [serial], not both');
  const { profile, spec } = profileSlot(profiles, String(t.profile), 'serial', (detail) => fail(where, detail));
  return { spec, profile: profile.id };
}

function parseBus(t: Table, where: string, d: SerialDefaults, profiles: ProfileSource): BusSpec {
  const only = [
    'name',
    'path',
    'protocol',
    'baud_rate',
    'parity',
    'data_bits',
    'stop_bits',
    'response_timeout_ms',
    'inter_frame_gap_ms',
    'discover',
    'meter_type',
    'interval_ms',
    'serial',
    'profile',
  ];
  for (const k of Object.keys(t)) if (!only.includes(k)) fail(where, `unknown key ${k} (known: ${only.join(', ')})`);
  const name = pick<string>(t, 'name', where, 'string', '', (v) => v.length > 0);
  const path = pick<string>(t, 'path', where, 'string', '', (v) => v.length > 0);
  if (!name || !path) fail(where, 'name and path are required');
  const protocol = pick<string>(
    t,
    'protocol',
    where,
    'string',
    '',
    (v) => (SERIAL_PROTOCOLS as readonly string[]).includes(v),
    `one of ${SERIAL_PROTOCOLS.join(', ')}`,
  ) as SerialProtocol;
  if (!protocol) fail(where, 'protocol is required');
  const line: LineSettings = {
    path,
    baudRate: pick(t, 'baud_rate', where, 'number', d.baudRate, posInt, 'a positive integer'),
    parity: pick(
      t,
      'parity',
      where,
      'string',
      d.parity,
      (v) => ['none', 'even', 'odd'].includes(v),
      'none, even or odd',
    ),
    dataBits: pick(t, 'data_bits', where, 'number', d.dataBits, (v) => v === 7 || v === 8, '7 or 8'),
    stopBits: pick(t, 'stop_bits', where, 'number', d.stopBits, (v) => v === 1 || v === 2, '1 or 2'),
    responseTimeoutMs: pick(
      t,
      'response_timeout_ms',
      where,
      'number',
      d.responseTimeoutMs,
      posInt,
      'a positive integer',
    ),
    interFrameGapMs: pick(
      t,
      'inter_frame_gap_ms',
      where,
      'number',
      d.interFrameGapMs,
      (v) => Number.isInteger(v) && v >= 0,
      'an integer >= 0',
    ),
  };
  const discover = pick(t, 'discover', where, 'boolean', false);
  if (discover && protocol === 'modbus') fail(where, 'discover applies to dlt645 and cjt188 buses only');
  const meterType = pick(
    t,
    'meter_type',
    where,
    'number',
    0x10,
    (v) => Number.isInteger(v) && v >= 0x10 && v <= 0x49,
    'a CJ/T 188 meter type 0x10..0x49',
  );
  const named = fromProfile(t, profiles, where);
  const bindingSrc =
    t.serial ??
    named?.spec ??
    (protocol === 'modbus'
      ? undefined
      : { ...(DEFAULT_BINDINGS[protocol] as Table), ...(protocol === 'cjt188' ? { meter_type: meterType } : {}) });
  const discoverBinding =
    bindingSrc === undefined
      ? ({ protocol: 'modbus', registers: [], maxBlock: 1 } as SerialBinding)
      : validateSerialBinding(bindingSrc, `${where} (discovered meters)`);
  if (named && discoverBinding.protocol !== protocol)
    fail(where, `profile ${named.profile} is a ${discoverBinding.protocol} profile, the bus speaks ${protocol}`);
  const bus: BusSpec = {
    name,
    protocol,
    line,
    discover,
    meterType,
    intervalMs: pick(t, 'interval_ms', where, 'number', d.pollIntervalMs, posInt, 'a positive integer'),
    discoverBinding,
  };
  if (named) bus.profile = named.profile;
  return bus;
}

export function normaliseAddress(protocol: SerialProtocol, a: unknown, where: string): string {
  if (protocol === 'modbus') {
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 1 || a > 247)
      fail(where, `address must be a Modbus unit id 1..247 (got ${shown(a)})`);
    return String(a);
  }
  const digits = protocol === 'dlt645' ? 12 : 14;
  const s = typeof a === 'number' ? String(a).padStart(digits, '0') : a;
  if (typeof s !== 'string' || !new RegExp(`^[0-9]{${digits}}$`).test(s))
    fail(where, `address must be ${digits} decimal digits (got ${shown(a)})`);
  return s;
}

/**
 * Parses a device file already read as TOML; `profiles` finds the profiles it names (a directory
 * path, or the agent's loaded profiles).
 */
export function parseDeviceFile(
  doc: Table,
  source: string,
  defaults: SerialDefaults,
  profiles: string | ProfileSource,
): SerialDeviceFile {
  if (typeof profiles === 'string') profiles = directorySource(profiles);
  for (const k of Object.keys(doc))
    if (k !== 'bus' && k !== 'device') fail(source, `unknown table [${k}] (known: [[bus]], [[device]])`);
  const busList = (doc.bus ?? []) as unknown;
  const devList = (doc.device ?? []) as unknown;
  if (!Array.isArray(busList) || !Array.isArray(devList))
    fail(source, 'bus and device must be arrays of tables ([[bus]], [[device]])');
  const src = profiles;
  const buses = (busList as Table[]).map((b, i) => parseBus(b, `${source}: bus[${i}]`, defaults, src));
  const byName = new Map<string, BusSpec>();
  for (const b of buses) {
    if (byName.has(b.name)) fail(source, `bus ${b.name} is defined twice`);
    if ([...byName.values()].some((o) => o.line.path === b.line.path))
      fail(source, `port ${b.line.path} is used by two buses`);
    byName.set(b.name, b);
  }
  const ids = new Set<string>();
  const devices = (devList as Table[]).map((t, i): SerialDeviceSpec => {
    const where = `${source}: device[${i}]`;
    const only = ['bus', 'address', 'id', 'interval_ms', 'priority', 'reading_priority', 'profile', 'serial'];
    for (const k of Object.keys(t)) if (!only.includes(k)) fail(where, `unknown key ${k} (known: ${only.join(', ')})`);
    const bus =
      byName.get(String(t.bus)) ??
      fail(where, `bus ${shown(t.bus)} is not defined (known: ${[...byName.keys()].join(', ') || 'none'})`);
    const address = normaliseAddress(bus.protocol, t.address, where);
    const named = fromProfile(t, src, where);
    const spec =
      t.serial ??
      named?.spec ??
      (bus.protocol === 'modbus' ? fail(where, 'needs a profile or a [device.serial] binding') : undefined);
    const binding =
      spec === undefined
        ? bus.discoverBinding
        : validateSerialBinding(spec, named ? `${where} (profile ${named.profile})` : where);
    if (binding.protocol !== bus.protocol)
      fail(
        where,
        `binding protocol ${binding.protocol}${named ? ` (profile ${named.profile})` : ''} does not match bus ${bus.name} (${bus.protocol})`,
      );
    const profile = named?.profile ?? (spec === undefined ? bus.profile : undefined);
    const id = pick(
      t,
      'id',
      where,
      'string',
      `${bus.protocol}:${bus.protocol === 'modbus' ? `${bus.name}:` : ''}${address}`,
      (v) => v.length > 0,
    );
    if (ids.has(id)) fail(where, `device id ${id} is used twice`);
    ids.add(id);
    const prio = pick(
      t,
      'priority',
      where,
      'string',
      'normal',
      (v) => Object.hasOwn(POLL_PRIORITIES, v),
      'high, normal or low',
    );
    const rprio = pick(
      t,
      'reading_priority',
      where,
      'string',
      'normal',
      (v) => Object.hasOwn(READING_PRIORITIES, v),
      'alarm, normal or bulk',
    );
    return {
      id,
      bus: bus.name,
      address,
      binding,
      intervalMs: pick(t, 'interval_ms', where, 'number', bus.intervalMs, posInt, 'a positive integer'),
      pollPriority: POLL_PRIORITIES[prio]!,
      readingPriority: READING_PRIORITIES[rprio]!,
      ...(profile ? { profile } : {}),
    };
  });
  const seen = new Set<string>();
  for (const d of devices) {
    const k = `${d.bus}/${d.address}`;
    if (seen.has(k)) fail(source, `two devices on bus ${d.bus} have address ${d.address}`);
    seen.add(k);
  }
  return { buses, devices };
}

export function loadDeviceFile(
  path: string,
  defaults: SerialDefaults,
  profiles: string | ProfileSource,
): SerialDeviceFile {
  let doc: Table;
  try {
    doc = parseToml(readFileSync(path, 'utf8'), path);
  } catch (e) {
    fail(path, tomlErrorText(e));
  }
  return parseDeviceFile(doc, path, defaults, profiles);
}
