/**
 * The import specifiers of a TypeScript/JavaScript source, read with the TypeScript compiler API:
 * static imports (`import`, `import type`, side-effect `import '…'`), re-exports (`export … from`),
 * `import x = require('…')`, `require('…')`, dynamic `import('…')` and type-level `import('…')`.
 * A dynamic import whose argument is not a string literal is reported as `computed` so a rule can
 * refuse it (its target cannot be checked). Specifiers are resolved to repository paths (relative
 * ones, without extension) or to package names (`node:fs`, `coap`, `better-sqlite3`).
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

export type ImportKind = 'import' | 'import type' | 'export from' | 'dynamic import' | 'require' | 'type import()';

export interface ImportRef {
  /** The specifier as written ('' for a computed dynamic import). */
  specifier: string;
  kind: ImportKind;
  /** 1-based line of the import. */
  line: number;
  /** True for `import(expr)` whose argument is not a string literal. */
  computed?: boolean;
}

/** Every import of one source file. */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const kindOfScript = /\.(c|m)?jsx?$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kindOfScript);
  const out: ImportRef[] = [];
  const add = (node: ts.Node, specifier: ts.Expression | undefined, kind: ImportKind): void => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    if (specifier && ts.isStringLiteralLike(specifier)) out.push({ specifier: specifier.text, kind, line });
    else out.push({ specifier: '', kind, line, computed: true });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ? 'import type' : 'import');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node, node.moduleSpecifier, 'export from');
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, 'require');
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0], 'dynamic import');
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1)
        add(node, node.arguments[0], 'require');
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      add(node, ts.isLiteralTypeNode(arg) ? arg.literal : undefined, 'type import()');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const BUILTINS = new Set(builtinModules);

/**
 * Where a specifier points: a repository path without extension ("edge/southbound/coap/server")
 * for relative specifiers, `node:x` for Node built-ins (with or without the prefix), otherwise the
 * package name ("coap", "@iarna/toml"; sub-paths dropped).
 */
export function resolveTarget(fromFile: string, specifier: string): string {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const joined = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
    return joined.replace(/\.(d\.ts|ts|tsx|js|mjs|cjs|json)$/, '');
  }
  if (specifier.startsWith('node:')) return `node:${specifier.slice(5).split('/')[0]}`;
  const parts = specifier.split('/');
  const pkg = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!; // split gives at least one part
  return BUILTINS.has(pkg) ? `node:${pkg}` : pkg;
}

/** One dependency rule: modules matching `from` (and not `except`) import nothing matching `forbid`. */
export interface Rule {
  name: string;
  /** Why, in DESIGN.md's words; shown with every violation. */
  why: string;
  /** Importing files: a folder ("edge/") or a file ("edge/profiles/load.ts"). */
  from: readonly string[];
  except?: readonly string[];
  /** Targets: a folder ("edge/"), a module without extension ("edge/store/outbox"), a package ("coap", "node:fs"). */
  forbid: readonly string[];
  /** Targets under `forbid` that stay allowed (e.g. a stage's published contract). */
  unless?: readonly string[];
  /** Check every module the file reaches through relative imports, not only its own imports. */
  transitive?: boolean;
  /** Refuse `import(expr)` with a computed argument (its target cannot be checked). */
  noComputed?: boolean;
}

/** A known violation kept on purpose, with the reason and the issue that will remove it. */
export interface Allowed {
  rule: string;
  from: string;
  to: string;
  why: string;
  mayVanish?: boolean;
}

export interface Violation {
  rule: string;
  from: string;
  to: string;
  line: number;
  kind: ImportKind;
  via?: string;
  why: string;
}

/** True when `path` (a repository path or package) is the pattern, inside it (pattern ends with /), or a module under it. */
export function matches(path: string, pattern: string): boolean {
  if (pattern.endsWith('/')) return path.startsWith(pattern);
  const bare = pattern.replace(/\.(ts|mjs|js)$/, '');
  const p = path.replace(/\.(ts|mjs|js)$/, '');
  return p === bare || p.startsWith(`${bare}/`);
}

const inAny = (path: string, patterns: readonly string[] | undefined): boolean =>
  (patterns ?? []).some((x) => matches(path, x));

/**
 * The violations of `rules` in `files` (repository path → source text), minus those in `allowed`.
 * `unused` lists allow-list entries that matched nothing (a fixed violation to take off the list).
 */
export function checkImports(
  files: ReadonlyMap<string, string>,
  rules: readonly Rule[],
  allowed: readonly Allowed[] = [],
): { violations: Violation[]; unused: Allowed[] } {
  const parsed = new Map<string, ImportRef[]>();
  const importsFor = (file: string): ImportRef[] => {
    let refs = parsed.get(file);
    if (!refs) {
      refs = importsOf(file, files.get(file) ?? '');
      parsed.set(file, refs);
    }
    return refs;
  };
  const fileOf = (module: string): string | undefined =>
    [`${module}.ts`, `${module}.mts`, `${module}.mjs`, `${module}.js`, `${module}/index.ts`].find((f) => files.has(f));
  const found: Violation[] = [];
  for (const rule of rules) {
    for (const file of files.keys()) {
      if (!inAny(file, rule.from) || inAny(file, rule.except)) continue;
      const seen = new Set<string>([file]);
      const queue: { at: string; via?: string }[] = [{ at: file }];
      while (queue.length > 0) {
        const { at, via } = queue.shift()!;
        for (const ref of importsFor(at)) {
          if (ref.computed) {
            if (rule.noComputed && at === file)
              found.push({
                rule: rule.name,
                from: file,
                to: '<computed import()>',
                line: ref.line,
                kind: ref.kind,
                why: rule.why,
              });
            continue;
          }
          const to = resolveTarget(at, ref.specifier);
          if (inAny(to, rule.forbid) && !inAny(to, rule.unless)) {
            found.push({
              rule: rule.name,
              from: file,
              to,
              line: ref.line,
              kind: ref.kind,
              ...(via ? { via: at } : {}),
              why: rule.why,
            });
          }
          const next = rule.transitive ? fileOf(to) : undefined;
          if (next && !seen.has(next)) {
            seen.add(next);
            queue.push({ at: next, via: at });
          }
        }
      }
    }
  }
  const used = new Set<Allowed>();
  const violations = found.filter((v) => {
    const a = allowed.find((x) => x.rule === v.rule && x.from === v.from && matches(v.to, x.to));
    if (a) used.add(a);
    return !a;
  });
  return { violations, unused: allowed.filter((a) => !used.has(a)) };
}

/** One line per violation, for a failing assertion. */
export function describe(v: Violation): string {
  return `${v.from}:${v.line} ${v.kind} ${v.to}${v.via ? ` (through ${v.via})` : ''} — rule "${v.rule}": ${v.why}`;
}
