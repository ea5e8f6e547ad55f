/**
 * Desired configuration per fleet, group and gateway (docs/reference/config-rollout.md): layers are
 * versioned; a gateway's document is the merge gateway > group > fleet, numbered from one
 * increasing sequence, signed with the fleet's Ed25519 key and published retained on its
 * down/config (again at every connect). Reported state comes back on up/config-status.
 */
import type { Logger } from '../../common/log.js';
import { YiwangError } from '../../common/errors.js';
import { pb, ConfigState } from '../../proto/index.js';
import { signConfig } from '../../proto/config-signing.js';
import { topics } from '../../proto/topics.js';
import type { CloudStore } from '../store/cloud-store.js';
import type {
  ConfigLayer,
  ControlPlaneStore,
  IssuedConfig,
  LayerScope,
  ReportedConfig,
} from '../store/control-plane-store.js';
import type { FleetPki } from '../pki/fleet-ca.js';
import { mergeLayers, mergeTables, parseLayer, renderTable, type Table } from './merge.js';
import { diffTables, type ConfigChange } from './diff.js';
import { assertAccepted, validateLayer } from './validate.js';

export interface Publisher {
  publish(topic: string, payload: Buffer, retain: boolean): void;
}

/** A new gateway's first document: its content, and a signer for the version its claim takes. */
export interface FirstConfig {
  toml: string;
  sign: (gatewayId: string, version: number) => IssuedConfig;
}

/** What `setLayer` would do (dry run). */
export interface LayerPreview {
  dryRun: true;
  scope: LayerScope;
  key: string;
  /** The revision the layer would get, and the one the changes are against (0: none). */
  revision: number;
  baseRevision: number;
  changes: ConfigChange[];
  /** Gateways whose document the layer is part of; of those, how many documents would change. */
  gateways: number;
  changedGateways: number;
  /** Whether storing it issues it at once (false for a staged group layer: a rollout delivers it). */
  issuedNow: boolean;
}

const STATE: Record<number, ReportedConfig['state']> = {
  [ConfigState.APPLIED]: 'applied',
  [ConfigState.FAILED]: 'failed',
  [ConfigState.REJECTED]: 'rejected',
};

export class DesiredConfigService {
  private readonly log: Logger;
  /** Called with every status report (the rollout engine listens). */
  onReport: ((r: ReportedConfig) => void) | undefined;

  constructor(
    private readonly store: CloudStore,
    private readonly controlPlane: ControlPlaneStore,
    private readonly pki: FleetPki,
    private readonly out: Publisher,
    log: Logger,
  ) {
    this.log = log.child({ component: 'desired-config' });
  }

  /**
   * Stores a new revision of a layer; fleet and gateway layers, and group layers with `activate`,
   * are issued at once. The layer, and the merged document of every gateway it is part of, must
   * pass the gateways' schema (CLOUD_ERR_CONFIG_SCHEMA, nothing stored otherwise).
   */
  async setLayer(scope: LayerScope, key: string, toml: string, activate = true): Promise<ConfigLayer> {
    key = await this.checkLayer(scope, key, toml);
    const layer = await this.controlPlane.addLayer(scope, key, toml, Date.now());
    this.log.info({ scope, key, revision: layer.revision }, 'config layer stored');
    if (scope === 'group' && activate) await this.controlPlane.setActiveGroupRevision(key, layer.revision);
    if (scope === 'gateway') await this.issue(key, `gateway layer r${layer.revision}`);
    else if (scope === 'fleet')
      for (const g of await this.store.listGateways()) await this.issue(g.id, `fleet layer r${layer.revision}`);
    else if (activate)
      for (const g of await this.controlPlane.groupMembers(key)) await this.issue(g, `group ${key} r${layer.revision}`);
    return layer;
  }

  /**
   * `setLayer` without storing anything (`config set --dry-run`, `config diff FILE`): the same
   * checks, the key-level changes against revision `base` (default the latest), and how many
   * gateways' documents the layer is part of and would change.
   */
  async previewLayer(
    scope: LayerScope,
    key: string,
    toml: string,
    activate = true,
    base?: number,
  ): Promise<LayerPreview> {
    key = await this.checkLayer(scope, key, toml);
    const latest = await this.controlPlane.getLayer(scope, key);
    const from = base === undefined ? latest : await this.controlPlane.getLayer(scope, key, base);
    if (base !== undefined && !from)
      throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no ${scope} layer${key ? ` ${key}` : ''} revision ${base}`);
    const doc = parseLayer(toml, 'layer');
    let changed = 0;
    const gateways = await this.layerGateways(scope, key);
    for (const g of gateways)
      if ((await this.effective(g)).toml !== renderTable(await this.mergedTable(g, { scope, key, doc }))) changed++;
    return {
      dryRun: true,
      scope,
      key,
      revision: (latest?.revision ?? 0) + 1,
      baseRevision: from?.revision ?? 0,
      changes: diffTables(from ? parseLayer(from.toml, 'stored layer') : {}, doc),
      gateways: gateways.length,
      changedGateways: changed,
      issuedNow: scope !== 'group' || activate,
    };
  }

  /** Validates a layer for `scope`/`key` (returned normalised): syntax, schema, then each affected gateway's merged document. */
  private async checkLayer(scope: LayerScope, key: string, toml: string): Promise<string> {
    if (scope === 'fleet') key = '';
    else if (!key) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `a ${scope} layer needs a ${scope} name`);
    if (scope === 'gateway' && !(await this.store.getGateway(key)))
      throw new YiwangError('CLOUD_ERR_NOT_FOUND', `no gateway ${key}`);
    const what = `${scope} layer${key ? ` ${key}` : ''}`;
    const doc = validateLayer(toml, what);
    for (const g of await this.layerGateways(scope, key))
      assertAccepted(
        await this.mergedTable(g, { scope, key, doc }),
        `${what}, merged into the document of gateway ${g}`,
      );
    return key;
  }

  /** The gateways whose document a layer is part of (a group's members also while it is staged: a rollout sends it to them). */
  private async layerGateways(scope: LayerScope, key: string): Promise<string[]> {
    if (scope === 'gateway') return [key];
    if (scope === 'group') return this.controlPlane.groupMembers(key);
    return (await this.store.listGateways()).map((g) => g.id);
  }

  /** The merged TOML a gateway should run now (rollout pins choose its group revision). */
  async effective(gatewayId: string): Promise<{ toml: string; groupRevision: number; group: string }> {
    const id = await this.controlPlane.getIdentity(gatewayId);
    const group = id?.group ?? '';
    const groupRevision = group
      ? ((await this.controlPlane.pin(gatewayId)) ?? (await this.controlPlane.activeGroupRevision(group)))
      : 0;
    return { toml: await this.merged(group, groupRevision, gatewayId), groupRevision, group };
  }

  private async merged(group: string, groupRevision: number, gatewayId: string | undefined): Promise<string> {
    const layers: Table[] = [];
    const fleet = await this.controlPlane.getLayer('fleet', '');
    if (fleet) layers.push(parseLayer(fleet.toml, 'fleet layer'));
    if (groupRevision > 0) {
      const g = await this.controlPlane.getLayer('group', group, groupRevision);
      if (g) layers.push(parseLayer(g.toml, `group layer ${group}`));
    }
    const gw = gatewayId === undefined ? undefined : await this.controlPlane.getLayer('gateway', gatewayId);
    if (gw) layers.push(parseLayer(gw.toml, `gateway layer ${gatewayId}`));
    return mergeLayers(layers);
  }

  /** A gateway's merged document with one layer replaced by `over` (a new group layer replaces the group's revision). */
  private async mergedTable(gatewayId: string, over: { scope: LayerScope; key: string; doc: Table }): Promise<Table> {
    const group = (await this.controlPlane.getIdentity(gatewayId))?.group ?? '';
    const layer = async (
      scope: LayerScope,
      key: string,
      what: string,
      revision?: number,
    ): Promise<Table | undefined> => {
      if (over.scope === scope && over.key === key) return over.doc;
      const l = revision === 0 ? undefined : await this.controlPlane.getLayer(scope, key, revision);
      return l && parseLayer(l.toml, what);
    };
    const groupRevision = group
      ? ((await this.controlPlane.pin(gatewayId)) ?? (await this.controlPlane.activeGroupRevision(group)))
      : 0;
    const layers = [
      await layer('fleet', '', 'fleet layer'),
      group ? await layer('group', group, `group layer ${group}`, groupRevision) : undefined,
      await layer('gateway', gatewayId, `gateway layer ${gatewayId}`),
    ];
    return layers.reduce<Table>((a, b) => (b ? mergeTables(a, b) : a), {});
  }

  /**
   * The first document of a gateway being provisioned into `group` (fleet and active group layers;
   * a new gateway has no pin or gateway layer): a signer for the version its claim's transaction
   * takes, or undefined when there is nothing to configure (no document, no writes).
   */
  async firstConfig(group: string): Promise<FirstConfig | undefined> {
    const toml = await this.merged(group, group ? await this.controlPlane.activeGroupRevision(group) : 0, undefined);
    if (!toml.trim()) return undefined;
    const label = 'provisioned';
    return {
      toml,
      sign: (gatewayId, version) => {
        const issuedMs = Date.now();
        return {
          gatewayId,
          version,
          toml,
          label,
          issuedMs,
          envelope: this.sign({ gatewayId, version, toml, issuedMs, label }),
        };
      },
    };
  }

  /** Issues the gateway's document if its content changed (a new, higher version) and publishes it. */
  async issue(gatewayId: string, label: string, force = false): Promise<IssuedConfig> {
    const { toml } = await this.effective(gatewayId);
    const last = await this.controlPlane.getIssued(gatewayId);
    if (last && last.toml === toml && !force) {
      const current = await this.resigned(last);
      this.deliver(current);
      return current;
    }
    const version = await this.controlPlane.nextConfigVersion();
    const issuedMs = Date.now();
    const envelope = this.sign({ gatewayId, version, toml, issuedMs, label });
    const issued: IssuedConfig = { gatewayId, version, envelope, label, toml, issuedMs };
    await this.controlPlane.saveIssued(issued);
    this.deliver(issued);
    this.log.info({ gatewayId, version, label }, 'config issued');
    return issued;
  }

  /** Publishes an issued document retained on the gateway's down/config. */
  deliver(c: IssuedConfig): void {
    this.out.publish(topics.down(c.gatewayId, 'config'), c.envelope, true);
  }

  /** At every connect: the retained document again (the broker's retained store may be gone). */
  async gatewayReady(gatewayId: string): Promise<void> {
    const last = await this.controlPlane.getIssued(gatewayId);
    if (last) this.deliver(await this.resigned(last));
  }

  /** Signed with the current key, carrying the key transitions that lead to it (signing-key rotation). */
  private sign(doc: { gatewayId: string; version: number; toml: string; issuedMs: number; label: string }): Buffer {
    return signConfig(doc, this.pki.signingKey, this.pki.keyId, this.pki.signingTransitions);
  }

  /**
   * An issued document signed by an earlier config-signing key is signed again, same version and
   * content, with the current key and its transitions: the gateway finds it already running and
   * follows the transition to the new key (docs/reference/config-rollout.md, "Signing-key rotation").
   */
  private async resigned(c: IssuedConfig): Promise<IssuedConfig> {
    let keyId = '';
    try {
      keyId = pb.ConfigEnvelope.decode(c.envelope).keyId;
    } catch {
      /* signed again below */
    }
    if (keyId === this.pki.keyId) return c;
    const { gatewayId, version, toml, issuedMs, label } = c;
    const again: IssuedConfig = { ...c, envelope: this.sign({ gatewayId, version, toml, issuedMs, label }) };
    await this.controlPlane.saveIssued(again);
    this.log.info({ gatewayId, version, from: keyId, to: this.pki.keyId }, 'config signed again with the new key');
    return again;
  }

  async report(gatewayId: string, payload: Buffer): Promise<void> {
    let s: pb.ConfigStatus;
    try {
      s = pb.ConfigStatus.decode(payload);
    } catch (err) {
      this.log.warn({ code: 'WIRE_ERR_DECODE', gatewayId, err: (err as Error).message }, 'undecodable config status');
      return;
    }
    const r: ReportedConfig = {
      gatewayId,
      version: Number(s.version),
      state: STATE[s.state] ?? 'failed',
      errorCode: s.errorCode,
      detail: s.detail,
      runningVersion: Number(s.runningVersion),
      tsMs: Date.now(),
    };
    await this.controlPlane.saveReported(r);
    if (r.state !== 'applied')
      this.log.warn(
        { gatewayId, version: r.version, state: r.state, code: r.errorCode, detail: r.detail },
        'gateway did not apply its config',
      );
    this.onReport?.(r);
  }

  /** Desired and reported side by side (API and CLI). */
  async view(gatewayId: string): Promise<{
    gatewayId: string;
    desired: Omit<IssuedConfig, 'envelope' | 'gatewayId'> | null;
    reported: Omit<ReportedConfig, 'gatewayId'> | null;
    inSync: boolean;
  }> {
    const d = await this.controlPlane.getIssued(gatewayId),
      r = await this.controlPlane.getReported(gatewayId);
    return {
      gatewayId,
      desired: d ? { version: d.version, label: d.label, toml: d.toml, issuedMs: d.issuedMs } : null,
      reported: r
        ? {
            version: r.version,
            state: r.state,
            errorCode: r.errorCode,
            detail: r.detail,
            runningVersion: r.runningVersion,
            tsMs: r.tsMs,
          }
        : null,
      inSync: Boolean(d && r && r.runningVersion === d.version),
    };
  }
}
