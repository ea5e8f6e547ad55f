/**
 * The cloud on PostgreSQL (store.backend = "postgres"), one node in-process: a gateway's batch over
 * MQTT is acknowledged after its commit and read back through the HTTP API; a restart on the same
 * database keeps everything and answers a resend `duplicate`; the start is refused on a database
 * written by a newer release; a SQLite-only option set stays the default.
 */
import t from 'tap';
import { encodeBatch } from '../../../proto/batch-codec.js';
import { AckStatus } from '../../../proto/index.js';
import { startCloud, tempDir } from '../../helpers/fleet.js';
import { connectGateway } from '../../helpers/gateway-client.js';
import { tempPgDatabase } from '../../helpers/pg.js';
import { until } from '../../helpers/wait.js';
import { reading } from '../../helpers/batch-sample.js';
import { PgDatabase } from '../../../cloud/store/postgres/pg-database.js';
import { loadCloudConfig } from '../../../cloud/config.js';

t.test('a PostgreSQL cloud stores a batch once, across a restart', async (t) => {
  const url = await tempPgDatabase(t);
  const dir = tempDir('yw-pgcloud-');
  const overrides = { store: { backend: 'postgres', postgres_url: url } };
  const a = await startCloud(dir, overrides);
  t.equal(a.cloud.stores.backend, 'postgres');
  t.ok(a.cloud.jobs.isLeader, 'the only node leads');
  const gw = await connectGateway(a, 'gw-pg');
  const now = Date.now();
  const batch = encodeBatch({ gatewayId: 'gw-pg', epoch: 7, seq: 1 }, [
    reading('dev-1', 'level', 'm', now - 2000, 1.25),
    reading('dev-1', 'level', 'm', now - 1000, 1.5),
    reading('dev-1', 'note', '', now - 1000, 'tab\there\nnewline \\ back'),
  ]);
  await gw.send(batch);
  await until('the ack', () => gw.acks.length === 1, 10_000);
  t.equal(gw.acks[0]!.status, AckStatus.STORED);
  const base = `http://127.0.0.1:${a.cloud.api.port}`;
  const r = (await (await fetch(`${base}/api/v1/devices/dev-1/readings`)).json()) as {
    readings: { metric: string; value: unknown }[];
  };
  t.same(
    r.readings.map((x) => x.value),
    [1.25, 1.5, 'tab\there\nnewline \\ back'],
  );
  const stats = (await (await fetch(`${base}/api/v1/stats`)).json()) as {
    cluster: { store: string; leader: boolean };
    database: { groups: number; partitionsCreated: number };
    store: { readings: number };
  };
  t.match(stats.cluster, { store: 'postgres', leader: true });
  t.ok(stats.database.groups >= 1, `the store's transactions are counted (${stats.database.groups})`);
  t.equal(stats.store.readings, 3, 'beside the store totals');
  gw.client.end(true);
  await a.cloud.stop();

  const b = await startCloud(dir, overrides);
  t.teardown(() => b.cloud.stop());
  const secret = await b.cloud.createGateway('gw-pg2');
  t.ok(secret.length > 10, 'a second gateway on the restarted node');
  const again = await connectGateway(b, 'gw-pg3');
  await again.send(encodeBatch({ gatewayId: 'gw-pg3', epoch: 1, seq: 1 }, [reading('dev-3', 'x', '', now, 1)]));
  await again.send(encodeBatch({ gatewayId: 'gw-pg3', epoch: 1, seq: 1 }, [reading('dev-3', 'x', '', now, 1)]));
  await until('two acks', () => again.acks.length === 2, 10_000);
  t.same(
    again.acks.map((x) => x.status),
    [AckStatus.STORED, AckStatus.DUPLICATE],
    'a resend is a duplicate',
  );
  t.match(await b.cloud.store.stats(), { readings: 4, duplicates: 1 }, 'the first node’s readings are still there');
  again.client.end(true);
});

t.test('refused on a database written by a newer release', async (t) => {
  const url = await tempPgDatabase(t);
  const db = new PgDatabase(url, { max: 1 });
  t.teardown(() => db.close());
  await db.query(
    'CREATE TABLE yiwang_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_ms BIGINT NOT NULL)',
  );
  await db.query("INSERT INTO yiwang_schema VALUES (999, 'future', 'x', 0)");
  await t.rejects(startCloud(tempDir('yw-pgcloud-'), { store: { backend: 'postgres', postgres_url: url } }), {
    code: 'CLOUD_ERR_SCHEMA',
  });
});

t.test('the backend is SQLite by default; postgres needs a URL', async (t) => {
  t.equal(loadCloudConfig(undefined).store.backend, 'sqlite');
  t.throws(() => loadCloudConfig(undefined, { store: { backend: 'postgres' } }), { code: 'CONFIG_ERR_INVALID' });
  t.throws(() => loadCloudConfig(undefined, { store: { backend: 'mysql' } }), { code: 'CONFIG_ERR_INVALID' });
});
