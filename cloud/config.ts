/** Cloud configuration (TOML). Every option is listed in docs/reference/config.md. */
import { opt, loadConfig, type ConfigOf, type Overrides } from '../common/config.js';

export const CLOUD_SCHEMA = {
  mqtt: {
    host: opt.str('0.0.0.0', 'Address of the plain MQTT (TCP) listener.'),
    port: opt.int(1883, 'Port of the plain MQTT listener (0 = any free port).', { min: 0, max: 65535 }),
  },
  tls: {
    enabled: opt.bool(true, 'Serve MQTT over TLS with a certificate from the fleet CA (created on first start in pki.dir).'),
    host: opt.str('0.0.0.0', 'Address of the MQTT over TLS listener.'),
    port: opt.int(8883, 'Port of the MQTT over TLS listener (0 = any free port).', { min: 0, max: 65535 }),
    hostnames: opt.strs(['localhost', '127.0.0.1'], 'DNS names and IP addresses the TLS certificate is valid for (what gateways put in cloud.url).'),
    public_url: opt.str('', 'mqtts:// URL handed to gateways at provisioning; empty = the URL they provisioned with, switched to mqtts and tls.port.'),
  },
  pki: {
    dir: opt.str('', 'Directory of the fleet CA, the TLS key and the config-signing key (0600); empty = <store dir>/pki.'),
  },
  provisioning: {
    claim_ttl_s: opt.int(7 * 86_400, 'Default lifetime of a claim token.', { min: 60 }),
    revoke_check_ms: opt.int(1000, 'Interval at which connected sessions of revoked gateways are looked for (revocations made on another cloud node).', { min: 100 }),
  },
  rollout: {
    tick_ms: opt.int(1000, 'Interval at which running rollouts are advanced (wave soak ends, thresholds checked).', { min: 10 }),
  },
  http: {
    host: opt.str('127.0.0.1', 'Address of the HTTP API and dashboard.'),
    port: opt.int(8080, 'Port of the HTTP API (0 = any free port).', { min: 0, max: 65535 }),
    api_token: opt.str('', 'Bearer token required by the API; empty = no token, allowed only on a loopback host.'),
  },
  store: {
    path: opt.str('/var/lib/yiwang/cloud.db', 'SQLite database of the cloud (created if missing).'),
    commit_ms: opt.int(2, 'Group-commit window: batches (and claims) arriving within it share one durable transaction.', { min: 0, max: 1000 }),
  },
  health: {
    silence_ms: opt.int(90_000, 'A gateway with neither a Health message nor a session event for this long counts as offline (connected: degraded, health_missing). Keep it above 2× the edges\' sync.health_interval_ms.', { min: 1000 }),
    backlog_age_ms: opt.int(600_000, 'A gateway whose oldest unsent reading is older than this is degraded (backlog).', { min: 1000 }),
    store_near_cap: opt.num(0.9, 'Fraction of its store cap at which a gateway is degraded (store_near_cap).', { min: 0.1, max: 1 }),
    disk_low: opt.num(0.05, 'Free fraction of the gateway\'s disk below which it is degraded (disk_low).', { min: 0, max: 1 }),
    device_interval_s: opt.int(3600, 'Expected reporting interval of devices registered without one and of devices only seen in batches.', { min: 1 }),
    device_missed_reports: opt.int(2, 'A device is offline after missing this many expected reports.', { min: 1 }),
    flush_ms: opt.int(1000, 'Gateway status and counter changes are written in one transaction per this window.', { min: 10 }),
    sweep_ms: opt.int(5000, 'Interval of the sweep that times out silent gateways and devices past their deadline.', { min: 10 }),
    history_point_ms: opt.int(60_000, 'At most one backlog history point per gateway per this interval (dashboard chart).', { min: 100 }),
    history_keep_ms: opt.int(21_600_000, 'Backlog history kept per gateway.', { min: 60_000 }),
    events_keep: opt.int(1_000_000, 'Events kept in the cloud store (the newest; alarms not acknowledged yet are never deleted). Older ones are deleted by the sweep, at most 100,000 per sweep. 0 = keep all.', { min: 0 }),
    live_ms: opt.int(1000, 'Interval of live dashboard updates (SSE): summary when it changed, new events.', { min: 50 }),
  },
  log: {
    level: opt.str('info', 'Log level.', { choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }),
  },
};

export type CloudConfig = ConfigOf<typeof CLOUD_SCHEMA>;
export type CloudOverrides = Overrides<typeof CLOUD_SCHEMA>;

export const loadCloudConfig = (path?: string, overrides?: CloudOverrides): CloudConfig => loadConfig(CLOUD_SCHEMA, path, overrides);
