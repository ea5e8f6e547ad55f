/**
 * PostgreSQL implementation of ControlPlaneStore (schema: pg-control-plane-schema.ts). It shares the
 * cloud store's pool and gateway rows (PgRegistry, declared below), so a claim — its use, the gateway
 * row with its tags, the identity and a first config — is one transaction. Every contended write
 * serializes on a row lock taken by the write itself (a conditional UPDATE, an upsert), never on a
 * read followed by a write, so READ COMMITTED suffices: concurrent claims never exceed a claim's
 * uses, concurrent revocations count once, concurrent layers get distinct revisions. Ordered lists
 * sort ids with the "C" collation (bytewise, as SQLite's BINARY). Database failures are
 * CLOUD_ERR_STORE. The pool belongs to the composition root: close() leaves it open.
 */
import type pg from 'pg';
import type { GatewayTags } from '../../health/types.js';
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
} from '../control-plane-store.js';
import { type PgDatabase, type PgQueryable, storeError } from './pg-database.js';
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
} from '../control-plane-rows.js';

/** What the control-plane store needs of the PostgreSQL cloud store (pg-cloud-store.ts): its pool and the gateway rows, inside the control plane's transactions. */
export interface PgRegistry {
  readonly db: PgDatabase;
  /** Inserts a gateway (and its tags) through `c`; false when the id exists. */
  insertGateway(
    c: PgQueryable,
    id: string,
    secretHash: string,
    tags: GatewayTags | undefined,
    nowMs: number,
  ): Promise<boolean>;
  /** False when unknown or revoked already. */
  markRevoked(c: PgQueryable, id: string, atMs: number): Promise<boolean>;
  /** null: not revoked; undefined: no such gateway. */
  revokedAt(c: PgQueryable, id: string): Promise<number | null | undefined>;
  deleteGateway(
    c: PgQueryable,
    id: string,
    withDevices: boolean,
    nowMs: number,
  ): Promise<{ removed: boolean; devices: number }>;
}

/** Thrown inside a claim's transaction to roll it back and answer `id_taken`. */
class IdTaken extends Error {}
/** Carries the error of a claim's config builder out of its rolled-back transaction (thrown as it is, as SQLite's). */
class BuilderFailed extends Error {
  constructor(readonly error: unknown) {
    super('config builder failed');
  }
}

/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505';

export class PgControlPlaneStore implements ControlPlaneStore {
  private readonly db: PgDatabase;

  constructor(private readonly registry: PgRegistry) {
    this.db = registry.db;
  }

  /** Runs `fn`, turning a database failure into CLOUD_ERR_STORE naming `what` (a claim's config builder's error passes as it is). */
  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof BuilderFailed) throw err.error;
      throw storeError(what, err);
    }
  }

  private async rows<R extends pg.QueryResultRow>(c: PgQueryable, sql: string, params: unknown[]): Promise<R[]> {
    return (await c.query<R>(sql, params)).rows;
  }

  async provision(w: ProvisionWrite): Promise<ProvisionOutcome> {
    return this.run('provision', async () => {
      try {
        return await this.db.tx((c) => this.provisionIn(c, w));
      } catch (err) {
        // the id was inserted by a claim that committed while this one waited on its row
        const e = err as { code?: string; table?: string };
        if (err instanceof IdTaken || (e.code === UNIQUE_VIOLATION && e.table === 'gateways'))
          return { status: 'id_taken' };
        throw err;
      }
    });
  }

  private async provisionIn(c: pg.PoolClient, w: ProvisionWrite): Promise<ProvisionOutcome> {
    const id = w.identity;
    if ((await c.query('SELECT 1 FROM gateways WHERE id = $1', [id.gatewayId])).rowCount) return { status: 'id_taken' };
    // the use is taken under the claim row's lock; a concurrent claim waits and re-checks the row it gets
    const took = await c.query(
      'UPDATE claims SET uses = uses + 1 WHERE id = $1 AND uses < max_uses AND revoked_ms IS NULL AND expires_ms > $2',
      [w.claimId, id.provisionedMs],
    );
    if (took.rowCount !== 1) return { status: 'refused' };
    const tags = { group: id.group, site: id.site, district: id.district };
    if (!(await this.registry.insertGateway(c, id.gatewayId, w.secretHash, tags, id.provisionedMs)))
      throw new IdTaken();
    await this.saveIdentityIn(c, id);
    if (!w.config) return { status: 'provisioned' };
    const version = await this.nextVersionIn(c);
    let issued: IssuedConfig;
    try {
      issued = w.config(version);
    } catch (err) {
      throw new BuilderFailed(err);
    }
    await this.saveIssuedIn(c, issued);
    return { status: 'provisioned', issued };
  }

  async createClaim(c: ClaimRecord, secretHash: string): Promise<void> {
    await this.run('createClaim', () =>
      this.db.query(
        'INSERT INTO claims (id, secret_hash, grp, site, district, created_ms, expires_ms, max_uses, uses, revoked_ms, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [
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
        ],
      ),
    );
  }
  async getClaim(id: string): Promise<{ claim: ClaimRecord; secretHash: string } | undefined> {
    const [r] = await this.run('getClaim', () => this.db.query<ClaimRow>('SELECT * FROM claims WHERE id = $1', [id]));
    return r && { claim: claim(r), secretHash: r.secret_hash };
  }
  async listClaims(): Promise<ClaimRecord[]> {
    const rows = await this.run('listClaims', () =>
      this.db.query<ClaimRow>('SELECT * FROM claims ORDER BY created_ms, id COLLATE "C"'),
    );
    return rows.map(claim);
  }
  async revokeClaim(id: string, atMs: number): Promise<boolean> {
    return this.run('revokeClaim', async () => {
      const r = await this.db.pool.query('UPDATE claims SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL', [
        atMs,
        id,
      ]);
      return r.rowCount === 1;
    });
  }
  async useClaim(id: string): Promise<boolean> {
    return this.run('useClaim', async () => {
      const r = await this.db.pool.query('UPDATE claims SET uses = uses + 1 WHERE id = $1 AND uses < max_uses', [id]);
      return r.rowCount === 1;
    });
  }

  async saveIdentity(r: IdentityRecord): Promise<void> {
    await this.run('saveIdentity', () => this.saveIdentityIn(this.db.pool, r));
  }
  private async saveIdentityIn(c: PgQueryable, r: IdentityRecord): Promise<void> {
    await c.query(
      `INSERT INTO identities (gateway_id, claim_id, public_key, grp, site, district, provisioned_ms, revoked_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (gateway_id) DO UPDATE SET claim_id = excluded.claim_id, public_key = excluded.public_key, grp = excluded.grp, site = excluded.site,
        district = excluded.district, provisioned_ms = excluded.provisioned_ms, revoked_ms = excluded.revoked_ms`,
      [r.gatewayId, r.claimId, r.publicKey, r.group, r.site, r.district, r.provisionedMs, r.revokedMs],
    );
  }
  async getIdentity(gatewayId: string): Promise<IdentityRecord | undefined> {
    const [r] = await this.run('getIdentity', () =>
      this.db.query<IdentityRow>('SELECT * FROM identities WHERE gateway_id = $1', [gatewayId]),
    );
    return r && identity(r);
  }
  async revokeGateway(gatewayId: string, atMs: number): Promise<boolean> {
    return this.run('revokeGateway', () =>
      this.db.tx(async (c) => {
        if (!(await this.registry.markRevoked(c, gatewayId, atMs))) return false;
        await c.query('UPDATE identities SET revoked_ms = $1 WHERE gateway_id = $2 AND revoked_ms IS NULL', [
          atMs,
          gatewayId,
        ]);
        await c.query(
          'INSERT INTO revoked_gateways (gateway_id, revoked_ms) VALUES ($1, $2) ON CONFLICT (gateway_id) DO UPDATE SET revoked_ms = excluded.revoked_ms',
          [gatewayId, atMs],
        );
        return true;
      }),
    );
  }
  async isRevoked(gatewayId: string): Promise<boolean> {
    return ((await this.revokedAt(gatewayId)) ?? null) !== null;
  }
  async revokedAt(gatewayId: string): Promise<number | null | undefined> {
    return this.run('revokedAt', () => this.registry.revokedAt(this.db.pool, gatewayId));
  }

  async removeGateway(gatewayId: string, o: { withDevices: boolean; nowMs: number }): Promise<RemoveOutcome> {
    return this.run('removeGateway', () =>
      this.db.tx(async (c): Promise<RemoveOutcome> => {
        // the gateway row's lock orders concurrent removals: the later one finds no row
        await c.query('SELECT 1 FROM gateways WHERE id = $1 FOR UPDATE', [gatewayId]);
        const revoked = await this.registry.revokedAt(c, gatewayId);
        if (revoked === undefined) return { status: 'not_found' };
        if (revoked === null) return { status: 'not_revoked' };
        const r = await this.registry.deleteGateway(c, gatewayId, o.withDevices, o.nowMs);
        if (!r.removed) return { status: 'has_devices', devices: r.devices };
        for (const table of ['identities', 'config_issued', 'config_reported', 'config_pins'])
          await c.query(`DELETE FROM ${table} WHERE gateway_id = $1`, [gatewayId]);
        return { status: 'removed', devices: r.devices };
      }),
    );
  }

  async revokedSince(sinceMs: number): Promise<string[]> {
    const rows = await this.run('revokedSince', () =>
      this.db.query<{ gateway_id: string }>(
        'SELECT gateway_id FROM revoked_gateways WHERE revoked_ms >= $1 ORDER BY revoked_ms, gateway_id COLLATE "C"',
        [sinceMs],
      ),
    );
    return rows.map((r) => r.gateway_id);
  }

  async createApiKey(k: ApiKeyRecord, hash: string): Promise<void> {
    await this.run('createApiKey', () =>
      this.db.query(
        'INSERT INTO api_keys (id, hash, name, scope, created_ms, revoked_ms, owner) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [k.id, hash, k.name, k.scope, k.createdMs, k.revokedMs, k.owner ?? null],
      ),
    );
  }
  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const [r] = await this.run('apiKeyByHash', () =>
      this.db.query<KeyRow>('SELECT * FROM api_keys WHERE hash = $1 AND revoked_ms IS NULL', [hash]),
    );
    return r && key(r);
  }
  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const rows = await this.run('listApiKeys', () =>
      this.db.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_ms, id COLLATE "C"'),
    );
    return rows.map(key);
  }
  async revokeApiKey(id: string, atMs: number): Promise<boolean> {
    return this.run('revokeApiKey', async () => {
      const r = await this.db.pool.query('UPDATE api_keys SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL', [
        atMs,
        id,
      ]);
      return r.rowCount === 1;
    });
  }

  async addLayer(scope: LayerScope, k: string, toml: string, atMs: number): Promise<ConfigLayer> {
    return this.run('addLayer', () =>
      this.db.tx(async (c) => {
        // the head row's lock hands out revisions one at a time; a first concurrent insert turns into the update
        const [head] = await this.rows<{ revision: number }>(
          c,
          `INSERT INTO config_layer_heads (scope, key, revision)
            VALUES ($1, $2, (SELECT coalesce(max(revision), 0) + 1 FROM config_layers WHERE scope = $1 AND key = $2))
          ON CONFLICT (scope, key) DO UPDATE SET revision = config_layer_heads.revision + 1 RETURNING revision`,
          [scope, k],
        );
        const revision = head!.revision;
        await c.query(
          'INSERT INTO config_layers (scope, key, revision, toml, created_ms) VALUES ($1, $2, $3, $4, $5)',
          [scope, k, revision, toml, atMs],
        );
        return { scope, key: k, revision, toml, createdMs: atMs };
      }),
    );
  }
  async getLayer(scope: LayerScope, k: string, revision?: number): Promise<ConfigLayer | undefined> {
    const [r] = await this.run('getLayer', () =>
      revision === undefined
        ? this.db.query<LayerRow>(
            'SELECT * FROM config_layers WHERE scope = $1 AND key = $2 ORDER BY revision DESC LIMIT 1',
            [scope, k],
          )
        : this.db.query<LayerRow>('SELECT * FROM config_layers WHERE scope = $1 AND key = $2 AND revision = $3', [
            scope,
            k,
            revision,
          ]),
    );
    return r && layer(r);
  }
  async activeGroupRevision(group: string): Promise<number> {
    const [r] = await this.run('activeGroupRevision', () =>
      this.db.query<{ revision: number }>('SELECT revision FROM config_group_active WHERE grp = $1', [group]),
    );
    return r?.revision ?? 0;
  }
  async setActiveGroupRevision(group: string, revision: number): Promise<void> {
    await this.run('setActiveGroupRevision', () =>
      this.db.query(
        'INSERT INTO config_group_active (grp, revision) VALUES ($1, $2) ON CONFLICT (grp) DO UPDATE SET revision = excluded.revision',
        [group, revision],
      ),
    );
  }
  async setPin(gatewayId: string, revision: number | null): Promise<void> {
    await this.run('setPin', () =>
      revision === null
        ? this.db.query('DELETE FROM config_pins WHERE gateway_id = $1', [gatewayId])
        : this.db.query(
            'INSERT INTO config_pins (gateway_id, revision) VALUES ($1, $2) ON CONFLICT (gateway_id) DO UPDATE SET revision = excluded.revision',
            [gatewayId, revision],
          ),
    );
  }
  async pin(gatewayId: string): Promise<number | undefined> {
    const [r] = await this.run('pin', () =>
      this.db.query<{ revision: number }>('SELECT revision FROM config_pins WHERE gateway_id = $1', [gatewayId]),
    );
    return r?.revision;
  }
  async setGroup(gatewayId: string, group: string): Promise<boolean> {
    return this.run('setGroup', () =>
      this.db.tx(async (c) => {
        const r = await c.query(
          'UPDATE identities SET grp = $1 WHERE gateway_id = $2 AND revoked_ms IS NULL AND grp <> $1',
          [group, gatewayId],
        );
        if (r.rowCount === 0) return false;
        await c.query('DELETE FROM config_pins WHERE gateway_id = $1', [gatewayId]);
        return true;
      }),
    );
  }
  async groupMembers(group: string): Promise<string[]> {
    const rows = await this.run('groupMembers', () =>
      this.db.query<{ gateway_id: string }>(
        'SELECT gateway_id FROM identities WHERE grp = $1 AND revoked_ms IS NULL ORDER BY gateway_id COLLATE "C"',
        [group],
      ),
    );
    return rows.map((r) => r.gateway_id);
  }
  async nextConfigVersion(): Promise<number> {
    return this.run('nextConfigVersion', () => this.nextVersionIn(this.db.pool));
  }
  /** A sequence: unique and increasing across nodes; a rolled-back claim leaves a gap. */
  private async nextVersionIn(c: PgQueryable): Promise<number> {
    const [r] = await this.rows<{ v: number }>(c, "SELECT nextval('config_version_seq') AS v", []);
    return r!.v;
  }
  async saveIssued(c: IssuedConfig): Promise<void> {
    await this.run('saveIssued', () => this.saveIssuedIn(this.db.pool, c));
  }
  private async saveIssuedIn(q: PgQueryable, c: IssuedConfig): Promise<void> {
    await q.query(
      `INSERT INTO config_issued (gateway_id, version, envelope, label, toml, issued_ms) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (gateway_id) DO UPDATE SET version = excluded.version, envelope = excluded.envelope, label = excluded.label, toml = excluded.toml, issued_ms = excluded.issued_ms`,
      [c.gatewayId, c.version, c.envelope, c.label, c.toml, c.issuedMs],
    );
  }
  async getIssued(gatewayId: string): Promise<IssuedConfig | undefined> {
    const [r] = await this.run('getIssued', () =>
      this.db.query<IssuedRow>('SELECT * FROM config_issued WHERE gateway_id = $1', [gatewayId]),
    );
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
    await this.run('saveReported', () =>
      this.db.query(
        `INSERT INTO config_reported (gateway_id, version, state, error_code, detail, running_version, ts_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (gateway_id) DO UPDATE SET version = excluded.version, state = excluded.state, error_code = excluded.error_code, detail = excluded.detail,
        running_version = excluded.running_version, ts_ms = excluded.ts_ms`,
        [r.gatewayId, r.version, r.state, r.errorCode, r.detail, r.runningVersion, r.tsMs],
      ),
    );
  }
  async getReported(gatewayId: string): Promise<ReportedConfig | undefined> {
    const [r] = await this.run('getReported', () =>
      this.db.query<ReportedRow>('SELECT * FROM config_reported WHERE gateway_id = $1', [gatewayId]),
    );
    return r && reported(r);
  }
  async getReportedMany(gatewayIds: readonly string[]): Promise<Map<string, ReportedConfig>> {
    const out = new Map<string, ReportedConfig>();
    for (let i = 0; i < gatewayIds.length; i += REPORTED_CHUNK) {
      const ids = gatewayIds.slice(i, i + REPORTED_CHUNK);
      const rows = await this.run('getReportedMany', () =>
        this.db.query<ReportedRow>('SELECT * FROM config_reported WHERE gateway_id = ANY($1::text[])', [ids]),
      );
      for (const r of rows) out.set(r.gateway_id, reported(r));
    }
    return out;
  }

  async saveRollout(r: RolloutRecord): Promise<void> {
    await this.run('saveRollout', () =>
      this.db.query(
        'INSERT INTO rollouts (id, state, started_ms, body) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body',
        [r.id, r.state, r.startedMs, JSON.stringify(r)],
      ),
    );
  }
  async getRollout(id: string): Promise<RolloutRecord | undefined> {
    const [r] = await this.run('getRollout', () =>
      this.db.query<{ body: string }>('SELECT body FROM rollouts WHERE id = $1', [id]),
    );
    return r && (JSON.parse(r.body) as RolloutRecord);
  }
  async listRollouts(state?: RolloutState): Promise<RolloutRecord[]> {
    const rows = await this.run('listRollouts', () =>
      state
        ? this.db.query<{ body: string }>(
            'SELECT body FROM rollouts WHERE state = $1 ORDER BY started_ms, id COLLATE "C"',
            [state],
          )
        : this.db.query<{ body: string }>('SELECT body FROM rollouts ORDER BY started_ms, id COLLATE "C"'),
    );
    return rows.map((r) => JSON.parse(r.body) as RolloutRecord);
  }
  async listOpenRollbacks(): Promise<RolloutRecord[]> {
    const rows = await this.run('listOpenRollbacks', () =>
      this.db.query<{ body: string }>(
        `SELECT body FROM rollouts WHERE state = 'aborted' AND jsonb_typeof(body::jsonb -> 'rollback') = 'object'
           AND jsonb_typeof(body::jsonb #> '{rollback,finishedMs}') = 'null' ORDER BY started_ms, id COLLATE "C"`,
      ),
    );
    return rows.map((r) => JSON.parse(r.body) as RolloutRecord);
  }

  /** Nothing to flush (every call is its own transaction); the pool belongs to the composition root, which ends it. */
  async close(): Promise<void> {}
}
