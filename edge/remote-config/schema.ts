/**
 * What a remote (desired) configuration may set on a gateway, and its validation
 * (docs/reference/config-rollout.md). Unknown sections and keys are errors, so a typo fails
 * loudly instead of being ignored everywhere. The schema and its checks live in
 * common/desired-config-schema.ts, shared with the cloud, which refuses such a layer before it
 * is stored.
 */
import { YiwangError } from '../../common/errors.js';
import { definedProps } from '../../common/defined.js';
import { parseToml, type TomlSyntaxError } from '../../common/toml-read.js';
import { checkDesiredConfig, issueText, type Table } from '../../common/desired-config-schema.js';

export interface DesiredConfig {
  sync: { max_bytes_per_s?: number; daily_bytes?: number; health_interval_ms?: number };
  sampling: { default_interval_s?: number };
  profiles: { enabled?: string[] };
  devices: { allow?: string[]; deny?: string[] };
  thresholds: Record<string, { min?: number; max?: number }>;
  cameras: Record<string, string | number | boolean>;
}

const invalid = (key: string, why: string): never => {
  throw new YiwangError('EDGE_ERR_CONFIG_INVALID', `${key}: ${why}`);
};
const table = (v: unknown): Table => (v ?? {}) as Table;

export function parseDesiredConfig(toml: string): DesiredConfig {
  let doc: Table;
  try {
    doc = parseToml(toml, 'toml');
  } catch (err) {
    return invalid('toml', (err as TomlSyntaxError).what);
  }
  const issues = checkDesiredConfig(doc);
  if (issues.length) throw new YiwangError('EDGE_ERR_CONFIG_INVALID', issues.map(issueText).join('; '));
  const sec = (name: string): Table => table(doc[name]);
  const sync = sec('sync'),
    sampling = sec('sampling'),
    profiles = sec('profiles'),
    devices = sec('devices'),
    thresholds = sec('thresholds'),
    cameras = sec('cameras');
  const int = (t: Table, k: string): number | undefined => t[k] as number | undefined;
  const strs = (t: Table, k: string): string[] | undefined => t[k] as string[] | undefined;
  // null prototype: a metric named __proto__ or constructor is a plain entry, like any other
  const th: DesiredConfig['thresholds'] = Object.create(null) as DesiredConfig['thresholds'];
  for (const [metric, v] of Object.entries(thresholds))
    th[metric] = definedProps({
      min: (v as Table).min as number | undefined,
      max: (v as Table).max as number | undefined,
    });
  return {
    sync: definedProps({
      max_bytes_per_s: int(sync, 'max_bytes_per_s'),
      daily_bytes: int(sync, 'daily_bytes'),
      health_interval_ms: int(sync, 'health_interval_ms'),
    }),
    sampling: definedProps({ default_interval_s: int(sampling, 'default_interval_s') }),
    profiles: definedProps({ enabled: strs(profiles, 'enabled') }),
    devices: definedProps({ allow: strs(devices, 'allow'), deny: strs(devices, 'deny') }),
    thresholds: th,
    cameras: cameras as DesiredConfig['cameras'],
  };
}
