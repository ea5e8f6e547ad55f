/**
 * What a desired (remote) configuration may set on a gateway (docs/reference/config-rollout.md):
 * the sections, their keys and ranges, and one validator that lists every problem with its key
 * path and reason. The edge (edge/remote-config/schema.ts) rejects a document with any problem; the cloud
 * (cloud/rollout/validate.ts) refuses such a layer before it is stored, so a typo never reaches
 * a rollout. Pure data and checks: no I/O, nothing of edge or cloud.
 *
 * The `sync` ranges are those of the same keys in the agent's own file (EDGE_SCHEMA.sync in
 * edge/config.ts); test/cloud/rollout/schema.test.ts keeps the two in step.
 */

export type Table = Record<string, unknown>;

/** Why a key is refused. */
export type ConfigIssueReason = 'unknown-section' | 'unknown-key' | 'wrong-type' | 'out-of-range';

/** One problem of a document: the key path (`sync.daily_bytes`), the reason, and what is expected. */
export interface ConfigIssue {
  path: string;
  reason: ConfigIssueReason;
  detail: string;
}

/** A key of a fixed-key section. */
export type DesiredKey = { kind: 'integer'; min: number; doc: string } | { kind: 'strings'; doc: string };

/** A section: fixed keys, a table of per-name tables with fixed number keys, or free scalar keys. */
export type DesiredSection =
  | { shape: 'keys'; keys: Record<string, DesiredKey> }
  | { shape: 'tables'; keys: Record<string, { kind: 'number'; doc: string }>; doc: string }
  | { shape: 'scalars'; doc: string };

export const DESIRED_SCHEMA: Record<string, DesiredSection> = {
  sync: {
    shape: 'keys',
    keys: {
      max_bytes_per_s: { kind: 'integer', min: 0, doc: 'uplink bandwidth cap, bytes per second (0 = none)' },
      daily_bytes: { kind: 'integer', min: 0, doc: 'daily uplink byte budget (0 = unlimited)' },
      health_interval_ms: { kind: 'integer', min: 1000, doc: 'interval of Health messages' },
    },
  },
  sampling: {
    shape: 'keys',
    keys: { default_interval_s: { kind: 'integer', min: 1, doc: 'default sampling interval' } },
  },
  profiles: {
    shape: 'keys',
    keys: { enabled: { kind: 'strings', doc: 'profiles (vendor/model) every gateway must have installed' } },
  },
  devices: {
    shape: 'keys',
    keys: {
      allow: { kind: 'strings', doc: 'when non-empty, only these devices are kept' },
      deny: { kind: 'strings', doc: 'devices whose readings are dropped at the edge' },
    },
  },
  thresholds: {
    shape: 'tables',
    doc: 'per metric: [thresholds.<metric>] with min and/or max (min ≤ max)',
    keys: { min: { kind: 'number', doc: 'lower bound' }, max: { kind: 'number', doc: 'upper bound' } },
  },
  cameras: { shape: 'scalars', doc: 'camera settings: strings, numbers or booleans' },
};

const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A value as written, for messages (TOML integers beyond 2^53 are bigints). */
function shown(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

function checkKey(rule: DesiredKey, v: unknown, path: string, out: ConfigIssue[]): void {
  if (rule.kind === 'integer') {
    const want = `must be an integer ≥ ${rule.min} (got ${shown(v)})`;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) out.push({ path, reason: 'wrong-type', detail: want });
    else if (v < rule.min) out.push({ path, reason: 'out-of-range', detail: want });
    return;
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !x))
    out.push({ path, reason: 'wrong-type', detail: `must be an array of non-empty strings (got ${shown(v)})` });
}

/** Every problem of a parsed document (an empty list: the gateways accept it). */
export function checkDesiredConfig(doc: Table): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const sections = Object.keys(DESIRED_SCHEMA);
  for (const [name, value] of Object.entries(doc)) {
    const sec = Object.hasOwn(DESIRED_SCHEMA, name) ? DESIRED_SCHEMA[name] : undefined;
    if (!sec) {
      out.push({ path: name, reason: 'unknown-section', detail: `unknown section (known: ${sections.join(', ')})` });
      continue;
    }
    if (!isTable(value)) {
      out.push({ path: name, reason: 'wrong-type', detail: `must be a table ([${name}]), got ${shown(value)}` });
      continue;
    }
    if (sec.shape === 'keys') {
      const known = Object.keys(sec.keys);
      for (const [k, v] of Object.entries(value)) {
        const rule = Object.hasOwn(sec.keys, k) ? sec.keys[k] : undefined;
        if (!rule)
          out.push({ path: `${name}.${k}`, reason: 'unknown-key', detail: `unknown key (known: ${known.join(', ')})` });
        else checkKey(rule, v, `${name}.${k}`, out);
      }
    } else if (sec.shape === 'tables') {
      const known = Object.keys(sec.keys);
      for (const [item, t] of Object.entries(value)) {
        const at = `${name}.${item}`;
        if (!isTable(t)) {
          out.push({
            path: at,
            reason: 'wrong-type',
            detail: `must be a table with ${known.join(' and/or ')} (got ${shown(t)})`,
          });
          continue;
        }
        for (const [k, v] of Object.entries(t)) {
          if (!Object.hasOwn(sec.keys, k))
            out.push({ path: `${at}.${k}`, reason: 'unknown-key', detail: `unknown key (known: ${known.join(', ')})` });
          else if (typeof v !== 'number')
            out.push({ path: `${at}.${k}`, reason: 'wrong-type', detail: `must be a number (got ${shown(v)})` });
        }
        if (typeof t.min === 'number' && typeof t.max === 'number' && t.min > t.max)
          out.push({ path: at, reason: 'out-of-range', detail: `min is above max (${t.min} > ${t.max})` });
      }
    } else {
      for (const [k, v] of Object.entries(value)) {
        if (!['string', 'number', 'boolean'].includes(typeof v))
          out.push({
            path: `${name}.${k}`,
            reason: 'wrong-type',
            detail: `must be a string, number or boolean (got ${shown(v)})`,
          });
      }
    }
  }
  return out;
}

/** `sync.daily_byte: unknown key (known: …)`, one issue. */
export const issueText = (i: ConfigIssue): string => `${i.path}: ${i.detail}`;
