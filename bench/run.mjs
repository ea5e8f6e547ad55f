// Benchmark runner: `npm run bench -- <name> [options]` runs dist/bench/<name>.bench.js (built by
// `npm run bench`), which prints its figures and writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const names = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <${names.join('|')}> [options]`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--expose-gc', join(root, 'dist', 'bench', `${name}.bench.js`), ...args], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
