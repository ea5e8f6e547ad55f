/**
 * Provisioning by claim (docs/reference/provisioning.md): operators create claim tokens scoped to
 * a group/site/district; a gateway proves one in the broker's provisioning namespace and receives
 * its identity sealed to the X25519 key it generated. Revoking a gateway refuses its next connect
 * and disconnects its session.
 */
import { YiwangError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { seal } from '../../common/seal.js';
import { pb, type ClaimRequestMsg } from '../../proto/index.js';
import { GATEWAY_ID_RE, GATEWAY_ID_RULE } from '../../proto/topics.js';
import { KeyedBuckets, PEER_LOG_BUDGET, TokenBucket } from '../broker/rate-limit.js';
import { LogLimiter } from '../../common/log-limiter.js';
import type { CloudStore } from '../store/cloud-store.js';
import { CLOUD_SCHEMA } from '../config.js';
import type { ClaimRecord, ClaimScope, ControlPlaneStore, IssuedConfig } from '../store/control-plane-store.js';
import type { FleetPki } from '../pki/fleet-ca.js';
import { hashGeneratedSecret, newSecret } from '../registry/secrets.js';
import type { FirstConfig } from '../rollout/desired.js';
import { newToken, parseToken, randomId, refusal, secretMatches } from './claims.js';

export interface ProvisioningDeps {
  store: CloudStore;
  controlPlane: ControlPlaneStore;
  pki: FleetPki;
  log: Logger;
  /** mqtts:// URL handed to gateways ('' = let them keep theirs). */
  tlsUrl: string;
  defaultTtlS: number;
  /** The first desired config of a gateway provisioned into a group (cloud/rollout/desired.ts firstConfig); written in the claim's transaction. */
  firstConfig?: (group: string) => Promise<FirstConfig | undefined>;
  /** Publishes a config a claim issued, after its commit. */
  deliver?: (c: IssuedConfig) => void;
  /** Issues the gateway's config anew (a layer changed while its claim was committing). */
  reissue?: (gatewayId: string) => Promise<void>;
  /** Closes the gateway's MQTT session, if any. */
  disconnect: (gatewayId: string) => void;
  /** Bounds of claim tokens and claim attempt rates (provisioning.* options); DEFAULT_CLAIM_LIMITS for what is left out. */
  limits?: Partial<ClaimLimits>;
}

export interface ClaimLimits {
  /** provisioning.claim_ttl_max_s */
  maxTtlS: number;
  /** provisioning.claim_uses_max */
  maxUses: number;
  /** provisioning.claims_per_min_per_source (0 = no limit) */
  perMinPerSource: number;
  /** provisioning.claims_per_min (0 = no limit) */
  perMin: number;
}

const P = CLOUD_SCHEMA.provisioning;
/** The defaults of the provisioning.* options (cloud/config.ts). */
export const DEFAULT_CLAIM_LIMITS: Readonly<ClaimLimits> = {
  maxTtlS: P.claim_ttl_max_s.default,
  maxUses: P.claim_uses_max.default,
  perMinPerSource: P.claims_per_min_per_source.default,
  perMin: P.claims_per_min.default,
};
/** Client addresses whose claim attempts are remembered at once (the least recently seen is forgotten first). */
export const CLAIM_SOURCES_MAX = 10_000;

export interface CreateClaim extends Partial<ClaimScope> {
  ttlS?: number;
  uses?: number;
  note?: string;
}

export class ProvisioningService {
  private readonly log: Logger;
  /** Refusal warn lines, rate-limited (the counters have every refusal). */
  private readonly logs: LogLimiter;
  readonly limits: ClaimLimits;
  private readonly perSource: KeyedBuckets;
  private readonly global: TokenBucket;
  counters = { claims: 0, refused: 0, rateLimitedSource: 0, rateLimitedGlobal: 0, logSuppressed: 0 };
  /** Refused claims by error code. */
  readonly refusedByCode: Record<string, number> = {};

  constructor(private readonly d: ProvisioningDeps) {
    this.log = d.log.child({ component: 'provisioning' });
    this.logs = new LogLimiter(this.log, PEER_LOG_BUDGET);
    this.limits = { ...DEFAULT_CLAIM_LIMITS, ...d.limits };
    if (d.defaultTtlS > this.limits.maxTtlS)
      throw new YiwangError(
        'CONFIG_ERR_INVALID',
        `provisioning.claim_ttl_s (${d.defaultTtlS}) is over provisioning.claim_ttl_max_s (${this.limits.maxTtlS})`,
      );
    this.perSource = new KeyedBuckets(this.limits.perMinPerSource, CLAIM_SOURCES_MAX);
    this.global = new TokenBucket(this.limits.perMin);
  }

  /** Counters for /api/v1/stats (provisioning.*). */
  stats(): ProvisioningService['counters'] & {
    refusedByCode: Record<string, number>;
    sourcesTracked: number;
    sourcesEvicted: number;
  } {
    return {
      ...this.counters,
      refusedByCode: { ...this.refusedByCode },
      sourcesTracked: this.perSource.size,
      sourcesEvicted: this.perSource.evicted,
    };
  }

  async createClaim(o: CreateClaim, nowMs = Date.now()): Promise<{ token: string; claim: ClaimRecord }> {
    const uses = o.uses ?? 1;
    const ttlS = o.ttlS ?? this.d.defaultTtlS;
    const { maxUses, maxTtlS } = this.limits;
    if (!Number.isSafeInteger(uses) || uses < 1 || uses > maxUses)
      throw new YiwangError(
        'CLOUD_ERR_CLAIM_LIMITS',
        `uses must be an integer from 1 to ${maxUses} (provisioning.claim_uses_max); got ${String(uses)}`,
      );
    if (!Number.isSafeInteger(ttlS) || ttlS < 1 || ttlS > maxTtlS)
      throw new YiwangError(
        'CLOUD_ERR_CLAIM_LIMITS',
        `ttlS must be an integer from 1 to ${maxTtlS} seconds (provisioning.claim_ttl_max_s); got ${String(ttlS)}`,
      );
    for (const k of ['group', 'site', 'district'] as const) {
      const v = o[k];
      if (v !== undefined && (typeof v !== 'string' || v.length > 64))
        throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${k} must be a string of at most 64 characters`);
    }
    const t = newToken();
    const claim: ClaimRecord = {
      id: t.claimId,
      group: o.group ?? '',
      site: o.site ?? '',
      district: o.district ?? '',
      createdMs: nowMs,
      expiresMs: nowMs + ttlS * 1000,
      maxUses: uses,
      uses: 0,
      revokedMs: null,
      note: o.note ?? '',
    };
    await this.d.controlPlane.createClaim(claim, t.secretHash);
    this.log.info({ claimId: claim.id, group: claim.group, uses, expiresMs: claim.expiresMs }, 'claim token created');
    return { token: t.token, claim };
  }

  async revokeClaim(id: string): Promise<void> {
    if (!(await this.d.controlPlane.revokeClaim(id, Date.now()))) {
      if (!(await this.d.controlPlane.getClaim(id))) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no claim ${id}`);
    }
    this.log.info({ claimId: id }, 'claim token revoked');
  }

  /**
   * Revokes a gateway's credentials: refused at its next connect (CONNACK 5, CLOUD_ERR_GATEWAY_REVOKED),
   * its session closed now. Revoking again changes nothing (`already`).
   */
  async revokeGateway(gatewayId: string): Promise<{ revokedMs: number; already: boolean }> {
    const now = Date.now();
    const fresh = await this.d.controlPlane.revokeGateway(gatewayId, now);
    const revokedMs = fresh ? now : await this.d.controlPlane.revokedAt(gatewayId);
    if (revokedMs === undefined || revokedMs === null)
      throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no gateway ${gatewayId}`);
    this.d.disconnect(gatewayId);
    if (fresh) this.log.warn({ code: 'CLOUD_ERR_GATEWAY_REVOKED', gatewayId }, 'gateway revoked; session closed');
    return { revokedMs, already: !fresh };
  }

  /**
   * Removes a gateway from the fleet (docs/reference/provisioning.md, "Removal"): only a revoked one
   * (with `revoke`, revoked first), and one that owns devices only with `withDevices`.
   */
  async removeGateway(
    gatewayId: string,
    o: { revoke?: boolean; withDevices?: boolean } = {},
  ): Promise<{ devices: number; revokedMs: number }> {
    const at = await this.d.controlPlane.revokedAt(gatewayId);
    if (at === undefined) throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no gateway ${gatewayId}`);
    const revokedMs = at ?? (o.revoke ? (await this.revokeGateway(gatewayId)).revokedMs : null);
    if (revokedMs === null)
      throw new YiwangError(
        'CLOUD_ERR_CONFLICT',
        `gateway ${gatewayId} is not revoked: revoke it first (yiwang-cloud gateways revoke ${gatewayId}, POST /api/v1/gateways/${gatewayId}/revoke) or remove it with --revoke (?revoke=true)`,
      );
    const out = await this.d.controlPlane.removeGateway(gatewayId, {
      withDevices: o.withDevices === true,
      nowMs: Date.now(),
    });
    if (out.status === 'not_found') throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no gateway ${gatewayId}`);
    if (out.status === 'has_devices')
      throw new YiwangError(
        'CLOUD_ERR_CONFLICT',
        `gateway ${gatewayId} still has ${out.devices} devices: move them (yiwang-cloud devices move <id> --gateway <other>) or remove them with it (--with-devices, ?devices=true)`,
      );
    if (out.status === 'not_revoked')
      throw new YiwangError('CLOUD_ERR_CONFLICT', `gateway ${gatewayId} is not revoked`);
    this.log.warn({ gatewayId, devices: out.devices }, 'gateway removed');
    return { devices: out.devices, revokedMs };
  }

  /**
   * Answers one ClaimRequest (encoded) from client address `source` with an encoded ClaimResponse;
   * never throws. Attempts over the per-address or the global rate are refused before anything is read.
   */
  async claim(payload: Buffer, sessionId: string, source = ''): Promise<Buffer> {
    const refuse = (code: string, detail: string): Buffer => {
      this.counters.refused++;
      this.refusedByCode[code] = (this.refusedByCode[code] ?? 0) + 1;
      if (!this.logs.log('warn', code, { code, sessionId, source, detail }, 'claim refused'))
        this.counters.logSuppressed++;
      return Buffer.from(pb.ClaimResponse.encode({ ok: false, errorCode: code, detail }).finish());
    };
    const arrived = Date.now();
    if (!this.perSource.take(source, arrived)) {
      this.counters.rateLimitedSource++;
      return refuse(
        'CLOUD_ERR_CLAIM_RATE_LIMITED',
        `more than ${this.limits.perMinPerSource} claim attempts a minute from ${source || 'this address'}; retry in ${Math.ceil(this.perSource.waitMs(source, arrived) / 1000)} s`,
      );
    }
    if (!this.global.take(arrived)) {
      this.counters.rateLimitedGlobal++;
      return refuse(
        'CLOUD_ERR_CLAIM_RATE_LIMITED',
        `more than ${this.limits.perMin} claim attempts a minute in all; retry in ${Math.ceil(this.global.waitMs(arrived) / 1000)} s`,
      );
    }
    let req: ClaimRequestMsg;
    try {
      req = pb.ClaimRequest.decode(payload);
    } catch (err) {
      return refuse('CLOUD_ERR_CLAIM_INVALID', `not a ClaimRequest: ${(err as Error).message}`);
    }
    try {
      const tok = parseToken(req.token ?? '');
      if (!tok)
        return refuse('CLOUD_ERR_CLAIM_INVALID', 'token is not of the form ywc_<12 characters>.<32 characters>');
      const pub = Buffer.from(req.publicKey ?? []);
      if (pub.length !== 32) return refuse('CLOUD_ERR_CLAIM_INVALID', 'public_key must be a raw 32-byte X25519 key');
      const found = await this.d.controlPlane.getClaim(tok.claimId);
      if (!found || !secretMatches(tok.secret, found.secretHash))
        return refuse('CLOUD_ERR_CLAIM_UNKNOWN', 'unknown claim token');
      const now = Date.now();
      const why = refusal(found.claim, now);
      if (why) return refuse(why.code, why.detail);
      const wanted = req.requestedId ?? '';
      if (wanted && !GATEWAY_ID_RE.test(wanted))
        return refuse(
          'CLOUD_ERR_CLAIM_INVALID',
          `requested id ${JSON.stringify(wanted.slice(0, 80))}: ${GATEWAY_ID_RULE}`,
        );
      const c = found.claim;
      const secret = newSecret();
      const secretHash = hashGeneratedSecret(secret);
      const config = await this.d.firstConfig?.(c.group);
      // one transaction (shared with concurrent claims): the use, the gateway with its tags, the identity, its first config
      let gatewayId = '';
      for (let i = 0; ; i++) {
        gatewayId = wanted || `gw-${randomId(10)}`;
        const id = gatewayId;
        const out = await this.d.controlPlane.provision({
          claimId: c.id,
          secretHash,
          ...(config ? { config: (version: number) => config.sign(id, version) } : {}),
          identity: {
            gatewayId: id,
            claimId: c.id,
            publicKey: pub,
            group: c.group,
            site: c.site,
            district: c.district,
            provisionedMs: now,
            revokedMs: null,
          },
        });
        if (out.status === 'provisioned') {
          if (out.issued) this.d.deliver?.(out.issued);
          // a layer stored while the claim committed did not reach this gateway's document: issue it now
          if (((await this.d.firstConfig?.(c.group))?.toml ?? '') !== (config?.toml ?? '')) {
            // the claim stands either way; the gateway's connect delivers whatever was issued
            await this.d
              .reissue?.(id)
              .catch((err: Error) =>
                this.log.error(
                  { code: 'CLOUD_ERR_STORE', gatewayId: id, err: err.message },
                  'config reissue after claim failed',
                ),
              );
          }
          break;
        }
        if (out.status === 'refused') {
          const again = await this.d.controlPlane.getClaim(c.id);
          const why = again && refusal(again.claim, Date.now());
          return refuse(why?.code ?? 'CLOUD_ERR_CLAIM_USED_UP', why?.detail ?? `claim ${c.id} has no uses left`);
        }
        if (wanted || i >= 3) return refuse('CLOUD_ERR_CLAIM_ID_TAKEN', `gateway id ${id} is taken`);
      }
      const identity = Buffer.from(
        pb.GatewayIdentity.encode({
          gatewayId,
          secret,
          configPublicKey: this.d.pki.signingPublicRaw,
          caPem: this.d.pki.caPem,
          group: c.group,
          site: c.site,
          district: c.district,
          tlsUrl: this.d.tlsUrl,
        }).finish(),
      );
      const sealed = seal(pub, identity);
      this.counters.claims++;
      this.log.info({ gatewayId, claimId: c.id, group: c.group, hostname: req.hostname }, 'gateway provisioned');
      return Buffer.from(
        pb.ClaimResponse.encode({ ok: true, sealedIdentity: sealed.sealed, cloudPublicKey: sealed.senderRaw }).finish(),
      );
    } catch (err) {
      this.log.error({ code: 'CLOUD_ERR_STORE', err: (err as Error).message }, 'claim failed');
      return refuse('CLOUD_ERR_STORE', 'the cloud could not complete the claim; retry');
    }
  }
}
