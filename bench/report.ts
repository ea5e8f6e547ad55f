/** Shared output of benchmarks: JSON in bench/results/<name>.json and the `<name>: k=v …` last line. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../common/paths.js';

export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

export function report(name: string, figures: Record<string, number>, details: Record<string, unknown> = {}): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = { name, at: new Date().toISOString(), node: process.version, figures, details };
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
  const line = Object.entries(figures)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(3)}`)
    .join(' ');
  console.log(`${name}: ${line}`);
}

export function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}
