/**
 * The dependency rules of DESIGN.md, checked on every source file of the repository (rules.ts), and
 * the checker itself on small in-memory trees: each kind of import is seen and a forbidden one fails.
 */
import t from 'tap';
import { REPO_ROOT } from '../../common/paths.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkImports, describe, importsOf, resolveTarget, type Rule } from './imports.js';
import { ALLOWED, RULES } from './rules.js';

const ROOT = REPO_ROOT;
const TOP = ['proto', 'common', 'edge', 'cloud', 'scripts', 'bench', 'test'];
const SKIP = new Set(['node_modules', 'dist', '.git']);

function sources(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(e.name)) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts'))
        out.set(relative(ROOT, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  for (const d of TOP) walk(join(ROOT, d));
  return out;
}

t.test('the tree follows the dependency rules (known debt excepted)', async (t) => {
  const files = sources();
  t.ok(files.size > 300, `read ${files.size} source files`);
  const { violations, unused } = checkImports(files, RULES, ALLOWED);
  t.same(violations.map(describe), [], 'forbidden imports');
  t.same(
    unused.filter((a) => !a.mayVanish).map((a) => `${a.rule}: ${a.from} → ${a.to}`),
    [],
    'allow-list entries that match nothing any more: take them off',
  );
});

t.test('every rule names files that exist', async (t) => {
  const files = [...sources().keys()];
  for (const r of RULES)
    for (const f of r.from)
      t.ok(
        files.some((x) => x === f || x.startsWith(f)),
        `${r.name}: ${f}`,
      );
});

t.test('the parser sees every kind of import', async (t) => {
  const src = [
    "import a from './a.js';",
    "import type { B } from '../b.js';",
    "import './side.js';",
    "export { c } from './c.js';",
    "export * from 'node:fs';",
    "import e = require('coap');",
    "const f = require('mqtt');",
    "const g = await import('./g.js');",
    "let h: import('better-sqlite3').Database;",
    'const i = await import(name);',
    "// import x from './comment.js'",
    'const s = "import y from \'./string.js\'";',
  ].join('\n');
  const refs = importsOf('edge/x.ts', src);
  t.same(
    refs.map((r) => [r.kind, r.specifier, r.line]),
    [
      ['import', './a.js', 1],
      ['import type', '../b.js', 2],
      ['import', './side.js', 3],
      ['export from', './c.js', 4],
      ['export from', 'node:fs', 5],
      ['require', 'coap', 6],
      ['require', 'mqtt', 7],
      ['dynamic import', './g.js', 8],
      ['type import()', 'better-sqlite3', 9],
      ['dynamic import', '', 10],
    ],
  );
  t.ok(refs[9]?.computed, 'import(name) is marked computed');
});

t.test('targets resolve to repository paths and packages', async (t) => {
  t.equal(resolveTarget('edge/profiles/simulate.ts', '../../scripts/sim/x.js'), 'scripts/sim/x');
  t.equal(resolveTarget('edge/a.ts', 'fs/promises'), 'node:fs');
  t.equal(resolveTarget('edge/a.ts', 'node:dgram'), 'node:dgram');
  t.equal(resolveTarget('edge/a.ts', '@serialport/bindings-cpp'), '@serialport/bindings-cpp');
  t.equal(resolveTarget('edge/a.ts', 'coap-packet'), 'coap-packet');
});

t.test('the checker fails on a forbidden import (in-memory tree)', async (t) => {
  const rules: Rule[] = [
    { name: 'no-test', why: 'shipped code never imports test/', from: ['edge/'], forbid: ['test/'], noComputed: true },
    {
      name: 'core-no-io',
      why: 'cores import no I/O',
      from: ['edge/core/'],
      forbid: ['node:dgram', 'coap'],
      transitive: true,
    },
  ];
  const clean = new Map([
    ['edge/core/frame.ts', "import { crc } from './crc.js';"],
    ['edge/core/crc.ts', 'export const crc = 1;'],
    ['edge/agent.ts', "import { crc } from './core/crc.js';\nimport coap from 'coap';"],
    ['test/helpers/wait.ts', 'export const until = 1;'],
  ]);
  t.same(checkImports(clean, rules).violations, [], 'a clean tree passes');

  const bad = new Map(clean);
  bad.set(
    'edge/profiles/simulate.ts',
    "import type { W } from '../../test/helpers/wait.js';\nconst m = await import(spec);",
  );
  bad.set('edge/core/crc.ts', "import { createSocket } from 'dgram';\nexport const crc = 1;");
  const { violations } = checkImports(bad, rules);
  t.same(
    violations.map((v) => [v.rule, v.from, v.to, v.line, v.via ?? '']).sort(),
    [
      ['core-no-io', 'edge/core/crc.ts', 'node:dgram', 1, ''],
      ['core-no-io', 'edge/core/frame.ts', 'node:dgram', 1, 'edge/core/crc.ts'],
      ['no-test', 'edge/profiles/simulate.ts', '<computed import()>', 2, ''],
      ['no-test', 'edge/profiles/simulate.ts', 'test/helpers/wait', 1, ''],
    ],
    'a type-only import, a computed import() and an I/O import two modules down are all caught',
  );

  const allowed = [
    { rule: 'no-test', from: 'edge/profiles/simulate.ts', to: 'test/', why: 'debt' },
    { rule: 'no-test', from: 'edge/gone.ts', to: 'test/', why: 'fixed' },
  ];
  const r = checkImports(bad, rules, allowed);
  t.same(
    r.violations.map((v) => [v.rule, v.to]),
    [
      ['no-test', '<computed import()>'],
      ['core-no-io', 'node:dgram'],
      ['core-no-io', 'node:dgram'],
    ],
    'an allow-list entry excuses the imports it names only',
  );
  t.same(
    r.unused.map((a) => a.from),
    ['edge/gone.ts'],
    'an entry that matches nothing is reported',
  );
});
