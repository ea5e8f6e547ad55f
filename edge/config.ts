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
    max_bytes: opt.int(0, 'Byte cap of buffered readings; when full, bulk readings are evicted first, then normal, alarms last (oldest first). 0 = 20 % of the free disk at start, at least 64 MiB.', { min: 0 }),
    max_age_s: opt.int(30 * 86_400, 'Buffered readings older than this (agent running time, not the wall clock) are dropped; 0 = never.', { min: 0 }),
    maintenance_ms: opt.int(10_000, 'Interval of store housekeeping: age limit, dedupe-key pruning, freeing pages, WAL checkpoint.', { min: 100 }),
  },
  clock: {
    sync: opt.str('auto', 'How to tell that the wall clock is synchronised: auto (systemd-timesyncd flag, else a clock before 2024 is not), always, or file:PATH (synchronised while PATH exists).'),
    unsynced_hold_s: opt.int(3600, 'Readings stamped while the clock is unsynchronised wait this long for a sync (then their timestamps are corrected) before they are sent flagged.', { min: 0 }),
    check_ms: opt.int(1000, 'Interval of clock checks (sync state and steps).', { min: 100 }),
  },
  coap: {
    host: opt.str('0.0.0.0', 'Address the CoAP server binds.'),
    port: opt.int(5683, 'UDP port of the CoAP server (0 = any free port).', { min: 0, max: 65535 }),
    exchange_cache_bytes: opt.int(16_384, 'Bytes of CoAP responses kept for duplicate detection (node-coap LRU; each entry also costs ~5 KB of overhead, so this bounds memory under floods).', { min: 1024 }),
    max_payload_bytes: opt.int(65_536, 'Largest uplink payload accepted.', { min: 64 }),
    recv_buffer_bytes: opt.int(2_097_152, 'UDP receive buffer (SO_RCVBUF) so bursts from many devices are not dropped while a commit runs; the kernel caps it at net.core.rmem_max.', { min: 65_536 }),
  },
  lwm2m: {
    enabled: opt.bool(true, 'Serve LwM2M (/rd registration, /dp Send, device management) on the CoAP port.'),
    lifetime_grace_ms: opt.int(5_000, 'Slack after a registration lifetime (lt) before the device counts as offline.', { min: 0 }),
    awake_window_ms: opt.int(20_000, 'Queue mode: how long a sleeping device stays reachable after it sent something (Register, Update, Notify, Send).', { min: 100 }),
    request_timeout_ms: opt.int(10_000, 'Time a device has to answer one server request (CON retransmissions included).', { min: 100 }),
    queue_ttl_ms: opt.int(86_400_000, 'Default time to live of a queued request; undelivered requests then fail with LWM2M_ERR_EXPIRED.', { min: 1000 }),
    queue_max_per_device: opt.int(100, 'Most open (queued or in-flight) requests per device.', { min: 1 }),
    request_attempts: opt.int(3, 'Sends of one request before it fails (a timeout while the device fell asleep counts one).', { min: 1, max: 100 }),
    max_upload_bytes: opt.int(262_144, 'Largest Block1 upload (registration links, Send) reassembled.', { min: 1024 }),
    binary_paths: opt.strs(['/19/0/0'], 'Resources whose opaque values are vendor binary payloads (object 19 uplink), handed to the binary decoder.'),
  },
  sync: {
    batch_max_readings: opt.int(10_000, 'Largest batch; the adaptive batch size grows up to it while acks come back quickly.', { min: 1 }),
    linger_ms: opt.int(200, 'How long to wait for more readings before sending a partial batch.', { min: 0 }),
    inflight: opt.int(8, 'Batches sent and not yet acknowledged by the cloud.', { min: 1, max: 1000 }),
    ack_timeout_ms: opt.int(15_000, 'Resend a batch (same key) when its BatchAck has not arrived by then.', { min: 100 }),
    health_interval_ms: opt.int(30_000, 'Interval of Health messages.', { min: 1000 }),
    fresh_window_s: opt.int(60, 'Normal readings younger than this are sent before an older backlog (alarms always go first).', { min: 0 }),
    max_bytes_per_s: opt.int(0, 'Uplink bandwidth cap for batches, bytes per second; 0 = full link speed.', { min: 0 }),
    daily_bytes: opt.int(0, 'Daily uplink byte budget (UTC day) for batches and health; when spent only alarm batches go; 0 = unlimited.', { min: 0 }),
    batch_min_readings: opt.int(100, 'Smallest batch the adaptive batch size shrinks to on a slow or failing link.', { min: 1 }),
  },
  cameras: {
    enabled: opt.bool(true, 'Manage ONVIF cameras. With no camera listed or added, the adapter starts nothing (no timers, sockets or processes).'),
    addresses: opt.strs([], 'ONVIF device-service URLs (http://host[:port]/onvif/device_service) or host[:port] of cameras to manage; more can be added through the local API.'),
    username: opt.str('', 'ONVIF user for the cameras in cameras.addresses (site account).'),
    password: opt.str('', 'Password of cameras.username. Never logged; API-added passwords are kept sealed in <store dir>/cameras.json.'),
    health_interval_ms: opt.int(10_000, 'Interval of the health check of each camera.', { min: 200 }),
    request_timeout_ms: opt.int(4_000, 'Timeout of one ONVIF request (the onvif package default of 120 s is far too long for health checks).', { min: 100 }),
    auth_backoff_ms: opt.int(60_000, 'After rejected credentials, wait this long before the next authenticated request, doubling each time (cameras lock accounts after a few bad logins).', { min: 100 }),
    auth_backoff_max_ms: opt.int(1_800_000, 'Longest wait between authenticated attempts while credentials are rejected.', { min: 100 }),
    stream_probe: opt.bool(true, 'Probe the RTSP stream (frames must arrive; a frozen stream counts as down). Needs ffmpeg.'),
    stream_probe_interval_ms: opt.int(10_000, 'Interval of the stream probe of each camera.', { min: 200 }),
    stream_probe_timeout_ms: opt.int(4_000, 'Time allowed to read the first frames of a stream.', { min: 200 }),
    clock_drift_max_ms: opt.int(5_000, 'Camera clock drift beyond which a camera_clock_drift event is raised (WS-Security breaks around 5 s on many cameras).', { min: 0 }),
    events: opt.bool(true, 'Subscribe to ONVIF PullPoint events (motion, tamper, video loss) of cameras that are up with auth.'),
    snapshot_dir: opt.str('', 'Directory of alarm snapshots; empty = <store dir>/snapshots.'),
    snapshot_max_bytes: opt.int(200 * 1024 * 1024, 'Bytes of snapshots kept; the oldest are deleted first.', { min: 1024 }),
    snapshot_timeout_ms: opt.int(5_000, 'Time allowed to fetch one snapshot.', { min: 100 }),
    discovery_target: opt.str('239.255.255.250:3702', 'Where WS-Discovery probes are sent (multicast group of the site LAN, TTL 1).'),
    discovery_window_ms: opt.int(3_000, 'How long to collect WS-Discovery answers.', { min: 100 }),
    ffmpeg: opt.str('ffmpeg', 'ffmpeg binary used for stream probes and live view.'),
    live_host: opt.str('127.0.0.1', 'Address of the live-view HTTP server (HLS).'),
    live_port: opt.int(0, 'Port of the live-view HTTP server (0 = any free port, shown in GET /v1/cameras).', { min: 0, max: 65535 }),
    live_stall_ms: opt.int(8_000, 'A live restream without progress for this long is killed and reconnected.', { min: 500 }),
    live_idle_ms: opt.int(20_000, 'A live restream stops when no viewer requested it for this long.', { min: 500 }),
    live_reconnect_ms: opt.int(1_000, 'Base delay of live-view reconnects (exponential, jittered).', { min: 50 }),
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
