/**
 * PostgreSQL for tests: a database of its own per call (created on the machine's server, dropped in
 * the test's teardown, connections forced out), so tests never collide with each other or with
 * another run. The server is YW_TEST_PG_URL (default: trust auth on 127.0.0.1:5432).
 */
import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import { createPgDatabase, dropPgDatabase, pgUrlOf } from '../../scripts/harness/pg.js';

export { pgQuery } from '../../scripts/harness/pg.js';

export const PG_ADMIN_URL = process.env.YW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates an empty database for this test and returns its URL; dropped when `t` ends. */
export async function tempPgDatabase(t: Test, prefix = 'yw_t'): Promise<string> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await createPgDatabase(PG_ADMIN_URL, name);
  t.teardown(() => dropPgDatabase(PG_ADMIN_URL, name));
  return pgUrlOf(PG_ADMIN_URL, name);
}
