/**
 * A fuzz target: one parser of outside bytes, driven the way the agent or the cloud drives it.
 * Each target module under test/fuzz/targets/ default-exports a `FuzzTarget`; its corpus lives in
 * test/fuzz/corpus/<name>/ (docs/reference/fuzzing.md).
 */
import type fc from 'fast-check';
import { isYiwangError } from '../../../common/errors.js';

export interface Seed {
  /** File name in the corpus, or where a built-in seed came from. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A decode(encode(x)) == x property: values drawn by fast-check, checked by `check` (throws on a mismatch). */
export interface RoundTrip<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  check(value: T): void | Promise<void>;
}

export interface FuzzTarget {
  readonly name: string;
  /** One line: what is fuzzed and how the bytes reach it. */
  readonly description: string;
  /** Seeds from real data (shared vectors, fixtures, profiles, test vectors); the corpus directory adds to them. */
  seeds(): Seed[] | Promise<Seed[]>;
  /** Tokens of the format, inserted by the mutator. */
  readonly dictionary?: readonly (string | Uint8Array)[];
  /** Largest input the mutator makes (bytes); default 16 KiB. */
  readonly maxLen?: number;
  /**
   * Everything the program does with one input of this kind. Returns (anything) when the input
   * is accepted; throws a coded error when it is refused. Invariants on the result (a decoded
   * value that breaks the contract) throw an `InvariantError`.
   */
  run(input: Uint8Array): unknown;
  /** Whether an exception is an expected refusal (a documented coded error of this area). */
  isCoded(err: unknown): boolean;
  /** decode(encode(x)) == x properties, where the area has an encoder. */
  readonly roundTrips?: readonly RoundTrip<never>[];
  /** Time bound per input: `baseMs` (default 250) plus `usPerByte` (default 10) per input byte; see oracle.ts. */
  readonly baseMs?: number;
  readonly usPerByte?: number;
}

/** A decoded value that breaks the contract (e.g. a reading with a timestamp no store accepts). */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** The usual coded-error test: a YiwangError whose code starts with one of `prefixes`, other than `except`. */
export function codedBy(prefixes: readonly string[], except: readonly string[] = []): (err: unknown) => boolean {
  return (err) => isYiwangError(err) && prefixes.some((p) => err.code.startsWith(p)) && !except.includes(err.code);
}

export function roundTrip<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  check: (value: T) => void | Promise<void>,
): RoundTrip<never> {
  return { name, arbitrary, check } as unknown as RoundTrip<never>;
}
