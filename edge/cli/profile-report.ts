/** Shared output of `profile test` and `profile lint`. */
import type { ProfileReport } from '../profiles/tooling.js';

/**
 * Prints the reports and a summary line; returns the exit code. Vectors counted: the ones run
 * (`profile test`, "passed/run" per profile), or with `declared` the ones each profile declares
 * (`profile lint`, which checks but does not run them).
 */
export function printReports(reports: readonly ProfileReport[], json: boolean, what: string, declared = false): number {
  const failed = reports.filter((r) => !r.ok);
  if (json) {
    console.log(JSON.stringify({ ok: failed.length === 0, profiles: reports }, null, 2));
    return failed.length === 0 ? 0 : 1;
  }
  for (const r of reports) {
    const n = r.vectors.length;
    const counted = declared
      ? r.id === undefined
        ? ''
        : `  ${r.vectorCount} vector${r.vectorCount === 1 ? '' : 's'}`
      : n
        ? `  ${n - r.vectors.filter((v) => !v.ok).length}/${n} vectors`
        : '';
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.id ?? r.file}${counted}`);
    for (const e of r.errors) console.log(`     ${e}`);
    for (const v of r.vectors) for (const p of v.problems) console.log(`     ${v.vector}: ${p}`);
    for (const w of r.warnings) console.log(`     warning: ${w}`);
  }
  const vectors = reports.reduce((s, r) => s + (declared ? r.vectorCount : r.vectors.length), 0);
  console.log(`${what}: ${reports.length - failed.length} passed, ${failed.length} failed (${vectors} vectors)`);
  return failed.length === 0 ? 0 : 1;
}
