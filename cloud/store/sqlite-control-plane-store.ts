/**
 * SQLite implementation of ControlPlaneStore. It shares the cloud store's connection (WAL, FULL sync), so
 * a claim — its use, the gateway row with its tags, the identity and a first config — is one
 * transaction, and concurrent claims share one commit (common/group-commit.ts).
 */
import type Database from 'better-sqlite3';
import { GroupCommitter } from '../../common/group-commit.js';
// the edge store's off-loop WAL fdatasync; it holds nothing edge-specific (candidate for common/)
import { WalSync } from '../../common/wal-sync.js';
import type { GatewayTags } from '../health/types.js';
import type {
  ApiKeyRecord,
  ClaimRecord,
  ConfigLayer,
  ControlPlaneStore,
  IdentityRecord,
  IssuedConfig,
  LayerScope,
  ProvisionOutcome,
  ProvisionWrite,
  RemoveOutcome,
  ReportedConfig,
  RolloutRecord,
  RolloutState,
} from './control-plane-store.js';
import {
  type ClaimRow,
  type IdentityRow,
  type KeyRow,
  type LayerRow,
  type IssuedRow,
  type ReportedRow,
  reported,
  REPORTED_CHUNK,
  claim,
  identity,
  key,
  layer,
} from './control-plane-rows.js';

/** What the control-plane store needs of the SQLite cloud store (cloud/store/sqlite-cloud-store.ts): its connection and the gateway rows, inside the control plane's transactions. */
export interface SqliteGatewayTable {
  readonly database: Database.Database;
  insertGateway(id: string, secretHash: string, tags: GatewayTags | undefined, nowMs: number): boolean;
  /** False when unknown or revoked already. */
  markRevoked(id: string, atMs: number): boolean;
  /** null: not revoked; undefined: no such gateway. */
  revokedAt(id: string): number | null | undefined;
  deleteGateway(id: string, withDevices: boolean, nowMs: number): { removed: boolean; devices: number };
}

const DDL = `
CREATE TABLE IF NOT EXISTS claims (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, grp TEXT NOT NULL, site TEXT NOT NULL, district TEXT NOT NULL,
  created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL, max_uses INTEGER NOT NULL, uses INTEGER NOT NULL DEFAULT 0, revoked_ms INTEGER, note TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS identities (gateway_id TEXT PRIMARY KEY, claim_id TEXT NOT NULL, public_key BLOB NOT NULL, grp TEXT NOT NULL, site TEXT NOT NULL,
  district TEXT NOT NULL, provisioned_ms INTEGER NOT NULL, revoked_ms INTEGER);
CREATE INDEX IF NOT EXISTS identities_grp ON identities (grp);
-- revocations by time, for every broker node to close the sessions it holds (revokedSince); whether a gateway is revoked is gateways.revoked_ms
CREATE TABLE IF NOT EXISTS revoked_gateways (gateway_id TEXT PRIMARY KEY, revoked_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, scope TEXT NOT NULL, created_ms INTEGER NOT NULL, revoked_ms INTEGER, owner TEXT);
CREATE TABLE IF NOT EXISTS config_layers (scope TEXT NOT NULL, key TEXT NOT NULL, revision INTEGER NOT NULL, toml TEXT NOT NULL, created_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, key, revision));
CREATE TABLE IF NOT EXISTS config_group_active (grp TEXT PRIMARY KEY, revision INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS config_pins (gateway_id TEXT PRIMARY KEY, revision INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS config_seq (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS config_issued (gateway_id TEXT PRIMARY KEY, version INTEGER NOT NULL, envelope BLOB NOT NULL, label TEXT NOT NULL, toml TEXT NOT NULL, issued_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS config_reported (gateway_id TEXT PRIMARY KEY, version INTEGER NOT NULL, state TEXT NOT NULL, error_code TEXT NOT NULL, detail TEXT NOT NULL,
  running_version INTEGER NOT NULL, ts_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rollouts (id TEXT PRIMARY KEY, state TEXT NOT NULL, started_ms INTEGER NOT NULL, body TEXT NOT NULL);
`;

export class SqliteControlPlaneStore implements ControlPlaneStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly claimCommits: GroupCommitter<ProvisionWrite, { out: ProvisionOutcome } | { err: unknown }>;
  /** Transactions of claims and claims in them (the bench and tests read these; `walSyncs` counts their fdatasyncs). */
  readonly claimStats = { commits: 0, claims: 0 };

  private readonly wal: WalSync;

  /** `commitMs`: claims arriving within it share one commit. */
  constructor(
    private readonly gateways: SqliteGatewayTable,
    commitMs = 2,
  ) {
    this.db = gateways.database;
    this.db.exec(DDL);
    // api_keys.owner came with operator accounts (issue 22)
    if (
      !(this.db.prepare("SELECT name FROM pragma_table_info('api_keys')").all() as { name: string }[]).some(
        (c) => c.name === 'owner',
      )
    )
      this.db.exec('ALTER TABLE api_keys ADD COLUMN owner TEXT');
    // revocations recorded before gateways.revoked_ms existed (a later gateway with the id is not revoked)
    this.db
      .prepare(`UPDATE gateways SET revoked_ms = (SELECT r.revoked_ms FROM revoked_gateways r WHERE r.gateway_id = gateways.id)
      WHERE revoked_ms IS NULL AND EXISTS (SELECT 1 FROM revoked_gateways r WHERE r.gateway_id = gateways.id AND r.revoked_ms >= gateways.created_ms)`)
      .run();
    this.wal = new WalSync(this.db.name);
    // Each claim in its own savepoint: a failing one rolls back alone; a failed COMMIT fails the
    // group. The commit skips SQLite's fsync (synchronous = NORMAL for this transaction only); the
    // claims are answered after an fdatasync of the WAL that ran in the thread pool (edge/store/
    // wal-sync.ts), so the event loop goes on with other claims while the disk works, and one
    // fdatasync covers every claim committed before it.
    this.claimCommits = new GroupCommitter({
      windowMs: commitMs,
      maxItems: 256,
      afterCommit: () => this.wal.durable(),
      commit: (items) => {
        const sync = this.db.pragma('synchronous', { simple: true }) as number;
        this.db.pragma('synchronous = NORMAL');
        try {
          const out = this.db.transaction(() =>
            items.map((w) => {
              try {
                return { out: this.db.transaction(() => this.provisionOne(w))() };
              } catch (err) {
                return { err };
              }
            }),
          )();
          this.wal.committed();
          this.claimStats.commits++;
          this.claimStats.claims += items.length;
          return out;
        } finally {
          this.db.pragma(`synchronous = ${sync}`);
        }
      },
    });
  }

  /** fdatasyncs of the WAL run for claims so far (one covers every claim committed before it). */
  get walSyncs(): number {
    return this.wal.syncs;
  }

  /** Prepared once per SQL text (preparing costs more than running these small statements). */
  private st(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async provision(w: ProvisionWrite): Promise<ProvisionOutcome> {
    const r = await this.claimCommits.submit(w);
    if ('err' in r) throw r.err;
    return r.out;
  }

  private provisionOne(w: ProvisionWrite): ProvisionOutcome {
    const id = w.identity;
    if (this.st('SELECT 1 FROM gateways WHERE id = ?').get(id.gatewayId) !== undefined) return { status: 'id_taken' };
    const took = this.st(
      'UPDATE claims SET uses = uses + 1 WHERE id = ? AND uses < max_uses AND revoked_ms IS NULL AND expires_ms > ?',
    ).run(w.claimId, id.provisionedMs);
    if (took.changes !== 1) return { status: 'refused' };
    if (
      !this.gateways.insertGateway(
        id.gatewayId,
        w.secretHash,
        { group: id.group, site: id.site, district: id.district },
        id.provisionedMs,
      )
    ) {
      throw new Error(`gateway ${id.gatewayId} appeared during its claim`);
    }
    this.saveIdentitySync(id);
    if (!w.config) return { status: 'provisioned' };
    const issued = w.config(this.nextVersionSync());
    this.saveIssuedSync(issued);
    return { status: 'provisioned', issued };
  }

  async createClaim(c: ClaimRecord, secretHash: string): Promise<void> {
    this.st(
      'INSERT INTO claims (id, secret_hash, grp, site, district, created_ms, expires_ms, max_uses, uses, revoked_ms, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      c.id,
      secretHash,
      c.group,
      c.site,
      c.district,
      c.createdMs,
      c.expiresMs,
      c.maxUses,
      c.uses,
      c.revokedMs,
      c.note,
    );
  }
  async getClaim(id: string): Promise<{ claim: ClaimRecord; secretHash: string } | undefined> {
    const r = this.st('SELECT * FROM claims WHERE id = ?').get(id) as ClaimRow | undefined;
    return r && { claim: claim(r), secretHash: r.secret_hash };
  }
  async listClaims(): Promise<ClaimRecord[]> {
    return (this.st('SELECT * FROM claims ORDER BY created_ms, id').all() as ClaimRow[]).map(claim);
  }
  async revokeClaim(id: string, atMs: number): Promise<boolean> {
    return this.st('UPDATE claims SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL').run(atMs, id).changes === 1;
  }
  async useClaim(id: string): Promise<boolean> {
    return this.st('UPDATE claims SET uses = uses + 1 WHERE id = ? AND uses < max_uses').run(id).changes === 1;
  }

  async saveIdentity(r: IdentityRecord): Promise<void> {
    this.saveIdentitySync(r);
  }
  private saveIdentitySync(r: IdentityRecord): void {
    this.st(`INSERT INTO identities (gateway_id, claim_id, public_key, grp, site, district, provisioned_ms, revoked_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (gateway_id) DO UPDATE SET claim_id = excluded.claim_id, public_key = excluded.public_key, grp = excluded.grp, site = excluded.site,
        district = excluded.district, provisioned_ms = excluded.provisioned_ms, revoked_ms = excluded.revoked_ms`).run(
      r.gatewayId,
      r.claimId,
      r.publicKey,
      r.group,
      r.site,
      r.district,
      r.provisionedMs,
      r.revokedMs,
    );
  }
  async getIdentity(gatewayId: string): Promise<IdentityRecord | undefined> {
    const r = this.st('SELECT * FROM identities WHERE gateway_id = ?').get(gatewayId) as IdentityRow | undefined;
    return r && identity(r);
  }
  async revokeGateway(gatewayId: string, atMs: number): Promise<boolean> {
    return this.db.transaction(() => {
      if (!this.gateways.markRevoked(gatewayId, atMs)) return false;
      this.st('UPDATE identities SET revoked_ms = ? WHERE gateway_id = ? AND revoked_ms IS NULL').run(atMs, gatewayId);
      this.st(
        'INSERT INTO revoked_gateways (gateway_id, revoked_ms) VALUES (?, ?) ON CONFLICT (gateway_id) DO UPDATE SET revoked_ms = excluded.revoked_ms',
      ).run(gatewayId, atMs);
      return true;
    })();
  }
  async isRevoked(gatewayId: string): Promise<boolean> {
    return (this.gateways.revokedAt(gatewayId) ?? null) !== null;
  }
  async revokedAt(gatewayId: string): Promise<number | null | undefined> {
    return this.gateways.revokedAt(gatewayId);
  }

  async removeGateway(gatewayId: string, o: { withDevices: boolean; nowMs: number }): Promise<RemoveOutcome> {
    return this.db.transaction((): RemoveOutcome => {
      const revoked = this.gateways.revokedAt(gatewayId);
      if (revoked === undefined) return { status: 'not_found' };
      if (revoked === null) return { status: 'not_revoked' };
      const r = this.gateways.deleteGateway(gatewayId, o.withDevices, o.nowMs);
      if (!r.removed) return { status: 'has_devices', devices: r.devices };
      for (const table of ['identities', 'config_issued', 'config_reported', 'config_pins'])
        this.st(`DELETE FROM ${table} WHERE gateway_id = ?`).run(gatewayId);
      return { status: 'removed', devices: r.devices };
    })();
  }

  async revokedSince(sinceMs: number): Promise<string[]> {
    return (
      this.st('SELECT gateway_id FROM revoked_gateways WHERE revoked_ms >= ?').all(sinceMs) as { gateway_id: string }[]
    ).map((r) => r.gateway_id);
  }

  async createApiKey(k: ApiKeyRecord, hash: string): Promise<void> {
    this.st(
      'INSERT INTO api_keys (id, hash, name, scope, created_ms, revoked_ms, owner) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(k.id, hash, k.name, k.scope, k.createdMs, k.revokedMs, k.owner ?? null);
  }
  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const r = this.st('SELECT * FROM api_keys WHERE hash = ? AND revoked_ms IS NULL').get(hash) as KeyRow | undefined;
    return r && key(r);
  }
  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (this.st('SELECT * FROM api_keys ORDER BY created_ms, id').all() as KeyRow[]).map(key);
  }
  async revokeApiKey(id: string, atMs: number): Promise<boolean> {
    return (
      this.st('UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL').run(atMs, id).changes === 1
    );
  }

  async addLayer(scope: LayerScope, k: string, toml: string, atMs: number): Promise<ConfigLayer> {
    return this.db.transaction(() => {
      const { n } = this.st(
        'SELECT coalesce(max(revision), 0) AS n FROM config_layers WHERE scope = ? AND key = ?',
      ).get(scope, k) as { n: number };
      this.st('INSERT INTO config_layers (scope, key, revision, toml, created_ms) VALUES (?, ?, ?, ?, ?)').run(
        scope,
        k,
        n + 1,
        toml,
        atMs,
      );
      return { scope, key: k, revision: n + 1, toml, createdMs: atMs };
    })();
  }
  async getLayer(scope: LayerScope, k: string, revision?: number): Promise<ConfigLayer | undefined> {
    const r = (
      revision === undefined
        ? this.st('SELECT * FROM config_layers WHERE scope = ? AND key = ? ORDER BY revision DESC LIMIT 1').get(
            scope,
            k,
          )
        : this.st('SELECT * FROM config_layers WHERE scope = ? AND key = ? AND revision = ?').get(scope, k, revision)
    ) as LayerRow | undefined;
    return r && layer(r);
  }
  async activeGroupRevision(group: string): Promise<number> {
    return (
      (this.st('SELECT revision FROM config_group_active WHERE grp = ?').get(group) as { revision: number } | undefined)
        ?.revision ?? 0
    );
  }
  async setActiveGroupRevision(group: string, revision: number): Promise<void> {
    this.st(
      'INSERT INTO config_group_active (grp, revision) VALUES (?, ?) ON CONFLICT (grp) DO UPDATE SET revision = excluded.revision',
    ).run(group, revision);
  }
  async setPin(gatewayId: string, revision: number | null): Promise<void> {
    if (revision === null) this.st('DELETE FROM config_pins WHERE gateway_id = ?').run(gatewayId);
    else
      this.st(
        'INSERT INTO config_pins (gateway_id, revision) VALUES (?, ?) ON CONFLICT (gateway_id) DO UPDATE SET revision = excluded.revision',
      ).run(gatewayId, revision);
  }
  async pin(gatewayId: string): Promise<number | undefined> {
    return (
      this.st('SELECT revision FROM config_pins WHERE gateway_id = ?').get(gatewayId) as
        | { revision: number }
        | undefined
    )?.revision;
  }
  async setGroup(gatewayId: string, group: string): Promise<boolean> {
    return this.db.transaction(() => {
      const r = this.st('UPDATE identities SET grp = ? WHERE gateway_id = ? AND revoked_ms IS NULL AND grp <> ?').run(
        group,
        gatewayId,
        group,
      );
      if (r.changes === 0) return false;
      this.st('DELETE FROM config_pins WHERE gateway_id = ?').run(gatewayId);
      return true;
    })();
  }
  async groupMembers(group: string): Promise<string[]> {
    return (
      this.st('SELECT gateway_id FROM identities WHERE grp = ? AND revoked_ms IS NULL ORDER BY gateway_id').all(
        group,
      ) as { gateway_id: string }[]
    ).map((r) => r.gateway_id);
  }
  async nextConfigVersion(): Promise<number> {
    return this.nextVersionSync();
  }
  private nextVersionSync(): number {
    return (
      this.st(
        'INSERT INTO config_seq (id, value) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET value = value + 1 RETURNING value',
      ).get() as { value: number }
    ).value;
  }
  async saveIssued(c: IssuedConfig): Promise<void> {
    this.saveIssuedSync(c);
  }
  private saveIssuedSync(c: IssuedConfig): void {
    this.st(`INSERT INTO config_issued (gateway_id, version, envelope, label, toml, issued_ms) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (gateway_id) DO UPDATE SET version = excluded.version, envelope = excluded.envelope, label = excluded.label, toml = excluded.toml, issued_ms = excluded.issued_ms`).run(
      c.gatewayId,
      c.version,
      c.envelope,
      c.label,
      c.toml,
      c.issuedMs,
    );
  }
  async getIssued(gatewayId: string): Promise<IssuedConfig | undefined> {
    const r = this.st('SELECT * FROM config_issued WHERE gateway_id = ?').get(gatewayId) as IssuedRow | undefined;
    return (
      r && {
        gatewayId: r.gateway_id,
        version: r.version,
        envelope: r.envelope,
        label: r.label,
        toml: r.toml,
        issuedMs: r.issued_ms,
      }
    );
  }
  async saveReported(r: ReportedConfig): Promise<void> {
    this.st(`INSERT INTO config_reported (gateway_id, version, state, error_code, detail, running_version, ts_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (gateway_id) DO UPDATE SET version = excluded.version, state = excluded.state, error_code = excluded.error_code, detail = excluded.detail,
        running_version = excluded.running_version, ts_ms = excluded.ts_ms`).run(
      r.gatewayId,
      r.version,
      r.state,
      r.errorCode,
      r.detail,
      r.runningVersion,
      r.tsMs,
    );
  }
  async getReported(gatewayId: string): Promise<ReportedConfig | undefined> {
    const r = this.st('SELECT * FROM config_reported WHERE gateway_id = ?').get(gatewayId) as ReportedRow | undefined;
    return r && reported(r);
  }
  async getReportedMany(gatewayIds: readonly string[]): Promise<Map<string, ReportedConfig>> {
    const out = new Map<string, ReportedConfig>();
    for (let i = 0; i < gatewayIds.length; i += REPORTED_CHUNK) {
      const ids = gatewayIds.slice(i, i + REPORTED_CHUNK);
      const rows = this.st('SELECT * FROM config_reported WHERE gateway_id IN (SELECT value FROM json_each(?))').all(
        JSON.stringify(ids),
      ) as ReportedRow[];
      for (const r of rows) out.set(r.gateway_id, reported(r));
    }
    return out;
  }

  async saveRollout(r: RolloutRecord): Promise<void> {
    this.st(
      'INSERT INTO rollouts (id, state, started_ms, body) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body',
    ).run(r.id, r.state, r.startedMs, JSON.stringify(r));
  }
  async getRollout(id: string): Promise<RolloutRecord | undefined> {
    const r = this.st('SELECT body FROM rollouts WHERE id = ?').get(id) as { body: string } | undefined;
    return r && (JSON.parse(r.body) as RolloutRecord);
  }
  async listRollouts(state?: RolloutState): Promise<RolloutRecord[]> {
    const rows = (
      state
        ? this.st('SELECT body FROM rollouts WHERE state = ? ORDER BY started_ms').all(state)
        : this.st('SELECT body FROM rollouts ORDER BY started_ms').all()
    ) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as RolloutRecord);
  }
  async listOpenRollbacks(): Promise<RolloutRecord[]> {
    const rows = this.st(
      "SELECT body FROM rollouts WHERE state = 'aborted' AND json_type(body, '$.rollback') = 'object' AND json_type(body, '$.rollback.finishedMs') = 'null' ORDER BY started_ms",
    ).all() as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as RolloutRecord);
  }

  /** Commits queued claims (synced); the connection belongs to the cloud store, which closes it. */
  async close(): Promise<void> {
    this.claimCommits.close();
    this.wal.close();
  }
}
