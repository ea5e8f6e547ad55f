/**
 * Rows of the control-plane tables as both implementations read them (SQLite, PostgreSQL: the same
 * column names; BLOB and BYTEA both come back as Buffer) and their records.
 */
import type {
  ApiKeyRecord,
  ApiScope,
  ClaimRecord,
  ConfigLayer,
  IdentityRecord,
  LayerScope,
  ReportedConfig,
} from './control-plane-store.js';

export interface ClaimRow {
  id: string;
  secret_hash: string;
  grp: string;
  site: string;
  district: string;
  created_ms: number;
  expires_ms: number;
  max_uses: number;
  uses: number;
  revoked_ms: number | null;
  note: string;
}
export interface IdentityRow {
  gateway_id: string;
  claim_id: string;
  public_key: Buffer;
  grp: string;
  site: string;
  district: string;
  provisioned_ms: number;
  revoked_ms: number | null;
}
export interface KeyRow {
  id: string;
  name: string;
  scope: string;
  owner?: string | null;
  created_ms: number;
  revoked_ms: number | null;
}
export interface LayerRow {
  scope: string;
  key: string;
  revision: number;
  toml: string;
  created_ms: number;
}
export interface IssuedRow {
  gateway_id: string;
  version: number;
  envelope: Buffer;
  label: string;
  toml: string;
  issued_ms: number;
}
export interface ReportedRow {
  gateway_id: string;
  version: number;
  state: string;
  error_code: string;
  detail: string;
  running_version: number;
  ts_ms: number;
}

export const reported = (r: ReportedRow): ReportedConfig => ({
  gatewayId: r.gateway_id,
  version: r.version,
  state: r.state as ReportedConfig['state'],
  errorCode: r.error_code,
  detail: r.detail,
  runningVersion: r.running_version,
  tsMs: r.ts_ms,
});

/** Reported configs are read by the thousand per rollout tick: one statement per this many ids. */
export const REPORTED_CHUNK = 1000;

export const claim = (r: ClaimRow): ClaimRecord => ({
  id: r.id,
  group: r.grp,
  site: r.site,
  district: r.district,
  createdMs: r.created_ms,
  expiresMs: r.expires_ms,
  maxUses: r.max_uses,
  uses: r.uses,
  revokedMs: r.revoked_ms,
  note: r.note,
});
export const identity = (r: IdentityRow): IdentityRecord => ({
  gatewayId: r.gateway_id,
  claimId: r.claim_id,
  publicKey: r.public_key,
  group: r.grp,
  site: r.site,
  district: r.district,
  provisionedMs: r.provisioned_ms,
  revokedMs: r.revoked_ms,
});
export const key = (r: KeyRow): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  scope: r.scope as ApiScope,
  owner: r.owner ?? null,
  createdMs: r.created_ms,
  revokedMs: r.revoked_ms,
});
export const layer = (r: LayerRow): ConfigLayer => ({
  scope: r.scope as LayerScope,
  key: r.key,
  revision: r.revision,
  toml: r.toml,
  createdMs: r.created_ms,
});
