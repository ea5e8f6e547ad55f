/** Shape of GET /v1/status on the local API (what `yiwang-edge status` prints). */
import type { OutboxStats } from '../store/outbox-contract.js';
import type { DeviceSeen } from '../devices/heard.js';
import type { CoapCounters } from '../southbound/coap/server.js';
import type { CoapsStatus } from '../southbound/dtls/agent-coaps.js';
import type { Hj212Counters } from '../southbound/hj212/connection.js';
import type { Lwm2mStats } from '../southbound/lwm2m/server/limits.js';

export interface AgentStatus {
  gatewayId: string;
  version: string;
  uptimeS: number;
  uplink: {
    /** connecting, online, offline, revoked (edge/sync/uplink.ts UplinkState) or stopped. */
    state: string;
    /** The cloud broker in use, or being tried now (one of `urls`). */
    url: string;
    /** The configured brokers in order (cloud.urls, else cloud.url alone); the uplink moves round them. */
    urls: string[];
    lastAckAt: number | null;
    lastError: { code: string; message: string; at: number } | null;
    batchesSent: number;
    batchesAcked: number;
    resends: number;
    duplicates: number;
    rejected: number;
    readingsAcked: number;
    timeouts: number;
    /** Of the batches rejected whole: bisected, and single-item ones dead-lettered; readings the cloud quarantined in stored batches. */
    split: number;
    deadLettered: number;
    quarantinedByCloud: number;
    /** Connects the cloud refused because an operator revoked the gateway (the state is then `revoked`, lastError EDGE_ERR_GATEWAY_REVOKED). */
    revokedRefusals: number;
    /** Moves to the next broker after a failed, refused or lost connection (only with several in `urls`). */
    brokerSwitches: number;
    batchSize: number;
    drainRate: number;
    bytesToday: Record<string, number>;
    budgetExhausted: boolean;
  };
  clock: { synced: boolean; steps: number; source: string };
  /**
   * The outbox (edge/store/outbox-contract.ts): `rows` readings held, of which `batchedRows` are in sent
   * batches awaiting ack; events apart (`pendingEvents` unsent + `batchedEvents` awaiting ack, not in
   * `rows` nor under the byte cap); `pendingRows` = unsent readings + unsent events. `status` shows the parts.
   */
  store: OutboxStats & { path: string; epoch: number };
  /** CoAP uplink counters (edge/southbound/coap/server.ts CoapCounters): refusals by code, Block1 reassembly figures. */
  coap: CoapCounters & { port: number };
  /** The coaps (DTLS) listener's figures when `coap.dtls_enabled` (docs/reference/dtls.md, "In the agent"). */
  coaps?: CoapsStatus;
  /** The HJ 212 server's figures when `hj212.enabled`: open connections and its counters (limits.md). */
  hj212?: Hj212Counters & { port: number; open: number };
  /** The LwM2M server's figures when `lwm2m.enabled`: what it holds against each limit and what it refused (limits.md). */
  lwm2m?: Lwm2mStats;
  devices: DeviceSeen[];
  /** Site name from `gateway.site`. */
  site: string;
  /** gateway.id and gateway.secret are set. */
  provisioned: boolean;
  /** Version of the configuration applied from the cloud; '' = the local file only. */
  configVersion: string;
  /** Devices by state (edge/devices/view.ts): online, silent, waiting (registered, never heard). */
  deviceStates: Record<string, number>;
  cameras: { total: number; online: number; byState: Record<string, number> };
  disk: { path: string; freeBytes: number; totalBytes: number };
  /** Error and fatal log lines in the last hour. */
  errorsLastHour: number;
}
