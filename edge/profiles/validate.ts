/**
 * A parsed profile document → a validated Profile (types.ts). Every error is PROFILE_ERR_FORMAT
 * (or the layout's PROFILE_ERR_LAYOUT) naming the file, the key and its line. The format is
 * documented in docs/reference/profiles.md.
 */
import { isYiwangError, YiwangError } from '../../common/errors.js';
import { compileLayout, type Layout } from './layout/index.js';
import { lineOf, Reader, type Table } from './reader.js';
import { parseRange } from './versions.js';
import { parseVectors } from './validate-vectors.js';
import type {
  AlarmRule,
  CommandDef,
  MatchRules,
  MetricDef,
  MetricType,
  PriorityName,
  Profile,
  ScalarValue,
  ScriptRef,
  SeverityName,
  TransportBindings,
  WireDecoder,
} from './types.js';

/** Validators for the transport slots owned by other adapters (serial, hj212), when present. */
export interface BindingValidators {
  serial: (spec: unknown, where: string) => unknown;
  hj212: (spec: unknown, where: string) => unknown;
  /** Frame decoders for the vectors of serial / HJ 212 profiles (edge/southbound/{serial,hj212}/vector-frames.ts). */
  serialWire: (spec: unknown, where: string) => WireDecoder;
  hj212Wire: (spec: unknown, where: string) => WireDecoder;
}

export interface ValidateInput {
  /** The profile's id ("vendor/model") and the file name used in messages. */
  id: string;
  file: string;
  text: string;
  doc: Table;
  /** Reads a script next to the profile (relative name) → its source. */
  readScript?: (name: string) => string;
  bindings: BindingValidators;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const LWM2M_PATH = /^\/\d{1,5}\/\d{1,5}\/\d{1,5}$/;
const PRIORITIES: readonly PriorityName[] = ['alarm', 'normal', 'bulk'];
const SEVERITIES: readonly SeverityName[] = ['info', 'warning', 'critical'];
const TOP = [
  'profile',
  'match',
  'transport',
  'layout',
  'downlink',
  'script',
  'metrics',
  'alarms',
  'commands',
  'vectors',
];

function compile(r: Reader, key: 'layout' | 'downlink'): Layout | undefined {
  const spec = r.raw(key);
  if (spec === undefined) return undefined;
  try {
    return compileLayout(spec, `${r.file} [${key}]`);
  } catch (e) {
    if (!isYiwangError(e)) throw e;
    // "file [layout]: fields[2].scale must …" → add the line of that key.
    const m = /\[(?:layout|downlink)\]: (?:unknown key )?([A-Za-z0-9_.[\]"-]+)/.exec(e.message);
    const line = m ? lineOf(r.text, `${key}.${m[1]}`) : undefined;
    throw new YiwangError(e.code, `${e.message}${line ? ` (line ${line})` : ''}`, { cause: e });
  }
}

function identity(
  r: Reader,
): Pick<Profile, 'vendor' | 'model' | 'description' | 'aliases' | 'firmware' | 'reportingIntervalS'> {
  const p = r.child('profile') ?? r.fail('profile', 'is required: a [profile] table with vendor and model');
  p.allow(['vendor', 'model', 'description', 'aliases', 'firmware', 'reporting_interval_s']);
  const parsed = parseRange(p.str('firmware') ?? '*');
  const range = typeof parsed === 'string' ? p.fail('firmware', `is not a version range: ${parsed}`) : parsed;
  const interval = p.int('reporting_interval_s', 1);
  return {
    vendor: p.reqStr('vendor'),
    model: p.reqStr('model'),
    description: p.str('description') ?? '',
    aliases: p.strs('aliases') ?? [],
    firmware: range,
    ...(interval !== undefined ? { reportingIntervalS: interval } : {}),
  };
}

function matchRules(r: Reader): MatchRules {
  const m = r.child('match');
  if (!m) return {};
  m.allow([
    'lwm2m_endpoint',
    'lwm2m_objects',
    'manufacturer',
    'model',
    'coap_path',
    'device',
    'serial_address',
    'hj212_mn',
    'camera_manufacturer',
    'camera_model',
  ]);
  const objects = m.list('lwm2m_objects')?.map((_, i) => {
    const v = (m.raw('lwm2m_objects') as unknown[])[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535)
      m.fail('lwm2m_objects', `[${i}] must be an object id 0..65535 (got ${String(v)})`);
    return v;
  });
  const coapPath = m.str('coap_path');
  if (coapPath !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(coapPath))
    m.fail('coap_path', 'must be one URI path segment (letters, digits, _ . -)');
  const serial = m.raw('serial_address');
  if (serial !== undefined && typeof serial !== 'string' && typeof serial !== 'number')
    m.bad('serial_address', 'a string or an integer');
  const out: Record<string, unknown> = {
    lwm2mEndpoint: m.str('lwm2m_endpoint'),
    lwm2mObjects: objects,
    manufacturer: m.str('manufacturer'),
    model: m.str('model'),
    coapPath,
    device: m.str('device'),
    serialAddress: serial === undefined ? undefined : String(serial),
    hj212Mn: m.str('hj212_mn'),
    cameraManufacturer: m.str('camera_manufacturer'),
    cameraModel: m.str('camera_model'),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  if (Object.keys(out).length === 0) m.fail(undefined, 'has no rule: give at least one key, or leave [match] out');
  return out as MatchRules;
}

function transport(r: Reader, v: BindingValidators, wire: (w: WireDecoder) => void = () => {}): TransportBindings {
  const t = r.child('transport');
  if (!t) return {};
  t.allow(['lwm2m', 'coap', 'serial', 'hj212']);
  const out: { -readonly [K in keyof TransportBindings]: TransportBindings[K] } = {};
  const l = t.child('lwm2m');
  if (l) {
    l.allow(['object19', 'observe']);
    const observe = (l.list('observe') ?? []).map((_, i) => {
      const o = l.item('observe', i);
      o.allow(['path', 'pmin', 'pmax']);
      const path = o.reqStr('path');
      if (!/^\/\d{1,5}(\/\d{1,5}){0,2}$/.test(path))
        o.fail('path', `must be an object, instance or resource path like /3303/0/5700 (got "${path}")`);
      const pmin = o.int('pmin', 0);
      const pmax = o.int('pmax', 1);
      if (pmin !== undefined && pmax !== undefined && pmax < pmin) o.fail('pmax', `must be >= pmin (${pmin})`);
      return { path, ...(pmin !== undefined ? { pmin } : {}), ...(pmax !== undefined ? { pmax } : {}) };
    });
    out.lwm2m = { object19: l.bool('object19') ?? false, observe };
  }
  const c = t.child('coap');
  if (c) {
    c.allow(['raw']);
    out.coap = { raw: c.bool('raw') ?? true };
  }
  for (const slot of ['serial', 'hj212'] as const) {
    const s = t.child(slot);
    if (!s) continue;
    const check = v[slot];
    if (check) check(s.table, `${r.file} [transport.${slot}]`);
    const decoder = slot === 'serial' ? v.serialWire : v.hj212Wire;
    if (decoder) wire(decoder(s.table, `${r.file} [transport.${slot}]`));
    out[slot] = s.table;
  }
  return out;
}

function script(r: Reader, read: ((name: string) => string) | undefined): ScriptRef | undefined {
  const s = r.child('script');
  if (!s) return undefined;
  s.allow(['file', 'timeout_ms', 'memory_mb']);
  const file = s.reqStr('file');
  if (!/^[A-Za-z0-9_.-]+\.m?js$/.test(file))
    s.fail('file', 'must be a .js file name next to the profile (no directories)');
  let source = '';
  if (read) {
    try {
      source = read(file);
    } catch (e) {
      s.fail('file', `cannot be read: ${(e as Error).message}`);
    }
  }
  return { file, source, timeoutMs: s.int('timeout_ms', 1, 50) ?? 50, memoryMb: s.int('memory_mb', 4, 64) ?? 16 };
}

function metrics(r: Reader): Map<string, MetricDef> {
  const out = new Map<string, MetricDef>();
  const m = r.child('metrics');
  if (!m) return out;
  for (const name of Object.keys(m.table)) {
    if (!NAME.test(name)) m.fail(name, 'is not a metric name (letters, digits, _ . -, at most 64)');
    const d = m.child(name)!;
    d.allow(['from', 'lwm2m', 'unit', 'type', 'scale', 'min', 'max', 'out_of_range', 'priority', 'description']);
    const lwm2m = d.str('lwm2m');
    if (lwm2m !== undefined && !LWM2M_PATH.test(lwm2m))
      d.fail('lwm2m', `must be a resource path like /3303/0/5700 (got "${lwm2m}")`);
    const min = d.num('min');
    const max = d.num('max');
    if (min !== undefined && max !== undefined && min > max) d.fail('min', `is above max (${max})`);
    const type = (d.str('type', ['number', 'boolean', 'string']) ?? 'number') as MetricType;
    if (type !== 'number' && (min !== undefined || max !== undefined))
      d.fail(min !== undefined ? 'min' : 'max', `needs type = "number" (type is "${type}")`);
    const scale = d.num('scale');
    if (scale !== undefined && (scale === 0 || !Number.isFinite(scale))) d.bad('scale', 'a non-zero number');
    if (scale !== undefined && type !== 'number') d.fail('scale', `needs type = "number" (type is "${type}")`);
    out.set(name, {
      name,
      from: d.str('from') ?? name,
      ...(lwm2m ? { lwm2m } : {}),
      unit: d.str('unit') ?? '',
      type,
      ...(scale !== undefined && scale !== 1 ? { scale } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      outOfRange: (d.str('out_of_range', ['reject', 'flag']) ?? 'reject') as 'reject' | 'flag',
      priority: (d.str('priority', PRIORITIES) ?? 'normal') as PriorityName,
    });
  }
  return out;
}

function scalarList(a: Reader, key: string): ScalarValue[] | undefined {
  const v = a.raw(key);
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  for (const x of list)
    if (typeof x !== 'string' && typeof x !== 'boolean' && typeof x !== 'number')
      a.bad(key, 'a number, boolean or string, or an array of them');
  return list as ScalarValue[];
}

/**
 * The [metrics] and [[alarms]] of one file on their own (a shared set, or a profile's own before its
 * shared sets are merged), so a mistake is reported with that file's name and line. Alarms of a
 * shared set need a `name` (what a profile overrides).
 */
export function checkDefinitions(file: string, text: string, doc: Table, shared: boolean): void {
  const r = new Reader(file, text, '', doc);
  metrics(r);
  if (shared) for (let i = 0; i < (r.list('alarms') ?? []).length; i++) r.item('alarms', i).reqStr('name');
  alarms(r, new Map()); // which metrics exist is known once the sets are merged
}

function alarms(r: Reader, known: ReadonlyMap<string, MetricDef>): AlarmRule[] {
  const list = r.list('alarms') ?? [];
  const names = new Set<string>();
  return list.map((_, i) => {
    const a = r.item('alarms', i);
    a.allow(['name', 'metric', 'event', 'severity', 'message', 'above', 'below', 'clear', 'equals', 'on_change']);
    const metric = a.reqStr('metric');
    if (known.size > 0 && !known.has(metric))
      a.fail('metric', `names no metric of [metrics] (have: ${[...known.keys()].join(', ')})`);
    const name = a.str('name') ?? `${metric}_${i}`;
    if (names.has(name)) a.fail('name', `"${name}" is used by another alarm`);
    names.add(name);
    const base = {
      name,
      metric,
      event: a.reqStr('event'),
      severity: (a.str('severity', SEVERITIES) ?? 'warning') as SeverityName,
      message: a.str('message') ?? '',
    };
    const above = a.num('above');
    const below = a.num('below');
    const equals = scalarList(a, 'equals');
    const change = a.bool('on_change') ?? false;
    const kinds = [above !== undefined || below !== undefined, equals !== undefined, change].filter(Boolean).length;
    if (kinds !== 1)
      a.fail(undefined, 'needs exactly one condition: above/below (threshold), equals (state) or on_change = true');
    if (above !== undefined && below !== undefined) a.fail('below', 'cannot be combined with above: write two alarms');
    if (equals !== undefined) return { ...base, kind: 'state', equals };
    if (change) return { ...base, kind: 'change' };
    const clear = a.num('clear') ?? (above ?? below)!;
    if (above !== undefined && clear > above)
      a.fail('clear', `must be <= above (${above}): the alarm clears when the value falls to clear`);
    if (below !== undefined && clear < below)
      a.fail('clear', `must be >= below (${below}): the alarm clears when the value rises to clear`);
    return {
      ...base,
      kind: 'threshold',
      ...(above !== undefined ? { above } : {}),
      ...(below !== undefined ? { below } : {}),
      clear,
    };
  });
}

function commands(r: Reader, downlink: Layout | undefined, hasScript: boolean): Map<string, CommandDef> {
  const out = new Map<string, CommandDef>();
  const c = r.child('commands');
  if (!c) return out;
  if (!downlink && !hasScript) c.fail(undefined, 'needs a [downlink] layout or a [script] with encodeDownlink');
  for (const name of Object.keys(c.table)) {
    if (!NAME.test(name)) c.fail(name, 'is not a command name');
    const d = c.child(name)!;
    d.allow(['message', 'values', 'params', 'description']);
    const message = d.str('message');
    if (message !== undefined && downlink && !downlink.messages.has(message))
      d.fail('message', `names no message of [downlink] (have: ${[...downlink.messages.keys()].join(', ') || 'none'})`);
    if (downlink && downlink.switch !== undefined && message === undefined)
      d.fail('message', 'is required: [downlink] has several messages');
    const params = d.strs('params') ?? [];
    const values = d.scalars('values') ?? {};
    if (downlink) {
      for (const k of [...params, ...Object.keys(values)])
        if (!downlink.names.has(k))
          d.fail(params.includes(k) ? 'params' : 'values', `"${k}" is no value of [downlink]`);
    }
    out.set(name, { name, description: d.str('description') ?? '', ...(message ? { message } : {}), values, params });
  }
  return out;
}

export function validateProfile(input: ValidateInput): Profile {
  const r = new Reader(input.file, input.text, '', input.doc);
  r.allow(TOP);
  const id = identity(r);
  const layout = compile(r, 'layout');
  const downlink = compile(r, 'downlink');
  const scr = script(r, input.readScript);
  if (layout && scr) r.fail('script', 'cannot be combined with [layout]: use one decoder');
  const ms = metrics(r);
  const seen = new Map<string, string>();
  for (const d of ms.values())
    if (d.lwm2m) {
      if (seen.has(d.lwm2m)) r.fail(`metrics.${d.name}.lwm2m`, `repeats ${d.lwm2m} of metric ${seen.get(d.lwm2m)}`);
      seen.set(d.lwm2m, d.name);
    }
  const warnings: string[] = [];
  if (layout && ms.size > 0) {
    for (const d of ms.values())
      if (!d.lwm2m && !layout.names.has(d.from))
        r.fail(
          `metrics.${d.name}${d.from === d.name ? '' : '.from'}`,
          `names no value of [layout] ("${d.from}"; have: ${[...layout.names].join(', ')})`,
        );
    const used = new Set([...ms.values()].map((d) => d.from));
    const unused = [...layout.names].filter((n) => !used.has(n));
    if (unused.length)
      warnings.push(`${input.file}: layout values not mapped to a metric (not passed on): ${unused.join(', ')}`);
  }
  let wire: WireDecoder | undefined;
  const transportB = transport(r, input.bindings, (w) => {
    wire ??= w;
  });
  if (wire && (layout || scr)) wire = undefined; // a [layout] / [script] decodes the vectors
  const profile: Profile = {
    id: input.id,
    file: input.file,
    ...id,
    match: matchRules(r),
    transport: transportB,
    ...(layout ? { layout } : {}),
    ...(downlink ? { downlink } : {}),
    ...(scr ? { script: scr } : {}),
    ...(wire ? { wire } : {}),
    metrics: ms,
    alarms: alarms(r, ms),
    commands: commands(r, downlink, scr !== undefined),
    vectors: [],
    warnings,
  };
  if (transportB.lwm2m?.object19 && !layout && !scr)
    r.fail('transport.lwm2m.object19', 'needs a [layout] or a [script] to decode the payloads');
  if (transportB.coap?.raw && !layout && !scr)
    r.fail('transport.coap.raw', 'needs a [layout] or a [script] to decode the payloads');
  if (!layout && !scr && ms.size === 0 && Object.keys(transportB).length === 0)
    r.fail(
      undefined,
      'decodes nothing: give a [layout], a [script], [metrics] with lwm2m paths or a transport binding',
    );
  return { ...profile, vectors: parseVectors(r, profile) };
}
