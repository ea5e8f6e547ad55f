/** Cloud configuration (TOML). Every option is listed in docs/reference/config.md. */
import { opt, loadConfig, type ConfigOf, type Overrides } from '../common/config.js';

export const CLOUD_SCHEMA = {
  mqtt: {
    host: opt.str('0.0.0.0', 'Address of the plain MQTT (TCP) listener.'),
    port: opt.int(1883, 'Port of the plain MQTT listener (0 = any free port).', { min: 0, max: 65535 }),
  },
  http: {
    host: opt.str('127.0.0.1', 'Address of the HTTP API and dashboard.'),
    port: opt.int(8080, 'Port of the HTTP API (0 = any free port).', { min: 0, max: 65535 }),
    api_token: opt.str('', 'Bearer token required by the API; empty = no token, allowed only on a loopback host.'),
  },
  store: {
    path: opt.str('/var/lib/yiwang/cloud.db', 'SQLite database of the cloud (created if missing).'),
    commit_ms: opt.int(2, 'Group-commit window for ingest: batches arriving within it share one durable transaction.', { min: 0, max: 1000 }),
  },
  log: {
    level: opt.str('info', 'Log level.', { choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }),
  },
};

export type CloudConfig = ConfigOf<typeof CLOUD_SCHEMA>;
export type CloudOverrides = Overrides<typeof CLOUD_SCHEMA>;

export const loadCloudConfig = (path?: string, overrides?: CloudOverrides): CloudConfig => loadConfig(CLOUD_SCHEMA, path, overrides);
