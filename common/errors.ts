/**
 * Coded errors. Each area declares one table (`EDGE_ERR_*`, `CLOUD_ERR_*`, `PROFILE_ERR_*`, …)
 * with `defineErrors`; every code in every table is documented in docs/reference/errors.md
 * (test/common/errors-doc.test.ts keeps the two in step).
 */
export interface ErrorSpec {
  /** One-line description of what went wrong. */
  readonly summary: string;
  /** What the reader can do about it. */
  readonly hint: string;
}

export type ErrorTable<C extends string> = { readonly [K in C]: ErrorSpec };

const tables = new Map<string, ErrorSpec>();

/** Registers a table of coded errors; codes must be unique across the whole program. */
export function defineErrors<C extends string>(table: ErrorTable<C>): ErrorTable<C> {
  for (const [code, spec] of Object.entries(table) as [string, ErrorSpec][]) {
    if (!/^[A-Z0-9]+_ERR_[A-Z0-9_]+$/.test(code)) throw new Error(`bad error code name ${code}`);
    const known = tables.get(code);
    if (known && known !== spec) throw new Error(`error code ${code} defined twice`);
    tables.set(code, spec);
  }
  return table;
}

/** Every registered code, for the documentation test. */
export function registeredErrors(): ReadonlyMap<string, ErrorSpec> {
  return tables;
}

/** An error carrying a documented code; `detail` says what happened this time. */
export class YiwangError extends Error {
  readonly code: string;
  readonly hint: string;
  constructor(code: string, detail: string, options?: { cause?: unknown }) {
    const spec = tables.get(code);
    super(detail, options);
    this.name = 'YiwangError';
    this.code = code;
    this.hint = spec?.hint ?? '';
  }
  /** Shape used in logs and API error bodies. */
  toJSON(): { code: string; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isYiwangError(err: unknown, code?: string): err is YiwangError {
  return err instanceof YiwangError && (code === undefined || err.code === code);
}
