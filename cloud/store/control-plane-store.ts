/**
 * The control plane: who may join (claim tokens, gateway identities, revocation and removal), who
 * may operate (API keys) and what gateways should run (desired-config layers, pins, issued and
 * reported configs, rollouts). One interface (this file, no technology in its name), implemented
 * on SQLite (sqlite-control-plane-store.ts) and PostgreSQL (postgres/pg-control-plane-store.ts).
 */
import type { UserRole } from '../auth/roles.js';

export interface ClaimScope {
  group: string;
  site: string;
  district: string;
}

export interface ClaimRecord extends ClaimScope {
  id: string;
  createdMs: number;
  expiresMs: number;
  maxUses: number;
  uses: number;
  revokedMs: number | null;
  note: string;
}

export interface IdentityRecord extends ClaimScope {
  gatewayId: string;
  claimId: string;
  publicKey: Buffer;
  provisionedMs: number;
  revokedMs: number | null;
}

/** A key's role: `read`/`admin` (keys made before accounts: viewer / the bootstrap admin) or an account role (cloud/auth/roles.ts). */
export type ApiScope = 'read' | 'admin' | UserRole;
export interface ApiKeyRecord {
  id: string;
  name: string;
  scope: ApiScope;
  /** The account the key belongs to (it acts with at most that account's rights and scope); null: a key made before accounts. */
  owner?: string | null;
  createdMs: number;
  revokedMs: number | null;
}

export type LayerScope = 'fleet' | 'group' | 'gateway';
export interface ConfigLayer {
  scope: LayerScope;
  key: string;
  revision: number;
  toml: string;
  createdMs: number;
}

export interface IssuedConfig {
  gatewayId: string;
  version: number;
  envelope: Buffer;
  label: string;
  toml: string;
  issuedMs: number;
}
export interface ReportedConfig {
  gatewayId: string;
  version: number;
  state: 'applied' | 'failed' | 'rejected';
  errorCode: string;
  detail: string;
  runningVersion: number;
  tsMs: number;
}

export type RolloutState = 'running' | 'completed' | 'aborted';

/** One wave of a rollout (cloud/rollout/waves.ts). */
export interface RolloutWave {
  /** As given: `N` gateways or `P%` of the group; cumulative. */
  spec: string;
  /** Gateways reached by the end of this wave (N, or ceil(P × total / 100); at most total). */
  target: number;
  /** Gateways sent the revision in this wave, in id order. */
  members: string[];
  startedMs: number | null;
  endedMs: number | null;
}

/** The return of an aborted rollout's gateways to the previous revision. */
export interface RolloutRollback {
  /** Version each reached gateway was sent to return to the previous revision. */
  targets: Record<string, number>;
  /** Gateways that confirmed it (id → time of the report). */
  appliedMs: Record<string, number>;
  /** Gateways that failed it or stayed silent for the soak time (id → reason). */
  failed: Record<string, string>;
  startedMs: number;
  /** When every gateway had answered or the soak time had passed; null while it runs. */
  finishedMs: number | null;
}

export interface RolloutRecord {
  id: string;
  group: string;
  revision: number;
  previousRevision: number;
  /** The plan's steps (`N` or `P%`, cumulative), ending with `100%`. */
  waves: string[];
  /** The waves with their targets and members. */
  plan: RolloutWave[];
  soakMs: number;
  maxFailedRatio: number;
  /** Whether gateways offline when their wave is sent are deferred (not sent, not counted) rather than sent and counted. */
  deferOffline: boolean;
  state: RolloutState;
  wave: number;
  /** Gateways reached so far, in wave order. */
  members: string[];
  /** Config version each reached gateway was sent. */
  targets: Record<string, number>;
  /** Reached gateways that confirmed their version (id → time of the report). */
  appliedMs: Record<string, number>;
  /** Reached gateways that failed (id → reason). */
  failed: Record<string, string>;
  /** Gateways of the group not sent the revision because they were offline when their turn came (id → since). */
  deferred: Record<string, number>;
  /** Size of the group at start. */
  total: number;
  waveStartedMs: number;
  startedMs: number;
  updatedMs: number;
  /** When it completed or aborted; its figures never change after that (except its rollback's, until the rollback finishes). */
  finishedMs: number | null;
  reason: string;
  rollback: RolloutRollback | null;
}

/** Everything a successful claim writes: committed as one transaction, grouped with concurrent claims. */
export interface ProvisionWrite {
  claimId: string;
  /** Identity to record (its gatewayId, scope and provisioning time). */
  identity: IdentityRecord;
  /** Hash of the gateway's generated secret (cloud/registry/secrets.ts). */
  secretHash: string;
  /** Builds the gateway's first desired config for the version taken in the same transaction; omitted = none. */
  config?: (version: number) => IssuedConfig;
}

/** `refused`: the claim was revoked, expired or used up meanwhile; `id_taken`: the gateway id exists. Nothing is written then. */
export type ProvisionOutcome =
  | { status: 'provisioned'; issued?: IssuedConfig }
  | { status: 'refused' }
  | { status: 'id_taken' };

/**
 * `removeGateway`: `removed` (with how many devices); `not_revoked` (revoke it first), `has_devices`
 * (it owns devices and they were not to be deleted), `not_found`. Nothing is deleted but on `removed`.
 */
export type RemoveOutcome =
  | { status: 'removed'; devices: number }
  | { status: 'not_revoked' }
  | { status: 'has_devices'; devices: number }
  | { status: 'not_found' };

export interface ControlPlaneStore {
  /** Takes one use of a claim, creates the gateway (with its tags) and its identity, and its first config: all or nothing. */
  provision(w: ProvisionWrite): Promise<ProvisionOutcome>;
  // claims
  createClaim(c: ClaimRecord, secretHash: string): Promise<void>;
  getClaim(id: string): Promise<{ claim: ClaimRecord; secretHash: string } | undefined>;
  listClaims(): Promise<ClaimRecord[]>;
  revokeClaim(id: string, atMs: number): Promise<boolean>;
  /** Takes one use if the claim still has one; false when used up meanwhile. */
  useClaim(id: string): Promise<boolean>;
  // identities
  saveIdentity(r: IdentityRecord): Promise<void>;
  getIdentity(gatewayId: string): Promise<IdentityRecord | undefined>;
  /** Records a revocation (the gateway row and its identity); false when the gateway is unknown or revoked already. */
  revokeGateway(gatewayId: string, atMs: number): Promise<boolean>;
  isRevoked(gatewayId: string): Promise<boolean>;
  /** When the gateway was revoked: null when it is not, undefined when there is no such gateway. */
  revokedAt(gatewayId: string): Promise<number | null | undefined>;
  /**
   * Deletes a revoked gateway, all or nothing: its registry row, identity, configuration state,
   * status and counted figures (cloud/store/sqlite-cloud-store.ts deleteGateway); its devices only with
   * `withDevices`. Readings and events stay as history.
   */
  removeGateway(gatewayId: string, o: { withDevices: boolean; nowMs: number }): Promise<RemoveOutcome>;
  /** Gateways revoked at or after `sinceMs` (what every broker node disconnects). */
  revokedSince(sinceMs: number): Promise<string[]>;
  // operator API keys (sha-256 of the key)
  createApiKey(k: ApiKeyRecord, hash: string): Promise<void>;
  apiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  revokeApiKey(id: string, atMs: number): Promise<boolean>;
  // configuration layers, group activation, rollout pins
  addLayer(scope: LayerScope, key: string, toml: string, atMs: number): Promise<ConfigLayer>;
  getLayer(scope: LayerScope, key: string, revision?: number): Promise<ConfigLayer | undefined>;
  activeGroupRevision(group: string): Promise<number>;
  setActiveGroupRevision(group: string, revision: number): Promise<void>;
  setPin(gatewayId: string, revision: number | null): Promise<void>;
  pin(gatewayId: string): Promise<number | undefined>;
  groupMembers(group: string): Promise<string[]>;
  /**
   * Moves a gateway's identity to `group` ('' = none) and drops its rollout pin (it leaves the
   * rollout of its old group); false when it has no live identity or is in that group already.
   */
  setGroup(gatewayId: string, group: string): Promise<boolean>;
  nextConfigVersion(): Promise<number>;
  saveIssued(c: IssuedConfig): Promise<void>;
  getIssued(gatewayId: string): Promise<IssuedConfig | undefined>;
  saveReported(r: ReportedConfig): Promise<void>;
  getReported(gatewayId: string): Promise<ReportedConfig | undefined>;
  /** The reported configs of these gateways (those that reported), by gateway id: a rollout tick reads its whole wave at once. */
  getReportedMany(gatewayIds: readonly string[]): Promise<Map<string, ReportedConfig>>;
  // rollouts
  saveRollout(r: RolloutRecord): Promise<void>;
  getRollout(id: string): Promise<RolloutRecord | undefined>;
  listRollouts(state?: RolloutState): Promise<RolloutRecord[]>;
  /** Aborted rollouts whose rollback is still under way (rollback.finishedMs null), by start time. */
  listOpenRollbacks(): Promise<RolloutRecord[]>;
  close(): Promise<void>;
}
