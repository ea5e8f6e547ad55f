/**
 * Coded errors. Each area declares one typed table (`EDGE_ERR_*`, `CLOUD_ERR_*`, `PROFILE_ERR_*`, …)
 * with `defineErrors`, which only types it (no registration). The area's catalog
 * (edge/error-catalog.ts, cloud/error-catalog.ts) lists its tables, adds their codes to the
 * `ErrorCode` type below, and is registered by the composition roots (agent, cloud server, CLIs)
 * with `registerErrors`. Every code is documented in docs/reference/errors.md
 * (test/common/errors-doc.test.ts keeps the two in step). common/ imports nothing of edge or cloud.
 */
export interface ErrorSpec {
  /** One-line description of what went wrong. */
  readonly summary: string;
  /** What the reader can do about it. */
  readonly hint: string;
  /** HTTP status an API answers with when it fails with this code (absent: the API's default). */
  readonly http?: number;
}

export type ErrorTable<C extends string = string> = { readonly [K in C]: ErrorSpec };

/**
 * Every error code, as keys: each area's catalog adds its tables by augmenting this interface
 * (`declare module '…/common/errors.js' { interface ErrorCodes extends CodesOf<…> {} }`), so a code
 * that is in no catalog's table is a compile error at `new YiwangError(…)`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the catalogs merge their codes into it (declaration merging needs an interface)
export interface ErrorCodes {}

/** A code of some table listed in a catalog. */
export type ErrorCode = keyof ErrorCodes & string;

/** The keys of a list of tables, as `ErrorCodes` members. */
export type CodesOf<T extends readonly ErrorTable[]> = { readonly [K in KeysOfEach<T[number]> & string]: true };
type KeysOfEach<U> = U extends unknown ? keyof U : never;

/** Types a table of coded errors (keys checked, specs checked); registers nothing. */
export function defineErrors<C extends string>(table: ErrorTable<C>): ErrorTable<C> {
  return table;
}

const tables = new Map<string, ErrorSpec>();

/**
 * Registers tables so that `YiwangError#hint` knows their codes. Called by the
 * composition roots through their catalog; registering the same table again is a no-op, and
 * codes must be unique across the whole program.
 */
export function registerErrors(...list: readonly ErrorTable[]): void {
  for (const table of list) {
    for (const [code, spec] of Object.entries(table) as [string, ErrorSpec][]) {
      if (!/^[A-Z0-9]+_ERR_[A-Z0-9_]+$/.test(code)) throw new Error(`bad error code name ${code}`);
      const known = tables.get(code);
      if (known && known !== spec) throw new Error(`error code ${code} defined twice`);
      tables.set(code, spec);
    }
  }
}

/** An error carrying a documented code; `detail` says what happened this time. */
export class YiwangError extends Error {
  readonly code: ErrorCode;
  /** The code's hint, from the registered tables ('' if its table is not registered); read when used. */
  declare readonly hint: string;
  constructor(code: ErrorCode, detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = 'YiwangError';
    this.code = code;
    // an own enumerable property, as before, so loggers that copy an error's fields keep it
    Object.defineProperty(this, 'hint', { enumerable: true, get: () => tables.get(this.code)?.hint ?? '' });
  }
  /** Shape used in logs and API error bodies. */
  toJSON(): { code: string; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isYiwangError(err: unknown, code?: ErrorCode): err is YiwangError {
  return err instanceof YiwangError && (code === undefined || err.code === code);
}
