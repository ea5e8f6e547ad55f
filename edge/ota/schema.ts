/**
 * What a remote (desired) configuration may set on a gateway, and its validation
 * (docs/reference/config-rollout.md). Unknown sections and keys are errors, so a typo fails
 * loudly on the first gateway of a rollout instead of being ignored everywhere.
 */
import TOML from '@iarna/toml';
import { YiwangError } from '../../common/errors.js';
import '../errors.js';

export interface OtaConfig {
  sync: { max_bytes_per_s?: number; daily_bytes?: number; health_interval_ms?: number };
  sampling: { default_interval_s?: number };
  profiles: { enabled?: string[] };
  devices: { allow?: string[]; deny?: string[] };
  thresholds: Record<string, { min?: number; max?: number }>;
  cameras: Record<string, string | number | boolean>;
}

type Table = Record<string, unknown>;
const invalid = (key: string, why: string): never => { throw new YiwangError('EDGE_ERR_CONFIG_INVALID', `${key}: ${why}`); };
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function int(t: Table, section: string, key: string, min: number): number | undefined {
  const v = t[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) return invalid(`${section}.${key}`, `must be an integer ≥ ${min}`);
  return v;
}
function strs(t: Table, section: string, key: string): string[] | undefined {
  const v = t[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !x)) return invalid(`${section}.${key}`, 'must be an array of non-empty strings');
  return v as string[];
}
function only(t: Table, section: string, keys: string[]): void {
  for (const k of Object.keys(t)) if (!keys.includes(k)) invalid(`${section}.${k}`, `unknown key (known: ${keys.join(', ')})`);
}

export function parseOtaConfig(toml: string): OtaConfig {
  let doc: Table;
  try {
    doc = TOML.parse(toml) as Table;
  } catch (err) {
    return invalid('toml', (err as Error).message);
  }
  const sec = (name: string): Table => {
    const v = doc[name] ?? {};
    return isTable(v) ? v : invalid(name, 'must be a table');
  };
  for (const k of Object.keys(doc)) if (!['sync', 'sampling', 'profiles', 'devices', 'thresholds', 'cameras'].includes(k)) invalid(k, 'unknown section');
  const sync = sec('sync'), sampling = sec('sampling'), profiles = sec('profiles'), devices = sec('devices'), thresholds = sec('thresholds'), cameras = sec('cameras');
  only(sync, 'sync', ['max_bytes_per_s', 'daily_bytes', 'health_interval_ms']);
  only(sampling, 'sampling', ['default_interval_s']);
  only(profiles, 'profiles', ['enabled']);
  only(devices, 'devices', ['allow', 'deny']);
  const th: OtaConfig['thresholds'] = {};
  for (const [metric, v] of Object.entries(thresholds)) {
    if (!isTable(v)) invalid(`thresholds.${metric}`, 'must be a table with min and/or max');
    const tv = v as Table;
    only(tv, `thresholds.${metric}`, ['min', 'max']);
    for (const k of ['min', 'max'] as const) if (tv[k] !== undefined && typeof tv[k] !== 'number') invalid(`thresholds.${metric}.${k}`, 'must be a number');
    if (typeof tv.min === 'number' && typeof tv.max === 'number' && tv.min > tv.max) invalid(`thresholds.${metric}`, 'min is above max');
    th[metric] = { min: tv.min as number | undefined, max: tv.max as number | undefined };
  }
  for (const [k, v] of Object.entries(cameras)) if (!['string', 'number', 'boolean'].includes(typeof v)) invalid(`cameras.${k}`, 'must be a string, number or boolean');
  return {
    sync: { max_bytes_per_s: int(sync, 'sync', 'max_bytes_per_s', 0), daily_bytes: int(sync, 'sync', 'daily_bytes', 0), health_interval_ms: int(sync, 'sync', 'health_interval_ms', 1000) },
    sampling: { default_interval_s: int(sampling, 'sampling', 'default_interval_s', 1) },
    profiles: { enabled: strs(profiles, 'profiles', 'enabled') },
    devices: { allow: strs(devices, 'devices', 'allow'), deny: strs(devices, 'devices', 'deny') },
    thresholds: th,
    cameras: cameras as OtaConfig['cameras'],
  };
}
