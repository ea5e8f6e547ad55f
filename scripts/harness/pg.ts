/** PostgreSQL for tests and benches: one-shot queries, databases created and dropped on a server. */
import pg from 'pg';

/** The URL of database `name` on the server of `serverUrl`. */
export function pgUrlOf(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one statement on its own connection. */
export async function pgQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  args: unknown[] = [],
): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(text, args)).rows;
  } finally {
    await c.end();
  }
}

export async function createPgDatabase(serverUrl: string, name: string): Promise<void> {
  await pgQuery(serverUrl, `CREATE DATABASE ${name}`);
}

export async function dropPgDatabase(serverUrl: string, name: string): Promise<void> {
  await pgQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
