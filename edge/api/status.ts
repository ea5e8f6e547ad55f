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
}
