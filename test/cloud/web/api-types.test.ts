/**
 * The API's response shapes have one home, cloud/http/api-types.d.ts, which the dashboard
 * (cloud/web/src) imports: the dashboard declares none of them itself (by name, or as a copy of a
 * shape's fields under another name), imports nothing else from outside its folder, and its build
 * emits only its own scripts with no trace of the shared file. The shared file imports nothing
 * and type-checks on its own (both projects skip checking .d.ts files).
 */
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../../common/paths.js';

const SHARED = join(REPO_ROOT, 'cloud', 'http', 'api-types.d.ts');
const WEB_SRC = join(REPO_ROOT, 'cloud', 'web', 'src');
const WEB_CONFIG = join(REPO_ROOT, 'cloud', 'web', 'tsconfig.json');

const parse = (file: string, text: string): ts.SourceFile =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
const memberNames = (members: ts.NodeArray<ts.TypeElement>): string[] =>
  members.flatMap((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? [m.name.text] : []));

/** The named object shapes of a file: interfaces and type aliases of a type literal, with their own field names. */
function shapesOf(sf: ts.SourceFile): { name: string; fields: string[]; line: number }[] {
  const out: { name: string; fields: string[]; line: number }[] = [];
  const visit = (n: ts.Node): void => {
    const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    if (ts.isInterfaceDeclaration(n)) out.push({ name: n.name.text, fields: memberNames(n.members), line });
    else if (ts.isTypeAliasDeclaration(n))
      out.push({ name: n.name.text, fields: ts.isTypeLiteralNode(n.type) ? memberNames(n.type.members) : [], line });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * What a dashboard file redeclares of the shared shapes: a declaration with a shared type's name,
 * or an object shape of at least three fields that are all fields of one shared shape (a copy renamed).
 */
function redeclared(file: string, text: string, shared: { name: string; fields: string[] }[]): string[] {
  const names = new Set(shared.map((s) => s.name));
  const found: string[] = [];
  for (const d of shapesOf(parse(file, text))) {
    if (names.has(d.name)) {
      found.push(`${file}:${d.line} declares ${d.name}, an API type: import it from cloud/http/api-types.js`);
      continue;
    }
    const copy = d.fields.length >= 3 && shared.find((s) => d.fields.every((f) => s.fields.includes(f)));
    if (copy)
      found.push(
        `${file}:${d.line} declares ${d.name} with fields of the API type ${copy.name}: import that from cloud/http/api-types.js`,
      );
  }
  return found;
}

const sharedText = readFileSync(SHARED, 'utf8');
const sharedSf = parse(SHARED, sharedText);
const shared = shapesOf(sharedSf);
const webFiles = readdirSync(WEB_SRC).filter((f) => f.endsWith('.ts'));

t.test('the shared file imports nothing and type-checks on its own', async (t) => {
  const imports: string[] = [];
  const visit = (n: ts.Node): void => {
    if (
      ts.isImportDeclaration(n) ||
      (ts.isExportDeclaration(n) && n.moduleSpecifier) ||
      ts.isImportTypeNode(n) ||
      ts.isImportEqualsDeclaration(n)
    )
      imports.push(n.getText(sharedSf));
    ts.forEachChild(n, visit);
  };
  visit(sharedSf);
  t.same(imports, [], 'no imports: the browser build would take the imported files along');
  t.ok(shared.length >= 20, `${shared.length} shapes declared`);
  const program = ts.createProgram([SHARED], {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
    lib: ['lib.es2022.d.ts'],
  });
  const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  t.same(diags, [], 'no type errors');
});

t.test('the dashboard declares no API type itself', async (t) => {
  t.ok(webFiles.length >= 4, `${webFiles.join(', ')}`);
  const found = webFiles.flatMap((f) =>
    redeclared(`cloud/web/src/${f}`, readFileSync(join(WEB_SRC, f), 'utf8'), shared),
  );
  t.same(found, []);
  // the check itself: the hand copies the dashboard used to carry are caught
  const copies = `export type Status = 'online' | 'offline';
    export interface GatewayRow { id: string; status: Status }
    export interface EventRec { id: number; gatewayId: string; severity: string; tsMs: number; message: string }
    export interface Chart { width: number; height: number; series: unknown[] }`;
  t.same(
    redeclared('copy.ts', copies, shared).map((m) => /^\S+ declares \w+/.exec(m)?.[0]),
    ['copy.ts:2 declares GatewayRow', 'copy.ts:3 declares EventRec'],
  );
});

t.test('the dashboard imports from outside its folder only the shared types, as types', async (t) => {
  for (const f of webFiles) {
    const sf = parse(f, readFileSync(join(WEB_SRC, f), 'utf8'));
    for (const st of sf.statements) {
      if (
        !(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) ||
        !st.moduleSpecifier ||
        !ts.isStringLiteral(st.moduleSpecifier)
      )
        continue;
      const spec = st.moduleSpecifier.text;
      if (spec.startsWith('./')) continue;
      const typeOnly = ts.isImportDeclaration(st) ? st.importClause?.isTypeOnly === true : st.isTypeOnly;
      t.ok(spec === '../../http/api-types.js' && typeOnly, `${f}: ${st.getText(sf)}`);
    }
  }
});

t.test('the web build emits the dashboard scripts only, without the shared file', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'yiwang-web-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const cfg = ts.getParsedCommandLineOfConfigFile(
    WEB_CONFIG,
    { outDir: out },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(String(d.messageText));
      },
    },
  )!;
  t.ok(cfg.fileNames.includes(SHARED), 'the web project includes the shared file');
  const program = ts.createProgram(cfg.fileNames, cfg.options);
  const result = program.emit();
  const diags = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].map(
    (d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
  );
  t.same(diags, [], 'compiles');
  const emitted = readdirSync(out, { recursive: true }).map(String).sort();
  t.same(emitted, webFiles.map((f) => f.replace(/\.ts$/, '.js')).sort(), 'one script per source file, nothing else');
  for (const f of emitted)
    t.notMatch(readFileSync(join(out, f), 'utf8'), /api-types|\/http\//, `${f} does not load the shared file`);
});
