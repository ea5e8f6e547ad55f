/**
 * PostgreSQL for tests: a database of its own per call (created on the machine's server, dropped in
 * the test's teardown, connections forced out), so tests never collide with each other or with
 * another run. The server is YW_TEST_PG_URL (default: trust auth on 127.0.0.1:5432).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'tap';

export const PG_ADMIN_URL = process.env.YW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of `name` on the admin URL's server. */
export function pgUrlOf(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates an empty database for this test and returns its URL; dropped when `t` ends. */
export async function tempPgDatabase(t: Test, prefix = 'yw_t'): Promise<string> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  t.teardown(() => dropPgDatabase(name));
  return pgUrlOf(name);
}

export async function dropPgDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
