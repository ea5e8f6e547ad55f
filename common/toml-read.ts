/**
 * The one TOML reader of the project: every TOML text we parse (edge.toml, cloud.toml, device
 * profiles of integrators, desired-config layers, serial and HJ 212 device files) goes through
 * `parseToml`.
 *
 * It uses smol-toml (TOML 1.0), whose tables are null-prototype objects: keys such as
 * `constructor`, `toString` or `__proto__` are plain data and never reach `Object` or
 * `Object.prototype` (the previous parser, @iarna/toml, wrote `[constructor] a = 1` onto
 * `Object.a` and returned `{}`). Code that walks a parsed document must therefore use
 * `Object.hasOwn` / `Object.keys`, not `doc.hasOwnProperty(…)` or `instanceof Object`; schemas
 * refuse such keys as unknown.
 *
 * Values: integers are numbers, or bigints beyond 2^53 (as before); dates and times are
 * `TomlDate`s (a `Date` whose `toISOString` writes the TOML form back: `1979-05-27` for a local
 * date, `07:32:00.000` for a local time).
 */
import { parse, TomlError } from 'smol-toml';
import { YiwangError, type ErrorCode } from './errors.js';

export type TomlDoc = Record<string, unknown>;

/** A TOML syntax error: a coded error naming the source, the reason, the line and the column (1-based). */
export class TomlSyntaxError extends YiwangError {
  /** `not valid TOML: <reason> (line L, column C)`, without the source: for callers that prefix it their way. */
  readonly what: string;
  constructor(
    code: ErrorCode,
    readonly source: string,
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    cause: unknown,
  ) {
    const what = `not valid TOML: ${reason}${line ? ` (line ${line}, column ${column})` : ''}`;
    super(code, `${source}: ${what}`, { cause });
    this.what = what;
  }
}

/**
 * Parses TOML text; `source` (a file name, or what the text is) starts the error message, and a
 * syntax error throws a `TomlSyntaxError` with `code` (CONFIG_ERR_SYNTAX unless the caller has its
 * own, e.g. PROFILE_ERR_READ).
 */
export function parseToml(text: string, source = 'TOML text', code: ErrorCode = 'CONFIG_ERR_SYNTAX'): TomlDoc {
  try {
    return parse(text, { integersAsBigInt: 'asNeeded' }) as TomlDoc;
  } catch (err) {
    if (err instanceof TomlError) {
      // "Invalid TOML document: invalid value\n\n1:  a = = 1\n        ^\n": the first line, without the prefix
      const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw new TomlSyntaxError(code, source, reason, err.line, err.column, err);
    }
    throw new TomlSyntaxError(code, source, (err as Error).message?.split('\n')[0] ?? String(err), 0, 0, err);
  }
}

/** What went wrong, for callers that name the file themselves: `TomlSyntaxError.what`, or the first line of another error (a file that could not be read). */
export function tomlErrorText(err: unknown): string {
  if (err instanceof TomlSyntaxError) return err.what;
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
