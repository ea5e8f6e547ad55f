/**
 * Provisioning, API keys and desired configuration: one interface (this file) and an SQLite
 * implementation (sqlite-fleet.ts); a PostgreSQL one follows the cloud store's.
 */
export interface ClaimScope { group: string; site: string; district: string }

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

export type ApiScope = 'read' | 'admin';
export interface ApiKeyRecord { id: string; name: string; scope: ApiScope; createdMs: number; revokedMs: number | null }

export type LayerScope = 'fleet' | 'group' | 'gateway';
export interface ConfigLayer { scope: LayerScope; key: string; revision: number; toml: string; createdMs: number }

export interface IssuedConfig { gatewayId: string; version: number; envelope: Buffer; label: string; toml: string; issuedMs: number }
export interface ReportedConfig { gatewayId: string; version: number; state: 'applied' | 'failed' | 'rejected'; errorCode: string; detail: string; runningVersion: number; tsMs: number }

export type RolloutState = 'running' | 'completed' | 'aborted';
export interface RolloutRecord {
  id: string;
  group: string;
  revision: number;
  previousRevision: number;
  waves: number[];
  soakMs: number;
  maxFailedRatio: number;
  state: RolloutState;
  wave: number;
  /** Gateways reached so far, in wave order. */
  members: string[];
  /** Config version each reached gateway was sent. */
  targets: Record<string, number>;
  /** Reached gateways that failed (id → reason). */
  failed: Record<string, string>;
  /** Size of the group at start. */
  total: number;
  waveStartedMs: number;
  startedMs: number;
  updatedMs: number;
  reason: string;
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
export type ProvisionOutcome = { status: 'provisioned'; issued?: IssuedConfig } | { status: 'refused' } | { status: 'id_taken' };

export interface FleetStore {
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
  revokeGateway(gatewayId: string, atMs: number): Promise<boolean>;
  isRevoked(gatewayId: string): Promise<boolean>;
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
  nextConfigVersion(): Promise<number>;
  saveIssued(c: IssuedConfig): Promise<void>;
  getIssued(gatewayId: string): Promise<IssuedConfig | undefined>;
  saveReported(r: ReportedConfig): Promise<void>;
  getReported(gatewayId: string): Promise<ReportedConfig | undefined>;
  // rollouts
  saveRollout(r: RolloutRecord): Promise<void>;
  getRollout(id: string): Promise<RolloutRecord | undefined>;
  listRollouts(state?: RolloutState): Promise<RolloutRecord[]>;
  close(): Promise<void>;
}
