/** The keys of T whose value may be undefined. */
type MaybeUndefinedKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/** T with every maybe-undefined property made optional instead (what `exactOptionalPropertyTypes` wants of an options object). */
export type DefinedProps<T> = { [K in Exclude<keyof T, MaybeUndefinedKeys<T>>]: T[K] } & {
  [K in MaybeUndefinedKeys<T>]?: Exclude<T[K], undefined>;
};

/**
 * A copy of `o` without its undefined-valued properties: an options or query object built from
 * optional inputs (URL parameters, flags), where a missing input means the key is left out.
 */
export function definedProps<T extends object>(o: T): DefinedProps<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as DefinedProps<T>;
}
