/**
 * Error codes are a type (issue 18 item 2): a code in no table does not compile, every table is in
 * a catalog, HTTP statuses live in the tables, and no code is dead.
 */
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../common/paths.js';
import ts from 'typescript';
import { YiwangError, registerErrors, type ErrorTable } from '../../common/errors.js';
import { EDGE_ERROR_TABLES, edgeHttpStatus, isEdgeErrorCode, registerEdgeErrors } from '../../edge/error-catalog.js';
import { CLOUD_ERROR_TABLES, cloudHttpStatus, isCloudErrorCode } from '../../cloud/error-catalog.js';

const ROOT = REPO_ROOT;
const tables: readonly ErrorTable[] = [...new Set<ErrorTable>([...EDGE_ERROR_TABLES, ...CLOUD_ERROR_TABLES])];

/** Source files of the shipped code and the scripts (what may throw or name a code). */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mjs|toml)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}
const SOURCES = ['common', 'proto', 'edge', 'cloud', 'scripts', 'firmware-profiles'].flatMap(sources);
const TABLE_FILES = SOURCES.filter(
  (f) => /errors\.ts$|config\.ts$/.test(f) && /= defineErrors\(/.test(readFileSync(join(ROOT, f), 'utf8')),
);

t.test('a code that is in no table does not compile', async (t) => {
  const fixture = join(ROOT, 'test/common/fixtures/error-code-typo.ts');
  const cfg = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const program = ts.createProgram([fixture], { ...cfg!.options, noEmit: true });
  const diags = ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) => `${d.file ? relative(ROOT, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
  // each `@ts-expect-error` line must fail (else TS2578 "unused directive"); the known codes must pass
  t.same(diags, [], 'the fixture type-checks exactly as its @ts-expect-error lines say');
});

t.test('every table is in a catalog', async (t) => {
  t.ok(TABLE_FILES.length >= 12, `found the tables (${TABLE_FILES.join(', ')})`);
  for (const f of TABLE_FILES) {
    // the compiled module (npm test builds first): the table objects the catalogs hold are those
    const mod = (await import(pathToFileURL(join(ROOT, 'dist', f.replace(/\.ts$/, '.js'))).href)) as Record<
      string,
      unknown
    >;
    const names = [...readFileSync(join(ROOT, f), 'utf8').matchAll(/export const (\w+) = defineErrors\(/g)].map(
      (m) => m[1]!,
    );
    for (const name of names)
      t.ok(
        tables.includes(mod[name] as ErrorTable),
        `${f}: ${name} is listed in edge/error-catalog.ts or cloud/error-catalog.ts`,
      );
  }
});

t.test('codes are unique across tables and the catalogs register', async (t) => {
  const seen = new Map<string, number>();
  for (const table of tables) for (const code of Object.keys(table)) seen.set(code, (seen.get(code) ?? 0) + 1);
  t.same(
    [...seen].filter(([, n]) => n > 1),
    [],
    'no code in two tables',
  );
  const e = new YiwangError('EDGE_ERR_NOT_FOUND', 'x');
  t.equal(e.hint, '', 'no hint before the tables are registered');
  registerEdgeErrors();
  registerErrors(...CLOUD_ERROR_TABLES);
  t.match(e.hint, /different versions/, 'the hint once they are (looked up when read)');
  t.match(new YiwangError('CLOUD_ERR_NOT_FOUND', 'x').toJSON(), {
    code: 'CLOUD_ERR_NOT_FOUND',
    message: 'x',
    hint: /GET \/api\/v1/,
  });
  t.throws(() => registerErrors({ EDGE_ERR_NOT_FOUND: { summary: 'another', hint: 'another' } }), /defined twice/);
  t.throws(() => registerErrors({ NOT_A_CODE: { summary: 'x', hint: 'x' } }), /bad error code name/);
});

t.test('HTTP statuses come from the tables', async (t) => {
  for (const table of tables) {
    for (const [code, spec] of Object.entries(table)) {
      if (spec.http !== undefined)
        t.ok(
          Number.isInteger(spec.http) && spec.http >= 400 && spec.http <= 599,
          `${code}: http ${spec.http} is an error status`,
        );
    }
  }
  t.equal(cloudHttpStatus('CLOUD_ERR_HOST_NOT_ALLOWED', 500), 421);
  t.equal(cloudHttpStatus('CLOUD_ERR_STORE', 500), 500, 'no http: the fallback');
  t.equal(edgeHttpStatus('LWM2M_ERR_QUEUE_FULL', 400), 429);
  t.equal(edgeHttpStatus('EDGE_ERR_NOT_FOUND', 400), 404);
  t.equal(edgeHttpStatus('HJ212_ERR_CRC', 400), 400);
  t.ok(isEdgeErrorCode('HJ212_ERR_CRC') && !isEdgeErrorCode('CLOUD_ERR_STORE') && !isEdgeErrorCode(undefined));
  t.ok(isCloudErrorCode('WIRE_ERR_DECODE') && !isCloudErrorCode('EDGE_ERR_NOT_FOUND'));
});

t.test('no dead codes: every code is named outside its table (not only in comments)', async (t) => {
  const code = SOURCES.filter((f) => !TABLE_FILES.includes(f))
    .map((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\*|\/\/|\/\*|#)/.test(l))
        .map((l) => l.replace(/\s\/\/.*$/, ''))
        .join('\n'),
    )
    .join('\n');
  const used = new Set(code.match(/\b[A-Z0-9]+_ERR_[A-Z0-9_]+\b/g));
  const dead = tables.flatMap((table) => Object.keys(table)).filter((c) => !used.has(c));
  t.same(
    dead,
    [],
    'codes no source file throws, returns or names (remove them with their docs/reference/errors.md rows)',
  );
});
