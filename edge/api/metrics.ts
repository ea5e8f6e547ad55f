/**
 * Prometheus text for GET /metrics on the edge's local API, from the agent's status. Names
 * follow common exporters: queue length as `_messages`, drops as `_dropped_total{reason}`.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { AgentStatus } from './status.js';

export class EdgeMetrics {
  private readonly reg = new Registry();
  private s: AgentStatus | undefined;

  constructor(private readonly status: () => AgentStatus) {
    const reg = this.reg;
    const cur = (): AgentStatus | undefined => this.s;
    const gauge = (name: string, help: string, read: (s: AgentStatus) => number): void => {
      new Gauge({ name, help, registers: [reg], collect() { const s = cur(); if (s) this.set(read(s)); } });
    };
    const counter = (name: string, help: string, read: (s: AgentStatus) => Record<string, number>, label?: string): void => {
      const last = new Map<string, number>();
      new Counter({ name, help, registers: [reg], labelNames: label ? [label] : [], collect() {
        const s = cur();
        if (!s) return;
        for (const [k, v] of Object.entries(read(s))) {
          const d = v - (last.get(k) ?? 0);
          if (d > 0) (label ? this.inc({ [label]: k }, d) : this.inc(d));
          last.set(k, v);
        }
      } });
    };
    gauge('yiwang_edge_up_seconds', 'Seconds since the agent started.', (s) => s.uptimeS);
    gauge('yiwang_edge_queue_messages', 'Readings held for the cloud (pending and in unacknowledged batches).', (s) => s.store.rows);
    gauge('yiwang_edge_queue_bytes', 'Accounted bytes of the held readings.', (s) => s.store.bytes);
    gauge('yiwang_edge_queue_capacity_bytes', 'Byte cap of the store.', (s) => s.store.capBytes);
    gauge('yiwang_edge_queue_oldest_age_seconds', 'Age of the oldest held reading.', (s) => (s.store.oldestAgeMs ?? 0) / 1000);
    gauge('yiwang_edge_batches_unacked', 'Batches sent and not acknowledged yet.', (s) => s.store.unackedBatches);
    gauge('yiwang_edge_dead_letters', 'Batches the cloud rejected, kept for inspection.', (s) => s.store.deadLetters);
    gauge('yiwang_edge_uplink_connected', '1 while the MQTT uplink is online.', (s) => (s.uplink.state === 'online' ? 1 : 0));
    gauge('yiwang_edge_clock_synced', '1 while the gateway clock is synchronised.', (s) => (s.clock?.synced ? 1 : 0));
    gauge('yiwang_edge_devices', 'Devices the agent has heard from.', (s) => s.devices.length);
    counter('yiwang_edge_messages_dropped_total', 'Readings dropped, by reason (cap, ttl, rejected).', (s) => ({ ...s.store.dropped }), 'reason');
    counter('yiwang_edge_batches_sent_total', 'Batches sent (first sends).', (s) => ({ '': s.uplink.batchesSent }));
    counter('yiwang_edge_batches_acked_total', 'Batches the cloud confirmed.', (s) => ({ '': s.uplink.batchesAcked }));
    counter('yiwang_edge_batch_resends_total', 'Batches sent again after an ack timeout or reconnect.', (s) => ({ '': s.uplink.resends }));
    counter('yiwang_edge_readings_acked_total', 'Readings the cloud confirmed as stored.', (s) => ({ '': s.uplink.readingsAcked }));
    counter('yiwang_edge_uplinks_rejected_total', 'Device uplinks refused as malformed.', (s) => ({ '': s.coap.rejected }));
  }

  get contentType(): string { return this.reg.contentType; }

  async render(): Promise<string> {
    this.s = this.status();
    return this.reg.metrics();
  }
}
