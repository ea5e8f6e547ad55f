/** Shape of GET /v1/status on the local API (what `yiwang-edge status` prints). */
import type { OutboxStats } from '../store/outbox.js';
import type { DeviceSeen } from '../devices.js';

export interface AgentStatus {
  gatewayId: string;
  version: string;
  uptimeS: number;
  uplink: {
    state: string; url: string; lastAckAt: number | null; lastError: { code: string; message: string; at: number } | null;
    batchesSent: number; batchesAcked: number; resends: number; duplicates: number; rejected: number; readingsAcked: number; timeouts: number;
    batchSize: number; drainRate: number; bytesToday: Record<string, number>; budgetExhausted: boolean;
  };
  clock: { synced: boolean; steps: number; source: string };
  store: OutboxStats & { path: string; epoch: number };
  coap: { port: number; uplinks: number; readings: number; rejected: number; storeErrors: number; duplicates: number };
  devices: DeviceSeen[];
  /** Site name from `gateway.site`. */
  site: string;
  /** gateway.id and gateway.secret are set. */
  provisioned: boolean;
  /** Version of the configuration applied from the cloud; '' = the local file only. */
  configVersion: string;
  /** Devices by state (edge/api/devices-view.ts): online, silent, waiting (registered, never heard). */
  deviceStates: Record<string, number>;
  cameras: { total: number; online: number; byState: Record<string, number> };
  disk: { path: string; freeBytes: number; totalBytes: number };
  /** Error and fatal log lines in the last hour. */
  errorsLastHour: number;
}
