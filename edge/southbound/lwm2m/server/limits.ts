/**
 * The LwM2M server's limits on what devices can make it hold (docs/reference/limits.md, "Edge:
 * LwM2M server"), their defaults (equal to edge/config.ts), and the figures that show each limit:
 * what is held against it and how often it refused something. The agent puts them in its status
 * (`lwm2m`) and metrics.
 */
import type { BootstrapCounters } from './bootstrap.js';
import type { SourceRateLimiter } from './admission.js';
import type { UploadFigures } from './exchange.js';
import type { ObservationTable } from './observations.js';
import type { DownlinkQueue } from './queue.js';
import type { RegistrationTable } from './registration-table.js';

export interface Lwm2mLimits {
  maxRegistrations: number;
  maxRegistrationsBytes: number;
  maxLinkBytes: number;
  maxEndpointLength: number;
  /** New endpoints per second and source address; 0 = no limit. */
  newEndpointsPerS: number;
  newEndpointsBurst: number;
  rateLimitSources: number;
  queueMaxBytesPerDevice: number;
  queueMaxTotal: number;
  queueMaxTotalBytes: number;
  maxInflightRequests: number;
  maxObservationsPerDevice: number;
  maxObservations: number;
  maxUploads: number;
  uploadsMaxBytes: number;
  historyMaxRows: number;
}

export const DEFAULT_LWM2M_LIMITS: Lwm2mLimits = {
  maxRegistrations: 20_000,
  maxRegistrationsBytes: 16 * 1024 * 1024,
  maxLinkBytes: 4096,
  maxEndpointLength: 128,
  newEndpointsPerS: 10,
  newEndpointsBurst: 200,
  rateLimitSources: 4096,
  queueMaxBytesPerDevice: 65_536,
  queueMaxTotal: 20_000,
  queueMaxTotalBytes: 8 * 1024 * 1024,
  maxInflightRequests: 256,
  maxObservationsPerDevice: 32,
  maxObservations: 50_000,
  maxUploads: 256,
  uploadsMaxBytes: 4 * 1024 * 1024,
  historyMaxRows: 100_000,
};

/** The `lwm2m` section of the edge config (edge/config.ts) as limits. */
export interface Lwm2mLimitConfig {
  max_registrations: number;
  max_registrations_bytes: number;
  max_link_bytes: number;
  max_endpoint_length: number;
  new_endpoints_per_s: number;
  new_endpoints_burst: number;
  rate_limit_sources: number;
  queue_max_bytes_per_device: number;
  queue_max_total: number;
  queue_max_total_bytes: number;
  max_inflight_requests: number;
  max_observations_per_device: number;
  max_observations: number;
  max_uploads: number;
  uploads_max_bytes: number;
  history_max_rows: number;
}

export function limitsFromConfig(c: Lwm2mLimitConfig): Lwm2mLimits {
  return {
    maxRegistrations: c.max_registrations,
    maxRegistrationsBytes: c.max_registrations_bytes,
    maxLinkBytes: c.max_link_bytes,
    maxEndpointLength: c.max_endpoint_length,
    newEndpointsPerS: c.new_endpoints_per_s,
    newEndpointsBurst: c.new_endpoints_burst,
    rateLimitSources: c.rate_limit_sources,
    queueMaxBytesPerDevice: c.queue_max_bytes_per_device,
    queueMaxTotal: c.queue_max_total,
    queueMaxTotalBytes: c.queue_max_total_bytes,
    maxInflightRequests: c.max_inflight_requests,
    maxObservationsPerDevice: c.max_observations_per_device,
    maxObservations: c.max_observations,
    maxUploads: c.max_uploads,
    uploadsMaxBytes: c.uploads_max_bytes,
    historyMaxRows: c.history_max_rows,
  };
}

/** GET /v1/status → `lwm2m`: what is held now, and counters (since start) of everything refused. */
export interface Lwm2mStats {
  registrations: number;
  registrationsOnline: number;
  registrationBytes: number;
  observations: number;
  queuedRequests: number;
  queuedBytes: number;
  inflightRequests: number;
  devicesWaitingForSlot: number;
  rateLimitSources: number;
  uploads: number;
  uploadBytes: number;
  /** LwM2M bootstraps in progress now (bootstrap.ts). */
  bootstrapsInProgress: number;
  counters: Record<string, number>;
  /** Device requests answered with an error, by error code. */
  rejectedByCode: Record<string, number>;
}

export interface StatsSources {
  limits: Lwm2mLimits;
  registrations: RegistrationTable;
  observations: ObservationTable;
  queue: DownlinkQueue;
  limiter: SourceRateLimiter;
  /** The server's counters (registration counters included). */
  counters: Record<string, number>;
  wire: UploadFigures | undefined;
  refusals: Record<string, number>;
  bootstrap: BootstrapCounters;
}

export function lwm2mStats(s: StatsSources): Lwm2mStats {
  const q = s.queue.stats();
  const up = s.wire?.uploadStats() ?? { uploads: 0, uploadBytes: 0 };
  return {
    registrations: s.registrations.size,
    registrationsOnline: s.registrations.size - s.registrations.offlineCount,
    registrationBytes: s.registrations.bytes,
    observations: s.observations.held(),
    queuedRequests: q.open,
    queuedBytes: q.openBytes,
    inflightRequests: q.inflight,
    devicesWaitingForSlot: q.waitingForSlot,
    rateLimitSources: s.limiter.sources,
    uploads: up.uploads,
    uploadBytes: up.uploadBytes,
    bootstrapsInProgress: s.bootstrap.inProgress,
    counters: {
      ...s.counters,
      rateLimitSharedBucket: s.limiter.counters.sharedBucket,
      queueRefusedDevice: s.queue.counters.refusedDevice,
      queueRefusedTotal: s.queue.counters.refusedTotal,
      queueSlotWaits: s.queue.counters.slotWaits,
      observationsRefused: s.observations.counters.refused,
      uploadsRefused: s.wire?.counters.uploadsRefused ?? 0,
      bootstrapRequests: s.bootstrap.requests,
      bootstrapsFinished: s.bootstrap.finished,
      bootstrapsFailed: s.bootstrap.failed,
      bootstrapsRefused: s.bootstrap.refused,
      bootstrapsBusy: s.bootstrap.busy,
    },
    rejectedByCode: s.refusals,
  };
}
