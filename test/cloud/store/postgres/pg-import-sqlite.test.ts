/**
 * `yiwang-cloud db import-sqlite`: a SQLite cloud store filled through the real APIs, imported into a
 * fresh PostgreSQL database, must read back the same through the store interfaces (and go on working:
 * batch keys, ids, layer revisions, config versions); a non-empty target, a held SQLite file and a
 * failing copy are refused with nothing written; an old file without later columns imports.
 */
import { MIGRATIONS } from '../../../../cloud/store/postgres/pg-migrations.js';
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT } from '../../../../common/paths.js';
import { lockStore } from '../../../../common/process-lock.js';
import { CounterDeltas, gatewayContribution, gatewayScopes } from '../../../../cloud/health/counters.js';
import type { CounterScope } from '../../../../cloud/health/types.js';
import type { CloudStore } from '../../../../cloud/store/cloud-store.js';
import type { ControlPlaneStore, RolloutRecord } from '../../../../cloud/store/control-plane-store.js';
import type { HealthStore } from '../../../../cloud/store/health-store.js';
import { PgCloudStore } from '../../../../cloud/store/postgres/pg-cloud-store.js';
import { PgControlPlaneStore } from '../../../../cloud/store/postgres/pg-control-plane-store.js';
import { PgDatabase } from '../../../../cloud/store/postgres/pg-database.js';
import { importSqlite } from '../../../../cloud/store/postgres/pg-import-sqlite.js';
import { schemaState } from '../../../../cloud/store/postgres/pg-migrations.js';
import { SqliteCloudStore } from '../../../../cloud/store/sqlite-cloud-store.js';
import { SqliteControlPlaneStore } from '../../../../cloud/store/sqlite-control-plane-store.js';
import type { DecodedBatch, QuarantineGroup } from '../../../../proto/batch-codec.js';
import { ClockQuality, Priority } from '../../../../proto/index.js';
import type { EventInput, Reading, ReadingValue } from '../../../../proto/reading.js';
import { tempPgDatabase } from '../../../helpers/pg.js';

const DAY = 86_400_000;
/** Readings of today and yesterday get day partitions; OLD lands in readings_old. */
const NOW = Date.now();
const OLD = Date.UTC(2020, 0, 1, 12);
const T1 = NOW - DAY;

const rd = (deviceId: string, ts: number, value: ReadingValue, metric = 'm', unit = 'm3'): Reading => ({
  deviceId,
  metric,
  unit,
  ts,
  value,
  clock: ClockQuality.CLOCK_DEVICE,
  priority: Priority.PRIORITY_NORMAL,
});
const batch = (
  gatewayId: string,
  seq: number,
  readings: Reading[],
  o: { events?: EventInput[]; quarantined?: QuarantineGroup[] } = {},
): DecodedBatch => ({
  gatewayId,
  epoch: 1,
  seq,
  readings,
  events: o.events ?? [],
  quarantined: o.quarantined ?? [],
});

/** Values whose COPY text needs escaping, and one PostgreSQL text cannot hold as it is (U+0000). */
const TRICKY: ReadingValue[] = [
  'tab\there',
  'line1\nline2\r\n',
  'back\\slash \\N \\t',
  '\\N',
  '',
  'nul\u0000inside\\',
  'ünïcødé 北',
  true,
  false,
  0,
  -0.001,
  1e300,
  2 ** 53 - 1,
  21.5,
];

const rollout = (id: string): RolloutRecord => ({
  id,
  group: 'east',
  revision: 2,
  previousRevision: 1,
  waves: ['1', '100%'],
  plan: [
    { spec: '1', target: 1, members: ['gw-1'], startedMs: T1, endedMs: T1 + 10 },
    { spec: '100%', target: 2, members: [], startedMs: null, endedMs: null },
  ],
  soakMs: 60_000,
  maxFailedRatio: 0.1,
  deferOffline: true,
  state: 'running',
  wave: 0,
  members: ['gw-1'],
  targets: { 'gw-1': 3 },
  appliedMs: { 'gw-1': T1 + 5 },
  failed: {},
  deferred: {},
  total: 2,
  waveStartedMs: T1,
  startedMs: T1,
  updatedMs: T1 + 11,
  finishedMs: null,
  reason: 'tab\tand "quotes"',
  rollback: null,
});

const GATEWAYS = ['gw-1', 'gw-2', 'gw-p'];
const DEVICES = ['d-1', 'd-2', 'd-3', 'd-reg'];
const SCOPES: CounterScope[] = ['fleet', 'district', 'site', 'group', 'type', 'gateway'];

type Stores = { cloud: CloudStore & HealthStore; cp: ControlPlaneStore };

/** Everything the interfaces say about the fixture's content. */
async function snapshot({ cloud, cp }: Stores): Promise<Record<string, unknown>> {
  const s: Record<string, unknown> = {
    gateways: await cloud.listGateways(),
    devices: await cloud.listDevices(),
    stats: await cloud.stats(),
    revoked: [...(await cloud.revokedGateways())],
    events: await cloud.listEvents({ limit: 1000 }),
    openAlarms: await cloud.listEvents({ open: true, limit: 1000 }),
    health: await cloud.loadGatewayHealth(),
    claims: await cp.listClaims(),
    claim: await cp.getClaim('c-1'),
    revokedSince: await cp.revokedSince(0),
    apiKeys: await cp.listApiKeys(),
    apiKey: await cp.apiKeyByHash('key-hash-1'),
    fleetLayer: await cp.getLayer('fleet', ''),
    fleetLayer1: await cp.getLayer('fleet', '', 1),
    groupLayer: await cp.getLayer('group', 'east'),
    active: await cp.activeGroupRevision('east'),
    pin: await cp.pin('gw-1'),
    members: await cp.groupMembers('east'),
    rollouts: await cp.listRollouts(),
    rollout: await cp.getRollout('r-1'),
  };
  for (const d of DEVICES) s[`readings ${d}`] = await cloud.readings({ deviceId: d, limit: 10_000 });
  for (const g of GATEWAYS) {
    s[`quarantine ${g}`] = await cloud.quarantine(g);
    s[`identity ${g}`] = await cp.getIdentity(g);
    s[`revokedAt ${g}`] = await cp.revokedAt(g);
    s[`issued ${g}`] = await cp.getIssued(g);
    s[`reported ${g}`] = await cp.getReported(g);
    s[`backlog ${g}`] = await cloud.backlogHistory(g, 0);
  }
  for (const sc of SCOPES) s[`counters ${sc}`] = await cloud.counters(sc);
  return s;
}

/** A SQLite cloud store filled through its real APIs, closed; returns its path and what its interfaces said. */
async function fixture(t: Test): Promise<{ dir: string; path: string; before: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'yw-import-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'cloud.db');
  const cloud = new SqliteCloudStore(path, 0);
  const cp = new SqliteControlPlaneStore(cloud, 0);
  try {
    await cloud.createGateway('gw-1', 'hash-1');
    await cloud.createGateway('gw-2', 'hash-2');
    await cloud.setGatewayTags('gw-1', { district: 'north', site: 'well 7', group: 'east' });
    await cloud.setGatewayTags('gw-2', { district: 'south', site: '', group: 'west' });
    await cp.createClaim(
      {
        id: 'c-1',
        group: 'east',
        site: 's-9',
        district: 'north',
        createdMs: T1,
        expiresMs: NOW + DAY,
        maxUses: 3,
        uses: 0,
        revokedMs: null,
        note: 'note\twith tab',
      },
      'claim-hash',
    );
    const prov = await cp.provision({
      claimId: 'c-1',
      identity: {
        gatewayId: 'gw-p',
        claimId: 'c-1',
        publicKey: Buffer.from([0, 1, 0x5c, 0x09, 0xfe, 0xff]),
        group: 'east',
        site: 's-9',
        district: 'north',
        provisionedMs: T1 + 1,
        revokedMs: null,
      },
      secretHash: 'hash-p',
      config: (version) => ({
        gatewayId: 'gw-p',
        version,
        envelope: Buffer.from([0, 0x5c, 0x0a, version]),
        label: 'provisioned',
        toml: '[sync]\ndaily_bytes = 1\n',
        issuedMs: T1 + 2,
      }),
    });
    t.equal(prov.status, 'provisioned', 'fixture: gateway provisioned');
    await cloud.registerDevices([{ id: 'd-reg', gatewayId: 'gw-2', type: 'water_meter', intervalS: 60 }], T1);

    // readings: today, yesterday and 2020; equal timestamps (arrival order); every tricky value
    const r1 = await cloud.ingestBatch(
      batch('gw-1', 1, [
        ...TRICKY.map((v, i) => rd('d-1', T1 + i, v, `m${i}`)),
        rd('d-1', NOW, 1, 'same'),
        rd('d-1', NOW, 2, 'same'),
        rd('d-1', OLD, 3, 'old'),
      ]),
    );
    t.equal(r1.status, 'stored', 'fixture: batch 1 stored');
    await cloud.ingestBatch(
      batch('gw-1', 2, [rd('d-2', NOW, 7)], {
        events: [
          { id: 'e-1', deviceId: 'd-2', type: 'leak', severity: 2, tsMs: NOW, message: 'leak\tdetected', active: true },
        ],
        quarantined: [{ deviceId: 'd-2', metric: 'x', code: 'CLOUD_ERR_BAD_VALUE', detail: 'bad\nvalue', count: 2 }],
      }),
    );
    // a device of gw-1 sent by gw-2: quarantined by the store (CLOUD_ERR_DEVICE_OWNER)
    await cloud.ingestBatch(batch('gw-2', 1, [rd('d-1', NOW, 5), rd('d-3', NOW, 6)]));
    const [alarm] = await cloud.addEvents(
      [
        {
          gatewayId: 'gw-1',
          deviceId: 'd-1',
          type: 'tamper',
          severity: 'critical',
          tsMs: NOW,
          message: 'cover open',
          attributes: { k: 'v\t1' },
          active: true,
          sourceId: '',
        },
        {
          gatewayId: 'gw-2',
          deviceId: '',
          type: 'power',
          severity: 'warning',
          tsMs: NOW,
          message: 'mains lost',
          attributes: {},
          active: true,
          sourceId: '',
        },
      ],
      NOW,
    );
    if (!alarm) throw new Error('fixture: no event');
    t.ok(await cloud.ackEvent(alarm.id, 'ops', NOW + 1), 'fixture: alarm acked');

    const [h1] = (await cloud.loadGatewayHealth()).filter((h) => h.gatewayId === 'gw-1');
    if (!h1) throw new Error('fixture: no health');
    const deltas = new CounterDeltas();
    deltas.addContribution(gatewayScopes('gw-1', h1.tags), gatewayContribution(h1.status, null), -1);
    deltas.addContribution(gatewayScopes('gw-1', h1.tags), gatewayContribution('degraded', null), 1);
    await cloud.saveGatewayHealth(
      [
        {
          record: { ...h1, status: 'degraded', reasons: ['backlog'], sessionUp: true, lastHeardMs: NOW, sinceMs: NOW },
          backlog: { tsMs: NOW, rows: 500, bytes: 40_000, oldestAgeMs: 9 },
        },
      ],
      deltas,
    );
    await cloud.setGatewayOnline('gw-1', true, NOW);

    await cp.revokeGateway('gw-2', NOW + 5);
    await cp.createApiKey({ id: 'k-1', name: 'ops key', scope: 'admin', createdMs: T1, revokedMs: null }, 'key-hash-1');
    await cp.addLayer('fleet', '', '[sync]\ndaily_bytes = 10\n', T1);
    await cp.addLayer('fleet', '', '[sync]\ndaily_bytes = 20\n', T1 + 1);
    await cp.addLayer('group', 'east', '[log]\nlevel = "debug"\n', T1 + 2);
    await cp.setActiveGroupRevision('east', 1);
    await cp.setPin('gw-1', 1);
    await cp.saveIssued({
      gatewayId: 'gw-1',
      version: await cp.nextConfigVersion(),
      envelope: Buffer.from([1, 2, 3]),
      label: 'layers',
      toml: 'x = 1\n',
      issuedMs: NOW,
    });
    await cp.saveReported({
      gatewayId: 'gw-p',
      version: 1,
      state: 'applied',
      errorCode: '',
      detail: '',
      runningVersion: 1,
      tsMs: NOW,
    });
    await cp.saveRollout(rollout('r-1'));
    const before = await snapshot({ cloud, cp });
    return { dir, path, before };
  } finally {
    await cp.close();
    await cloud.close();
  }
}

async function openPg(t: Test, url: string): Promise<Stores & { db: PgDatabase }> {
  const db = new PgDatabase(url, { max: 4, name: 'yw-test-import' });
  t.teardown(() => db.close());
  const cloud = await PgCloudStore.open(db, { commitMs: 0 });
  const cp = new PgControlPlaneStore(cloud);
  t.teardown(async () => {
    await cp.close();
    await cloud.close();
  });
  return { db, cloud, cp };
}

t.test('a filled SQLite store reads back the same from PostgreSQL, and goes on working', async (t) => {
  const { path, before } = await fixture(t);
  const url = await tempPgDatabase(t);
  const target = new PgDatabase(url, { max: 2, name: 'yw-test-import-run' });
  t.teardown(() => target.close());
  const r = await importSqlite(target, { sqlitePath: path, nowMs: NOW });
  t.same(
    r.migrated,
    MIGRATIONS.map((m) => m.version),
    'the empty database got the schema first (every migration)',
  );
  t.ok(r.partitionsCreated >= 2, `day partitions made for today and yesterday (${r.partitionsCreated})`);
  const byTable = Object.fromEntries(r.tables.map((x) => [x.table, x]));
  t.same(
    r.tables.filter((x) => x.source !== x.imported),
    [],
    'every table: as many rows as in the file',
  );
  t.equal(byTable.readings?.imported, TRICKY.length + 3 + 1 + 1, 'all readings (d-3 of gw-2 too)');
  t.equal(byTable.gateways?.imported, 3);
  t.equal(byTable.identities?.imported, 1);
  t.equal(byTable.events?.imported, 3);

  const pg = await openPg(t, url);
  const after = await snapshot(pg);
  for (const k of Object.keys(before)) t.same(after[k], before[k], `${k}: the same through the interface`);
  // and the fixture is what it claims to be (a snapshot of nothing would compare equal too)
  t.same(
    (after['readings d-1'] as { value: ReadingValue }[]).slice(1, 1 + TRICKY.length).map((x) => x.value),
    TRICKY,
    'tricky values, in order, U+0000 included (after the 2020 one, from readings_old)',
  );
  t.match(after.gateways, [{ id: 'gw-1', online: true }, { id: 'gw-2', revokedMs: NOW + 5 }, { id: 'gw-p' }]);
  t.match(after.stats, { gateways: 3, readings: TRICKY.length + 5, batches: 3, quarantined: 3 });
  t.match(after['quarantine gw-2'], {
    totals: [{ code: 'CLOUD_ERR_DEVICE_OWNER', readings: 1 }],
    recent: [{ code: 'CLOUD_ERR_DEVICE_OWNER', deviceId: 'd-1' }],
  });
  t.match(after['quarantine gw-1'], { recent: [{ code: 'CLOUD_ERR_BAD_VALUE', detail: 'bad\nvalue', count: 2 }] });
  t.match(after.events, [{ type: 'power' }, { type: 'tamper', ackedBy: 'ops' }, { type: 'leak' }]);
  t.match(after['identity gw-p'], { publicKey: Buffer.from([0, 1, 0x5c, 0x09, 0xfe, 0xff]) });
  t.match(after.apiKey, { id: 'k-1', scope: 'admin' });
  t.match(after.fleetLayer, { revision: 2 });
  t.match(after.rollouts, [{ id: 'r-1', reason: 'tab\tand "quotes"' }]);

  // it goes on: batch keys, reading order, event ids, layer revisions, config versions
  t.match(
    await pg.cloud.ingestBatch(batch('gw-1', 1, [rd('d-1', NOW, 99, 'same')])),
    { status: 'duplicate' },
    'a resent imported batch is a duplicate',
  );
  t.match(await pg.cloud.ingestBatch(batch('gw-1', 3, [rd('d-1', NOW, 3, 'same')])), { status: 'stored' });
  const same = await pg.cloud.readings({ deviceId: 'd-1', metric: 'same' });
  t.same(
    same.map((x) => x.value),
    [1, 2, 3],
    'a new reading at an imported timestamp comes after (reading ids continue)',
  );
  const [ev] = await pg.cloud.addEvents(
    [
      {
        gatewayId: 'gw-1',
        deviceId: 'd-1',
        type: 'x',
        severity: 'info',
        tsMs: NOW,
        message: '',
        attributes: {},
        active: true,
        sourceId: '',
      },
    ],
    NOW,
  );
  const maxEvent = Math.max(...(after.events as { id: number }[]).map((e) => e.id));
  t.ok(ev && ev.id > maxEvent, 'event ids continue after the imported ones');
  t.match(await pg.cp.addLayer('fleet', '', 'y = 1\n', NOW), { revision: 3 }, 'layer revisions continue');
  const maxVersion = Math.max(
    ...GATEWAYS.map((g) => (after[`issued ${g}`] as { version: number } | undefined)?.version ?? 0),
  );
  t.ok((await pg.cp.nextConfigVersion()) > maxVersion, 'config versions continue');
  t.equal((await pg.cloud.stats()).batches, 4, 'the batches counter continues from the imported count');

  await t.rejects(
    importSqlite(target, { sqlitePath: path, nowMs: NOW }),
    { code: 'CLOUD_ERR_IMPORT', message: /not empty.*gateways/ },
    'a second import into the now non-empty database is refused',
  );
  t.equal((await pg.cloud.listGateways()).length, 3, 'and changed nothing');
});

t.test('refused while a cloud holds the SQLite file; nothing written', async (t) => {
  const { path } = await fixture(t);
  const url = await tempPgDatabase(t);
  const target = new PgDatabase(url, { max: 2 });
  t.teardown(() => target.close());
  const lock = lockStore(path, { code: 'CLOUD_ERR_ALREADY_RUNNING', ioCode: 'CLOUD_ERR_STORE', what: 'cloud' });
  try {
    await t.rejects(importSqlite(target, { sqlitePath: path }), { code: 'CLOUD_ERR_ALREADY_RUNNING' });
  } finally {
    lock.release();
  }
  t.equal((await schemaState(target)).current, 0, 'the database was not touched');
  const r = await importSqlite(target, { sqlitePath: path });
  t.equal(r.tables.find((x) => x.table === 'gateways')?.imported, 3, 'imports once the cloud stopped');
});

t.test('a failing copy rolls everything back; a fixed file then imports', async (t) => {
  const { path } = await fixture(t);
  // U+0000 in a text column other than a reading value: PostgreSQL text cannot hold it
  const raw = new Database(path);
  raw.prepare('UPDATE api_keys SET name = ?').run('bad\u0000name');
  raw.close();
  const url = await tempPgDatabase(t);
  const target = new PgDatabase(url, { max: 2 });
  t.teardown(() => target.close());
  await t.rejects(importSqlite(target, { sqlitePath: path, nowMs: NOW }), {
    code: 'CLOUD_ERR_IMPORT',
    message: /0x00.*COPY api_keys, line 1/,
  });
  const counts = await target.query<{ g: number; r: number; d: number }>(
    'SELECT (SELECT count(*) FROM gateways)::int AS g, (SELECT count(*) FROM readings)::int AS r, (SELECT count(*) FROM devices)::int AS d',
  );
  t.same(counts[0], { g: 0, r: 0, d: 0 }, 'nothing of the failed import stayed');
  const fix = new Database(path);
  fix.prepare("UPDATE api_keys SET name = 'fixed'").run();
  fix.close();
  const r = await importSqlite(target, { sqlitePath: path, nowMs: NOW });
  t.same(r.migrated, [], 'the schema of the first attempt is kept');
  t.equal(r.tables.find((x) => x.table === 'api_keys')?.imported, 1, 'the fixed file imports');
});

t.test('a file of an old release (no later columns or tables) imports with the defaults', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yw-import-old-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'cloud.db');
  const old = new Database(path);
  old.exec(`
    CREATE TABLE gateways (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, created_ms INTEGER NOT NULL, online INTEGER NOT NULL DEFAULT 0,
      last_seen_ms INTEGER, last_batch_ms INTEGER, batches INTEGER NOT NULL DEFAULT 0, readings INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE batches (gateway_id TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL, received_ms INTEGER NOT NULL,
      readings INTEGER NOT NULL, PRIMARY KEY (gateway_id, epoch, seq)) WITHOUT ROWID;
    CREATE TABLE devices (id TEXT PRIMARY KEY, gateway_id TEXT NOT NULL, first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
      last_reading_ts INTEGER NOT NULL, readings INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE readings (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, metric TEXT NOT NULL, ts INTEGER NOT NULL, unit TEXT NOT NULL,
      kind INTEGER NOT NULL, num REAL, str TEXT, clock INTEGER NOT NULL, priority INTEGER NOT NULL, gateway_id TEXT NOT NULL);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO gateways (id, secret_hash, created_ms, online, last_seen_ms, batches, readings) VALUES ('gw-old', 'h', ${T1}, 1, ${NOW}, 1, 2);
    INSERT INTO batches VALUES ('gw-old', 1, 1, ${NOW}, 2);
    INSERT INTO devices VALUES ('d-old', 'gw-old', ${NOW}, ${NOW}, ${NOW}, 2);
    INSERT INTO readings VALUES (1, 'd-old', 'm', ${NOW}, 'm3', 0, 1.5, NULL, 1, 2, 'gw-old');
    INSERT INTO readings VALUES (2, 'd-old', 'm', ${OLD}, 'm3', 2, NULL, 'old', 1, 2, 'gw-old');
    INSERT INTO counters VALUES ('readings', 2);
  `);
  old.close();
  const url = await tempPgDatabase(t);
  const target = new PgDatabase(url, { max: 2 });
  t.teardown(() => target.close());
  const r = await importSqlite(target, { sqlitePath: path, nowMs: NOW, readingsSinceMs: OLD + 1 });
  t.equal(r.readingsSkipped, 1, '--readings-since left the 2020 reading out');
  t.equal(r.tables.find((x) => x.table === 'events')?.source, 0, 'tables the old file lacks: none to copy');
  const pg = await openPg(t, url);
  t.match(await pg.cloud.listGateways(), [{ id: 'gw-old', online: true, revokedMs: null, batches: 1 }]);
  t.match(await pg.cloud.loadGatewayHealth(), [{ gatewayId: 'gw-old', tags: { district: '', site: '', group: '' } }]);
  t.match(await pg.cloud.listDevices(), [{ id: 'd-old', type: '', online: false }]);
  t.same(
    (await pg.cloud.readings({ deviceId: 'd-old' })).map((x) => x.value),
    [1.5],
    'the readings since the date',
  );
  t.match(await pg.cloud.stats(), { readings: 2, batches: 1 }, 'counters as the file had them');
  t.match(await pg.cloud.ingestBatch(batch('gw-old', 1, [])), { status: 'duplicate' }, 'its batch keys hold');
});

t.test('yiwang-cloud db import-sqlite (the CLI, --json)', async (t) => {
  const { dir, path } = await fixture(t);
  const url = await tempPgDatabase(t);
  const cfg = join(dir, 'cloud.toml');
  writeFileSync(cfg, `[store]\nbackend = "postgres"\npostgres_url = "${url}"\npath = "${path}"\n`);
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO_ROOT, 'dist/cloud/cli/main.js'), '-c', cfg, '--json', 'db', ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });
  const bad = cli('import-sqlite', path, '--readings-since', 'yesterday-ish');
  t.not(bad.status, 0, 'a bad date is refused');
  t.match(bad.stderr, /CLOUD_ERR_IMPORT/);
  const ok = cli('import-sqlite', path, '--readings-since', new Date(OLD + 1).toISOString());
  t.equal(ok.status, 0, ok.stderr);
  const out = JSON.parse(ok.stdout) as { tables: Record<string, number>; readingsSkipped: number; migrated: number[] };
  t.match(out, { migrated: [1], readingsSkipped: 1, tables: { gateways: 3, readings: TRICKY.length + 4 } });
  const again = cli('import-sqlite', path);
  t.not(again.status, 0, 'a second import is refused');
  t.match(again.stderr, /CLOUD_ERR_IMPORT/);
});
