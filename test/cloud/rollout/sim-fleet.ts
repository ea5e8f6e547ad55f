/**
 * Simulated gateways for rollout tests: each is provisioned by a real claim, holds a real MQTT
 * session to the cloud on loopback, and applies its desired config with the edge's own
 * ConfigApplier (signature, version, schema, health check, status report) — the part of a
 * gateway a rollout talks to. A gateway can be kept offline (no session) and brought up later.
 */
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { claimIdentity, type Identity } from '../../../edge/provisioning/claim-client.js';
import { ConfigApplier } from '../../../edge/remote-config/applier.js';
import type { DesiredConfig } from '../../../edge/remote-config/schema.js';
import { silentLogger } from '../../../common/log.js';
import { topics } from '../../../proto/topics.js';
import type { CloudServer } from '../../../cloud/server.js';
import { tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

export class SimGateway {
  client: MqttClient | undefined;
  readonly applier: ConfigApplier;
  /** While true, status reports are held back (until `release`). */
  hold = false;
  private readonly held: Buffer[] = [];

  constructor(
    readonly id: Identity,
    private readonly mqttUrl: string,
    dir: string,
    check?: (c: DesiredConfig) => string | undefined,
  ) {
    this.applier = new ConfigApplier({
      gatewayId: id.gatewayId,
      publicKey: id.configPublicKey,
      file: join(dir, `${id.gatewayId}.json`),
      log: silentLogger(),
      ...(check ? { check } : {}),
      report: (b) => {
        if (this.hold) this.held.push(b);
        else this.client?.publish(topics.up(id.gatewayId, 'config-status'), b, { qos: 1 });
      },
    });
  }

  get gatewayId(): string {
    return this.id.gatewayId;
  }

  /** Opens its session (the cloud delivers its retained document at connect). */
  connect(): void {
    const c = mqtt.connect(this.mqttUrl, {
      clientId: this.id.gatewayId,
      username: this.id.gatewayId,
      password: this.id.secret,
      protocolVersion: 4,
      reconnectPeriod: 100,
    });
    c.on('message', (_topic, payload) => this.applier.handle(payload));
    c.on('connect', () => c.subscribe(topics.down(this.id.gatewayId, 'config'), { qos: 1 }));
    this.client = c;
  }

  /** Sends the held reports and stops holding. */
  release(): void {
    this.hold = false;
    for (const b of this.held.splice(0))
      this.client?.publish(topics.up(this.id.gatewayId, 'config-status'), b, { qos: 1 });
  }

  get heldReports(): number {
    return this.held.length;
  }

  async disconnect(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.endAsync(true);
  }
}

export interface SimFleetOptions {
  group: string;
  count: number;
  /** Gateways (by index) that stay offline until the test connects them. */
  offline?: number[];
  /** Health check per gateway index (a problem makes the config FAIL on that gateway). */
  check?: (index: number, c: DesiredConfig) => string | undefined;
}

/** Provisions `count` gateways `<group>-00`, `<group>-01`, … into `group` and connects those not listed offline. */
export async function simFleet(cloud: CloudServer, mqttUrl: string, o: SimFleetOptions): Promise<SimGateway[]> {
  const { token } = await cloud.provisioning.createClaim({ group: o.group, uses: o.count });
  const dir = tempDir('yw-sims-');
  const sims: SimGateway[] = [];
  for (let i = 0; i < o.count; i++) {
    const id = await claimIdentity({
      url: mqttUrl,
      token,
      requestedId: `${o.group}-${String(i).padStart(2, '0')}`,
      timeoutMs: 10_000,
    });
    const sim = new SimGateway(id, mqttUrl, dir, o.check && ((c) => o.check!(i, c)));
    if (!o.offline?.includes(i)) sim.connect();
    sims.push(sim);
  }
  return sims;
}

/** Waits until the cloud's health service sees every listed gateway's session up (or down). */
export async function untilSessions(cloud: CloudServer, sims: SimGateway[], up: boolean): Promise<void> {
  await until(
    `sessions ${up ? 'up' : 'down'}: ${sims.map((s) => s.gatewayId).join(', ')}`,
    () => sims.every((s) => (cloud.health.gateway(s.gatewayId)?.sessionUp ?? false) === up),
    20_000,
  );
}

export async function closeAll(sims: SimGateway[]): Promise<void> {
  for (const s of sims) await s.disconnect();
}
