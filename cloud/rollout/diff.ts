/**
 * Key-level differences between two configuration documents (`config diff`, `config set
 * --dry-run`): every leaf key path that was added, removed or changed, in sorted order. Arrays and
 * scalars are leaves (a layer merge replaces them whole); tables are walked.
 */
import { isTable, type Table } from './merge.js';

export interface ConfigChange {
  path: string;
  op: 'add' | 'remove' | 'change';
  before?: unknown;
  after?: unknown;
}

const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a) === JSON.stringify(b) && a instanceof Date === b instanceof Date;

export function diffTables(before: Table, after: Table, prefix = ''): ConfigChange[] {
  const out: ConfigChange[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const path = prefix ? `${prefix}.${k}` : k;
    const a = Object.hasOwn(before, k) ? before[k] : undefined,
      b = Object.hasOwn(after, k) ? after[k] : undefined;
    if (isTable(a) && isTable(b)) out.push(...diffTables(a, b, path));
    else if (a === undefined && isTable(b)) out.push(...diffTables({}, b, path));
    else if (isTable(a) && b === undefined) out.push(...diffTables(a, {}, path));
    else if (a === undefined) out.push({ path, op: 'add', after: b });
    else if (b === undefined) out.push({ path, op: 'remove', before: a });
    else if (!same(a, b)) out.push({ path, op: 'change', before: a, after: b });
  }
  return out;
}

const show = (v: unknown): string =>
  v instanceof Date
    ? v.toISOString()
    : (JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v));

/** One line per change: `+ sync.daily_bytes = 2000`, `- devices.deny = ["x"]`, `~ sync.daily_bytes: 1000 -> 2000`. */
export function formatChanges(changes: ConfigChange[]): string[] {
  return changes.map((c) =>
    c.op === 'add'
      ? `+ ${c.path} = ${show(c.after)}`
      : c.op === 'remove'
        ? `- ${c.path} = ${show(c.before)}`
        : `~ ${c.path}: ${show(c.before)} -> ${show(c.after)}`,
  );
}
