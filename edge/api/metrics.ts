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
      new Gauge({
        name,
        help,
        registers: [reg],
        collect() {
          const s = cur();
          if (s) this.set(read(s));
        },
      });
    };
    const counter = (
      name: string,
      help: string,
      read: (s: AgentStatus) => Record<string, number>,
      label?: string,
    ): void => {
      const last = new Map<string, number>();
      new Counter({
        name,
        help,
        registers: [reg],
        labelNames: label ? [label] : [],
        collect() {
          const s = cur();
          if (!s) return;
          for (const [k, v] of Object.entries(read(s))) {
            const d = v - (last.get(k) ?? 0);
            if (d > 0) label ? this.inc({ [label]: k }, d) : this.inc(d);
            last.set(k, v);
          }
        },
      });
    };
    gauge('yiwang_edge_up_seconds', 'Seconds since the agent started.', (s) => s.uptimeS);
    gauge(
      'yiwang_edge_queue_messages',
      'Readings held for the cloud (pending and in unacknowledged batches).',
      (s) => s.store.rows,
    );
    gauge('yiwang_edge_queue_bytes', 'Accounted bytes of the held readings.', (s) => s.store.bytes);
    gauge('yiwang_edge_queue_capacity_bytes', 'Byte cap of the store.', (s) => s.store.capBytes);
    gauge(
      'yiwang_edge_queue_oldest_age_seconds',
      'Age of the oldest held reading.',
      (s) => (s.store.oldestAgeMs ?? 0) / 1000,
    );
    gauge('yiwang_edge_batches_unacked', 'Batches sent and not acknowledged yet.', (s) => s.store.unackedBatches);
    gauge('yiwang_edge_dead_letters', 'Batches the cloud rejected, kept for inspection.', (s) => s.store.deadLetters);
    gauge('yiwang_edge_uplink_connected', '1 while the MQTT uplink is online.', (s) =>
      s.uplink.state === 'online' ? 1 : 0,
    );
    gauge('yiwang_edge_clock_synced', '1 while the gateway clock is synchronised.', (s) => (s.clock?.synced ? 1 : 0));
    gauge('yiwang_edge_devices', 'Devices the agent has heard from.', (s) => s.devices.length);
    counter(
      'yiwang_edge_messages_dropped_total',
      'Readings dropped, by reason (cap, ttl, rejected).',
      (s) => ({ ...s.store.dropped }),
      'reason',
    );
    counter('yiwang_edge_batches_sent_total', 'Batches sent (first sends).', (s) => ({ '': s.uplink.batchesSent }));
    counter('yiwang_edge_batches_acked_total', 'Batches the cloud confirmed.', (s) => ({ '': s.uplink.batchesAcked }));
    counter('yiwang_edge_batch_resends_total', 'Batches sent again after an ack timeout or reconnect.', (s) => ({
      '': s.uplink.resends,
    }));
    counter('yiwang_edge_readings_acked_total', 'Readings the cloud confirmed as stored.', (s) => ({
      '': s.uplink.readingsAcked,
    }));
    counter('yiwang_edge_uplinks_rejected_total', 'Device uplinks refused as malformed.', (s) => ({
      '': s.coap.rejected,
    }));
    counter(
      'yiwang_edge_readings_quarantined_total',
      'Readings refused one by one (at the edge or by the cloud), by reason (error code).',
      (s) => ({ ...s.store.quarantine.byReason }),
      'reason',
    );
    gauge(
      'yiwang_edge_quarantine_entries',
      'Entries held in the quarantine table (bounded by store.quarantine_max_entries).',
      (s) => s.store.quarantine.entries,
    );
    counter(
      'yiwang_edge_quarantine_evicted_total',
      'Quarantine entries evicted by its caps (their readings stay counted).',
      (s) => ({ '': s.store.quarantine.evicted }),
    );
    counter(
      'yiwang_edge_dead_lettered_batches_total',
      'Batches of a single reading or event the cloud rejected, kept as dead letters.',
      (s) => ({ '': s.store.deadLettered.batches }),
    );
    counter(
      'yiwang_edge_batches_split_total',
      'Batches the cloud rejected whole, bisected to isolate what it refuses.',
      (s) => ({ '': s.store.counters.batches_split ?? 0 }),
    );
    counter(
      'yiwang_edge_coap_refused_total',
      'CoAP requests and datagrams refused, by error code (client errors, EDGE_ERR_COAP_BUSY, EDGE_ERR_COAP_INTERNAL).',
      (s) => ({ ...s.coap.rejectedBy }),
      'code',
    );
    counter(
      'yiwang_edge_coap_log_suppressed_total',
      'Log lines of refused CoAP requests left out by the rate limit.',
      (s) => ({ '': s.coap.logSuppressed }),
    );
    gauge('yiwang_edge_coap_block1_transfers', 'Unfinished CoAP Block1 uploads held.', (s) => s.coap.block1.transfers);
    gauge(
      'yiwang_edge_coap_block1_bytes',
      'Bytes held by unfinished (and just completed) Block1 uploads, against coap.block1_budget_bytes.',
      (s) => s.coap.block1.bytes,
    );
    counter(
      'yiwang_edge_coap_block1_refused_total',
      'Block1 blocks refused or transfers dropped, by reason (tooLarge, incomplete, badBlock, budgetFull, transfersFull, perAddressFull, expired).',
      (s) => {
        const b = s.coap.block1;
        return {
          tooLarge: b.tooLarge,
          incomplete: b.incomplete,
          badBlock: b.badBlock,
          budgetFull: b.budgetFull,
          transfersFull: b.transfersFull,
          perAddressFull: b.perAddressFull,
          expired: b.expired,
        };
      },
      'reason',
    );
    // coaps (DTLS) listener, when coap.dtls_enabled (edge/southbound/dtls/coaps-listener.ts)
    gauge('yiwang_edge_dtls_sessions', 'Established DTLS sessions held.', (s) => s.coaps?.sessions ?? 0);
    counter(
      'yiwang_edge_dtls_handshakes_total',
      'DTLS handshakes by outcome (started, completed, of the completed resumed (abbreviated), failed, timedOut, evicted: dropped unfinished for room).',
      (s) => ({
        started: s.coaps?.handshakesStarted ?? 0,
        completed: s.coaps?.handshakesCompleted ?? 0,
        resumed: s.coaps?.handshakesResumed ?? 0,
        failed: s.coaps?.handshakesFailed ?? 0,
        timedOut: s.coaps?.handshakesTimedOut ?? 0,
        evicted: s.coaps?.handshakesEvicted ?? 0,
      }),
      'outcome',
    );
    counter(
      'yiwang_edge_dtls_sessions_ended_total',
      'DTLS sessions ended, by reason (expired: idle past coap.dtls_session_idle_s; evicted: for room in the table; other: closed by either side, an alert, replaced by a new handshake, shutdown).',
      (s) => {
        const c = s.coaps;
        if (!c) return { expired: 0, evicted: 0, other: 0 };
        return {
          expired: c.sessionsExpired,
          evicted: c.sessionsEvicted,
          other: c.sessionsEnded - c.sessionsExpired - c.sessionsEvicted,
        };
      },
      'reason',
    );
    gauge(
      'yiwang_edge_dtls_resumption_entries',
      'DTLS sessions held for resumption (at most coap.dtls_max_sessions).',
      (s) => s.coaps?.resumptionEntries ?? 0,
    );
    gauge(
      'yiwang_edge_dtls_resumption_bytes',
      'Estimated bytes of the DTLS resumption cache (at most coap.dtls_max_session_bytes).',
      (s) => s.coaps?.resumptionBytes ?? 0,
    );
    counter(
      'yiwang_edge_dtls_resumptions_failed_total',
      'Offered DTLS session IDs answered with a full handshake, by reason (missed: unknown or expired; refused: key changed or removed, suite or extended master secret differ).',
      (s) => ({ missed: s.coaps?.resumptionsMissed ?? 0, refused: s.coaps?.resumptionsRefused ?? 0 }),
      'reason',
    );
    counter(
      'yiwang_edge_dtls_resumption_dropped_total',
      'DTLS resumption cache entries dropped, by reason (evicted: for room, count or bytes; expired: past coap.dtls_resumption_lifetime_s).',
      (s) => ({ evicted: s.coaps?.resumptionsEvicted ?? 0, expired: s.coaps?.resumptionsExpired ?? 0 }),
      'reason',
    );
    counter(
      'yiwang_edge_dtls_address_moves_total',
      'DTLS sessions continued from a new address by their Connection ID (no handshake).',
      (s) => ({ '': s.coaps?.addressMoves ?? 0 }),
    );
    counter(
      'yiwang_edge_dtls_refused_total',
      'Uplinks and LwM2M registrations refused by identity binding (identityMismatch) or coap.nosec (nosec).',
      (s) => ({ identityMismatch: s.coaps?.refused.identityMismatch ?? 0, nosec: s.coaps?.refused.nosec ?? 0 }),
      'reason',
    );
    // LwM2M server (edge/southbound/lwm2m/server/limits.ts): what it holds against its limits, and what they refused
    gauge(
      'yiwang_edge_lwm2m_registrations',
      'LwM2M registrations held (online and offline), against lwm2m.max_registrations.',
      (s) => s.lwm2m?.registrations ?? 0,
    );
    gauge(
      'yiwang_edge_lwm2m_registration_bytes',
      'Accounted bytes of the LwM2M registrations, against lwm2m.max_registrations_bytes.',
      (s) => s.lwm2m?.registrationBytes ?? 0,
    );
    gauge(
      'yiwang_edge_lwm2m_observations',
      'LwM2M observations held, against lwm2m.max_observations.',
      (s) => s.lwm2m?.observations ?? 0,
    );
    gauge(
      'yiwang_edge_lwm2m_queued_requests',
      'Open LwM2M downlink requests of all devices, against lwm2m.queue_max_total.',
      (s) => s.lwm2m?.queuedRequests ?? 0,
    );
    gauge(
      'yiwang_edge_lwm2m_queued_bytes',
      'Bytes of the open LwM2M downlink requests, against lwm2m.queue_max_total_bytes.',
      (s) => s.lwm2m?.queuedBytes ?? 0,
    );
    counter(
      'yiwang_edge_lwm2m_refused_total',
      'LwM2M registrations, requests, observations and uploads refused by a limit, by reason.',
      (s) => {
        const c = s.lwm2m?.counters ?? {};
        return {
          registrations_full: c.registrationsRefusedFull ?? 0,
          rate_limited: c.registrationsRateLimited ?? 0,
          links_too_large: c.linksTooLarge ?? 0,
          queue_device: c.queueRefusedDevice ?? 0,
          queue_total: c.queueRefusedTotal ?? 0,
          observations: c.observationsRefused ?? 0,
          uploads: c.uploadsRefused ?? 0,
        };
      },
      'reason',
    );
    counter(
      'yiwang_edge_lwm2m_registrations_evicted_total',
      'Offline LwM2M registrations removed to make room for new endpoints.',
      (s) => ({ '': s.lwm2m?.counters.registrationsEvicted ?? 0 }),
    );
  }

  get contentType(): string {
    return this.reg.contentType;
  }

  async render(): Promise<string> {
    this.s = this.status();
    return this.reg.metrics();
  }
}
