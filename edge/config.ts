/** Edge agent configuration (TOML). Every option is listed in docs/reference/config.md. */
import { opt, loadConfig, type ConfigOf, type Overrides } from '../common/config.js';

export const EDGE_SCHEMA = {
  gateway: {
    id: opt.str('', 'Gateway id issued by the cloud (provisioning).'),
    secret: opt.str('', 'Gateway MQTT secret issued by the cloud. Never logged.'),
  },
  cloud: {
    url: opt.str('mqtt://127.0.0.1:1883', 'Cloud broker URL (mqtt:// or mqtts://).'),
    connect_timeout_ms: opt.int(10_000, 'Time allowed for one MQTT connect.', { min: 100 }),
    reconnect_ms: opt.int(1_000, 'Base delay between reconnect attempts (jittered).', { min: 50 }),
  },
  store: {
    path: opt.str('/var/lib/yiwang/edge.db', 'SQLite store file (created if missing).'),
    commit_ms: opt.int(2, 'Group-commit window: readings arriving within it share one durable transaction.', { min: 0, max: 1000 }),
  },
  coap: {
    host: opt.str('0.0.0.0', 'Address the CoAP server binds.'),
    port: opt.int(5683, 'UDP port of the CoAP server (0 = any free port).', { min: 0, max: 65535 }),
    exchange_cache_bytes: opt.int(16_384, 'Bytes of CoAP responses kept for duplicate detection (node-coap LRU; each entry also costs ~5 KB of overhead, so this bounds memory under floods).', { min: 1024 }),
    max_payload_bytes: opt.int(65_536, 'Largest uplink payload accepted.', { min: 64 }),
    recv_buffer_bytes: opt.int(2_097_152, 'UDP receive buffer (SO_RCVBUF) so bursts from many devices are not dropped while a commit runs; the kernel caps it at net.core.rmem_max.', { min: 65_536 }),
  },
  sync: {
    batch_max_readings: opt.int(2_000, 'Most readings in one batch.', { min: 1 }),
    linger_ms: opt.int(200, 'How long to wait for more readings before sending a partial batch.', { min: 0 }),
    inflight: opt.int(8, 'Batches sent and not yet acknowledged by the cloud.', { min: 1, max: 1000 }),
    ack_timeout_ms: opt.int(15_000, 'Resend a batch (same key) when its BatchAck has not arrived by then.', { min: 100 }),
    health_interval_ms: opt.int(30_000, 'Interval of Health messages.', { min: 1000 }),
  },
  api: {
    socket: opt.str('', 'Unix socket of the local API used by the CLI; empty = <store dir>/agent.sock.'),
  },
  log: {
    level: opt.str('info', 'Log level.', { choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }),
  },
};

export type EdgeConfig = ConfigOf<typeof EDGE_SCHEMA>;
export type EdgeOverrides = Overrides<typeof EDGE_SCHEMA>;

export const loadEdgeConfig = (path?: string, overrides?: EdgeOverrides): EdgeConfig => loadConfig(EDGE_SCHEMA, path, overrides);
