import type { Test } from 'tap';
import { isYiwangError, type ErrorCode } from '../../common/errors.js';

/** Asserts that fn throws a YiwangError with `code` whose message matches `re`. */
export function throwsCode(t: Test, fn: () => unknown, code: ErrorCode, re?: RegExp): void {
  try {
    fn();
  } catch (e) {
    t.ok(isYiwangError(e, code), `throws ${code} (got ${(e as { code?: string }).code ?? String(e)})`);
    if (re) t.match((e as Error).message, re);
    return;
  }
  t.fail(`expected ${code}, nothing thrown`);
}

/** Same for promises. */
export async function rejectsCode(t: Test, p: Promise<unknown>, code: ErrorCode, re?: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    t.ok(isYiwangError(e, code), `rejects with ${code} (got ${(e as { code?: string }).code ?? String(e)})`);
    if (re) t.match((e as Error).message, re);
    return;
  }
  t.fail(`expected ${code}, resolved`);
}
