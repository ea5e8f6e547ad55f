/** Edge agent configuration (TOML). Every option is listed in docs/reference/config.md. */
import { readFileSync } from 'node:fs';
import { opt, loadConfig, type ConfigOf, type Overrides } from '../common/config.js';
import { parseToml } from '../common/toml-read.js';
import { checkBrokerUrls } from './sync/broker-urls.js';

export const EDGE_SCHEMA = {
  gateway: {
    id: opt.str('', 'Gateway id issued by the cloud (provisioning).'),
    secret: opt.str('', 'Gateway MQTT secret issued by the cloud. Never logged.'),
    site: opt.str('', 'Site name of this gateway (set by `yiwang-edge init`, shown by `status`).'),
    group: opt.str(
      '',
      'Group of this gateway, from provisioning (for people; the cloud decides which group config it gets).',
    ),
    config_key: opt.str(
      '',
      'Fleet config-signing public key (Ed25519, base64 of the raw 32 bytes) pinned at provisioning; desired configs must verify with it. Empty = remote configuration off.',
    ),
  },
  cloud: {
    url: opt.str(
      'mqtt://127.0.0.1:1883',
      'Cloud broker URL (mqtt:// or mqtts://). With cloud.urls set: leave it out (or empty) or give the first entry of cloud.urls; it then reads as that entry.',
    ),
    urls: opt.strs(
      [],
      'Several cloud brokers, in order (at most 16, each mqtt://host[:port] or mqtts://host[:port], one scheme for all: they share cloud.ca_file). The uplink moves to the next one (round robin, at the reconnect pacing) when a connect fails, is refused, or a connection is lost; unacknowledged batches are resent byte for byte to the new node. Empty = cloud.url alone.',
    ),
    ca_file: opt.str(
      '',
      'PEM file of the fleet CA that the mqtts:// listener must present a certificate from (written by `yiwang-edge provision`); empty = the system CAs.',
    ),
    connect_timeout_ms: opt.int(10_000, 'Time allowed for one MQTT connect.', { min: 100 }),
    reconnect_ms: opt.int(1_000, 'Base delay between reconnect attempts (jittered).', { min: 50 }),
  },
  store: {
    path: opt.str('/var/lib/yiwang/edge.db', 'SQLite store file (created if missing).'),
    commit_ms: opt.int(2, 'Group-commit window: readings arriving within it share one durable transaction.', {
      min: 0,
      max: 1000,
    }),
    max_bytes: opt.int(
      0,
      'Byte cap of buffered readings; when full, bulk readings are evicted first, then normal, alarms last (oldest first). 0 = 20 % of the free disk at start, at least 64 MiB.',
      { min: 0 },
    ),
    max_age_s: opt.int(
      30 * 86_400,
      'Buffered readings older than this (agent running time, not the wall clock) are dropped; 0 = never.',
      { min: 0 },
    ),
    dedupe_max_keys: opt.int(
      500_000,
      'Uplink exchange keys remembered per generation (two are kept, 247 s each) to answer retransmissions without storing them twice; a flood above this many uplinks per 247 s shortens the window (counter uplink_keys_rotated_early). Memory: at most ~50 bytes per key.',
      { min: 1000 },
    ),
    maintenance_ms: opt.int(
      10_000,
      'Interval of store housekeeping: age limit, dedupe-key pruning, freeing pages, WAL checkpoint.',
      { min: 100 },
    ),
    quarantine_max_entries: opt.int(
      10_000,
      'Entries kept in the quarantine (readings refused one by one, at the edge or by the cloud, grouped per device, metric and reason); past this the oldest are evicted (counter quarantine_evicted). The per-reason counts are never evicted.',
      { min: 100 },
    ),
    quarantine_max_bytes: opt.int(
      4 * 2 ** 20,
      'Accounted bytes of the quarantine entries (about 100–700 each); past this the oldest are evicted like past quarantine_max_entries.',
      { min: 65_536 },
    ),
  },
  clock: {
    sync: opt.str(
      'auto',
      'How to tell that the wall clock is synchronised: auto (systemd-timesyncd flag, else a clock before 2024 is not), always, or file:PATH (synchronised while PATH exists).',
    ),
    unsynced_hold_s: opt.int(
      3600,
      'Readings stamped while the clock is unsynchronised wait this long for a sync (then their timestamps are corrected) before they are sent flagged.',
      { min: 0 },
    ),
    check_ms: opt.int(1000, 'Interval of clock checks (sync state and steps).', { min: 100 }),
  },
  coap: {
    host: opt.str('0.0.0.0', 'Address the CoAP server binds.'),
    port: opt.int(5683, 'UDP port of the CoAP server (0 = any free port).', { min: 0, max: 65535 }),
    exchange_cache_bytes: opt.int(
      16_384,
      'Bytes of CoAP responses kept for duplicate detection (node-coap LRU; each ~6-byte ACK entry also costs ~0.7 KB of heap, so this bounds memory under floods).',
      { min: 1024 },
    ),
    max_payload_bytes: opt.int(
      65_536,
      'Largest uplink payload accepted, in one datagram or assembled from Block1 blocks (4.13 Request Entity Too Large, with Size1, above it).',
      { min: 64 },
    ),
    block1_budget_bytes: opt.int(
      4_194_304,
      'Bytes held by unfinished Block1 uploads together (buffers, keys, ~320 bytes of overhead each); a new upload beyond it answers 5.03 with Max-Age. Keep it at least coap.max_payload_bytes.',
      { min: 65_536 },
    ),
    block1_max_transfers: opt.int(
      1024,
      'Unfinished Block1 uploads at once; a new one beyond it answers 5.03 with Max-Age.',
      { min: 1 },
    ),
    block1_max_per_address: opt.int(
      16,
      'Unfinished Block1 uploads at once from one source IP address (any port); a new one beyond it answers 4.29 with Max-Age. Raise it when many devices share one address (carrier NAT).',
      { min: 1 },
    ),
    block1_idle_ms: opt.int(
      60_000,
      'An unfinished Block1 upload with no block for this long is dropped (a client retransmits one block for at most ~45 s).',
      { min: 1000 },
    ),
    log_per_minute: opt.int(
      10,
      'Log lines per refusal code and minute for refused CoAP requests; further ones are counted (status coap.rejectedBy) and summed up in one line a minute.',
      { min: 0 },
    ),
    recv_buffer_bytes: opt.int(
      2_097_152,
      'UDP receive buffer (SO_RCVBUF) so bursts from many devices are not dropped while a commit runs; the kernel caps it at net.core.rmem_max.',
      { min: 65_536 },
    ),
    dtls_enabled: opt.bool(
      false,
      'Serve coaps: CoAP and LwM2M over DTLS 1.2 with pre-shared keys (docs/reference/dtls.md) on coap.dtls_port, beside the plain port; devices act only as the device their PSK identity belongs to.',
    ),
    dtls_port: opt.int(5684, 'UDP port of the coaps (DTLS) listener (0 = any free port).', { min: 0, max: 65535 }),
    dtls_max_sessions: opt.int(
      10_000,
      'DTLS sessions and handshakes in progress held at once; past it the least recently used session is dropped (the device handshakes again). Also the most entries of the resumption cache (coap.dtls_resumption).',
      { min: 1 },
    ),
    dtls_max_session_bytes: opt.int(
      16_777_216,
      'Estimated bytes of the DTLS session table (400 + 2 per identity character per session, 1.5 KiB and up per handshake); past it the least recently used session is dropped. The resumption cache has its own bound of the same number of bytes (176 + 2 per identity character per entry).',
      { min: 65_536 },
    ),
    dtls_cid: opt.bool(
      true,
      'Negotiate DTLS Connection ID (RFC 9146) with devices that offer it: a device back from a new address (carrier NAT) continues its session without a handshake.',
    ),
    dtls_handshake_timeout_ms: opt.int(30_000, 'A DTLS handshake not finished within this time is forgotten.', {
      min: 1000,
    }),
    dtls_session_idle_s: opt.int(
      86_400,
      'A DTLS session without a record from its device for this long is dropped (counted sessionsExpired); the device then resumes it (coap.dtls_resumption) or handshakes again. Raise it for devices that sleep longer.',
      { min: 60, max: 2_592_000 },
    ),
    dtls_resumption: opt.bool(
      true,
      'DTLS session resumption (RFC 5246 abbreviated handshake, by session ID; only sessions with the extended master secret): a device comes back without a full handshake. The cache holds at most coap.dtls_max_sessions entries and coap.dtls_max_session_bytes estimated bytes (least recently used first). false = no session IDs are handed out.',
    ),
    dtls_resumption_lifetime_s: opt.int(
      86_400,
      'A DTLS session can be resumed for this long after its full handshake (RFC 5246 suggests at most 24 h); then a full handshake. A device whose key was changed or removed is never resumed.',
      { min: 60, max: 2_592_000 },
    ),
    nosec: opt.str(
      'auto',
      'Plain (unencrypted) CoAP uplinks and LwM2M registrations: open (anyone, as any device), known-devices (only devices in the registry that have no PSK), off (all refused 4.03; the plain port stays bound); auto = open without coap.dtls_enabled, known-devices with it.',
      { choices: ['auto', 'off', 'known-devices', 'open'] },
    ),
  },
  lwm2m: {
    enabled: opt.bool(true, 'Serve LwM2M (/rd registration, /dp Send, device management) on the CoAP port.'),
    bootstrap: opt.bool(
      true,
      'Serve the LwM2M Bootstrap-Server (/bs, docs/reference/dtls.md "LwM2M bootstrap"): a device with its bootstrap key (devices add --bootstrap-identity) gets its account (server URI, DTLS identity and key) from the gateway. Over plain CoAP only with coap.nosec = "open", as a NoSec account.',
    ),
    bootstrap_server_uri: opt.str(
      '',
      'LwM2M Server URI written into bootstrapped devices; empty = coaps://<coap.host>:<coap.dtls_port> (coap://<coap.host>:<coap.port> for a NoSec account), which needs coap.host to be the address devices reach (not 0.0.0.0 or ::).',
    ),
    bootstrap_lifetime_s: opt.int(
      86_400,
      'Registration lifetime written into bootstrapped devices (/1/0/1); a device tag lwm2m_lifetime_s overrides it per device.',
      { min: 60 },
    ),
    bootstrap_binding: opt.str(
      'UQ',
      'Binding written into bootstrapped devices (/1/0/7): UQ (queue mode, for sleeping NB-IoT devices) or U; a device tag lwm2m_binding overrides it per device.',
      { choices: ['U', 'UQ'] },
    ),
    bootstrap_short_server_id: opt.int(
      101,
      'Short Server ID of the gateway in bootstrapped devices (/0/x/10, /1/0/0).',
      {
        min: 1,
        max: 65_534,
      },
    ),
    bootstrap_max_concurrent: opt.int(
      64,
      'Bootstraps in progress at once; a Bootstrap-Request beyond it is answered 5.03 with Max-Age (LWM2M_ERR_BOOTSTRAP_BUSY).',
      { min: 1 },
    ),
    lifetime_grace_ms: opt.int(5_000, 'Slack after a registration lifetime (lt) before the device counts as offline.', {
      min: 0,
    }),
    awake_window_ms: opt.int(
      20_000,
      'Queue mode: how long a sleeping device stays reachable after it sent something (Register, Update, Notify, Send).',
      { min: 100 },
    ),
    request_timeout_ms: opt.int(
      10_000,
      'Time a device has to answer one server request (CON retransmissions included).',
      { min: 100 },
    ),
    queue_ttl_ms: opt.int(
      86_400_000,
      'Default time to live of a queued request; undelivered requests then fail with LWM2M_ERR_EXPIRED.',
      { min: 1000 },
    ),
    queue_max_per_device: opt.int(100, 'Most open (queued or in-flight) requests per device.', { min: 1 }),
    request_attempts: opt.int(
      3,
      'Sends of one request before it fails (a timeout while the device fell asleep counts one).',
      { min: 1, max: 100 },
    ),
    max_upload_bytes: opt.int(262_144, 'Largest Block1 upload (registration links, Send) reassembled.', { min: 1024 }),
    max_uploads: opt.int(
      256,
      'Most unfinished Block1 uploads to /rd and /dp at once; a new one beyond it is answered 5.03 (counter uploadsRefused).',
      { min: 1 },
    ),
    uploads_max_bytes: opt.int(
      4_194_304,
      'Bytes of all unfinished Block1 uploads to /rd and /dp together; a block beyond it is answered 5.03 (counter uploadsRefused).',
      { min: 1024 },
    ),
    max_registrations: opt.int(
      20_000,
      'Most registrations held (online and offline). At the cap a Register from a new endpoint replaces the registration that has been offline longest, or with none offline is answered 5.03 with Max-Age (LWM2M_ERR_REGISTRATIONS_FULL); known endpoints always re-register.',
      { min: 1 },
    ),
    max_registrations_bytes: opt.int(
      16_777_216,
      'Accounted bytes of all registrations (endpoint name, object links, 48 per object link, 256 each); same rule as max_registrations at the limit.',
      { min: 65_536 },
    ),
    max_link_bytes: opt.int(
      4096,
      'Largest object-link payload of one Register or Update; larger ones are answered 4.13 (LWM2M_ERR_REGISTRATION).',
      { min: 64, max: 262_144 },
    ),
    max_endpoint_length: opt.int(
      128,
      'Longest endpoint name (ep) accepted; longer ones are answered 4.00 (LWM2M_ERR_REGISTRATION).',
      { min: 16, max: 1024 },
    ),
    new_endpoints_per_s: opt.int(
      10,
      'New endpoints (names not registered yet) one source address may register per second, as a token bucket; beyond it 4.29 with Max-Age (LWM2M_ERR_RATE_LIMITED). Registrations and updates of known endpoints are never limited. 0 = no limit.',
      { min: 0 },
    ),
    new_endpoints_burst: opt.int(
      200,
      'Bucket size of new_endpoints_per_s: new endpoints one source address may register at once.',
      { min: 1 },
    ),
    rate_limit_sources: opt.int(
      4096,
      'Source addresses with their own new-endpoint bucket; when all are busy, further sources share one bucket.',
      { min: 1 },
    ),
    queue_max_bytes_per_device: opt.int(65_536, 'Bytes of the open requests (stored JSON) of one device.', {
      min: 1024,
    }),
    queue_max_total: opt.int(
      20_000,
      'Open requests of all devices together; beyond it requests are refused with LWM2M_ERR_QUEUE_TOTAL.',
      { min: 1 },
    ),
    queue_max_total_bytes: opt.int(8_388_608, 'Bytes of the open requests of all devices together (same rule).', {
      min: 65_536,
    }),
    max_inflight_requests: opt.int(
      256,
      'Requests sent to devices and not answered yet, all devices together; more wait for a slot in the order their devices became ready.',
      { min: 1 },
    ),
    max_observations_per_device: opt.int(
      32,
      'Observations of one device (Observe and Observe-Composite); more are refused with LWM2M_ERR_OBSERVATIONS_FULL.',
      { min: 1 },
    ),
    max_observations: opt.int(50_000, 'Observations of all devices together (same rule).', { min: 1 }),
    history_max_rows: opt.int(
      100_000,
      'Finished requests and device events kept in the store (each); the oldest are deleted first.',
      { min: 100 },
    ),
    binary_paths: opt.strs(
      ['/19/0/0'],
      'Resources whose opaque values are vendor binary payloads (object 19 uplink), handed to the binary decoder.',
    ),
    object_dirs: opt.strs(
      [],
      "Directories of DDF XML files with vendors' own LwM2M objects, read at start (*.xml, in name order) on top of the built-in OMA registry; an invalid file stops the agent (LWM2M_ERR_MODEL, naming the file). A vendor object replaces the registry's definition of the same id (logged as a warning); of several vendor definitions of one id the highest ObjectVersion wins.",
    ),
  },
  sync: {
    batch_max_readings: opt.int(
      10_000,
      'Largest batch; the adaptive batch size grows up to it while acks come back quickly.',
      { min: 1 },
    ),
    linger_ms: opt.int(200, 'How long to wait for more readings before sending a partial batch.', { min: 0 }),
    inflight: opt.int(8, 'Batches sent and not yet acknowledged by the cloud.', { min: 1, max: 1000 }),
    ack_timeout_ms: opt.int(15_000, 'Resend a batch (same key) when its BatchAck has not arrived by then.', {
      min: 100,
    }),
    health_interval_ms: opt.int(30_000, 'Interval of Health messages.', { min: 1000 }),
    fresh_window_s: opt.int(
      60,
      'Normal readings younger than this are sent before an older backlog (alarms always go first).',
      { min: 0 },
    ),
    max_bytes_per_s: opt.int(0, 'Uplink bandwidth cap for batches, bytes per second; 0 = full link speed.', { min: 0 }),
    daily_bytes: opt.int(
      0,
      'Daily uplink byte budget (UTC day) for batches and health; when spent only alarm batches go; 0 = unlimited.',
      { min: 0 },
    ),
    batch_min_readings: opt.int(100, 'Smallest batch the adaptive batch size shrinks to on a slow or failing link.', {
      min: 1,
    }),
  },
  cameras: {
    enabled: opt.bool(
      true,
      'Manage ONVIF cameras. With no camera listed or added, the adapter starts nothing (no timers, sockets or processes).',
    ),
    addresses: opt.strs(
      [],
      'ONVIF device-service URLs (http://host[:port]/onvif/device_service) or host[:port] of cameras to manage; more can be added through the local API.',
    ),
    username: opt.str('', 'ONVIF user for the cameras in cameras.addresses (site account).'),
    password: opt.str(
      '',
      'Password of cameras.username. Never logged; API-added passwords are kept sealed in <store dir>/cameras.json.',
    ),
    health_interval_ms: opt.int(10_000, 'Interval of the health check of each camera.', { min: 200 }),
    request_timeout_ms: opt.int(
      4_000,
      'Timeout of one ONVIF request (the onvif package default of 120 s is far too long for health checks).',
      { min: 100 },
    ),
    auth_backoff_ms: opt.int(
      60_000,
      'After rejected credentials, wait this long before the next authenticated request, doubling each time (cameras lock accounts after a few bad logins).',
      { min: 100 },
    ),
    auth_backoff_max_ms: opt.int(
      1_800_000,
      'Longest wait between authenticated attempts while credentials are rejected.',
      { min: 100 },
    ),
    stream_probe: opt.bool(
      true,
      'Probe the RTSP stream in-process (two video frames must arrive; a frozen stream counts as down). No ffmpeg is spawned for it.',
    ),
    stream_probe_interval_ms: opt.int(10_000, 'Interval of the stream probe of each camera.', { min: 200 }),
    stream_probe_timeout_ms: opt.int(4_000, 'Time allowed to read the first frames of a stream.', { min: 200 }),
    clock_drift_max_ms: opt.int(
      5_000,
      'Camera clock drift beyond which a camera_clock_drift event is raised (WS-Security breaks around 5 s on many cameras).',
      { min: 0 },
    ),
    events: opt.bool(
      true,
      'Subscribe to ONVIF PullPoint events (motion, tamper, video loss) of cameras that are up with auth.',
    ),
    snapshot_dir: opt.str('', 'Directory of alarm snapshots; empty = <store dir>/snapshots.'),
    snapshot_max_bytes: opt.int(200 * 1024 * 1024, 'Bytes of snapshots kept; the oldest are deleted first.', {
      min: 1024,
    }),
    snapshot_timeout_ms: opt.int(5_000, 'Time allowed to fetch one snapshot.', { min: 100 }),
    discovery_target: opt.str(
      '239.255.255.250:3702',
      'Where WS-Discovery probes are sent (multicast group of the site LAN, TTL 1).',
    ),
    discovery_window_ms: opt.int(3_000, 'How long to collect WS-Discovery answers.', { min: 100 }),
    ffmpeg: opt.str('ffmpeg', 'ffmpeg binary used for the live view.'),
    live_host: opt.str('127.0.0.1', 'Address of the live-view HTTP server (HLS).'),
    live_port: opt.int(0, 'Port of the live-view HTTP server (0 = any free port, shown in GET /v1/cameras).', {
      min: 0,
      max: 65535,
    }),
    live_stall_ms: opt.int(8_000, 'A live restream without progress for this long is killed and reconnected.', {
      min: 500,
    }),
    live_idle_ms: opt.int(20_000, 'A live restream stops when no viewer requested it for this long.', { min: 500 }),
    live_reconnect_ms: opt.int(1_000, 'Base delay of live-view reconnects (exponential, jittered).', { min: 50 }),
  },
  serial: {
    devices_file: opt.str(
      '',
      'Serial device file (TOML: [[bus]] ports with line settings, [[device]] Modbus units and meters with their binding or profile); empty = the serial adapter is off.',
    ),
    profile_dir: opt.str(
      '',
      'Directory of firmware profiles (<vendor>/<model>.toml) named by `profile` in the device file; empty = the profiles the agent has loaded (profiles.library and profiles.dirs).',
    ),
    baud_rate: opt.int(9600, 'Default baud rate of a bus (DL/T 645 and CJ/T 188 meters usually 2400).', {
      min: 300,
      max: 1_000_000,
    }),
    parity: opt.str('none', 'Default parity of a bus (meters usually even).', { choices: ['none', 'even', 'odd'] }),
    data_bits: opt.int(8, 'Default data bits of a bus.', { min: 7, max: 8 }),
    stop_bits: opt.int(1, 'Default stop bits of a bus.', { min: 1, max: 2 }),
    response_timeout_ms: opt.int(
      1000,
      'Default time a device has to answer one request (transmission time of the request is added).',
      { min: 10 },
    ),
    inter_frame_gap_ms: opt.int(
      0,
      'Default silence before each request on a bus; 0 = 3.5 character times (at least 2 ms).',
      { min: 0 },
    ),
    poll_interval_ms: opt.int(60_000, 'Default poll interval of a device.', { min: 100 }),
    retries: opt.int(2, 'Retries of a request after a timeout, checksum or reply error (then the poll fails).', {
      min: 0,
      max: 10,
    }),
    offline_after: opt.int(3, 'Failed polls in a row after which a device is marked offline and polled with backoff.', {
      min: 1,
    }),
    backoff_ms: opt.int(10_000, 'First poll delay of an offline device; it doubles after each failed poll.', {
      min: 10,
    }),
    backoff_max_ms: opt.int(600_000, 'Longest poll delay of an offline device.', { min: 10 }),
    bus_fault_after: opt.int(
      10,
      'Polls in a row without any answer on a bus (from at least two devices, or its only one) that make a bus fault: the port is closed and reopened.',
      { min: 1 },
    ),
    reopen_ms: opt.int(
      2_000,
      'Interval of attempts to (re)open a serial port that is absent (USB adapter unplugged) or failed.',
      { min: 50 },
    ),
  },
  hj212: {
    enabled: opt.bool(false, 'Serve HJ 212 (pollution-source data acquisition instruments) over TCP.'),
    host: opt.str('0.0.0.0', 'Address the HJ 212 server binds.'),
    port: opt.int(9212, 'TCP port of the HJ 212 server (0 = any free port).', { min: 0, max: 65535 }),
    devices_file: opt.str(
      '',
      "HJ 212 instrument file (TOML [[instrument]]: mn, pw, id, profile or [instrument.hj212] factor map); empty = accept any MN with hj212.default_pw. MNs not listed but matching a loaded profile's hj212_mn rule take that profile.",
    ),
    profile_dir: opt.str(
      '',
      'Directory of firmware profiles named by `profile` in the instrument file; empty = the profiles the agent has loaded (profiles.library and profiles.dirs).',
    ),
    require_registered: opt.bool(
      false,
      "Reject frames whose MN is neither in the instrument file nor matched by a loaded profile's hj212_mn rule.",
    ),
    default_pw: opt.str(
      '',
      'Access password expected from instruments not listed in the instrument file; empty = not checked.',
    ),
    max_connections: opt.int(
      256,
      'Most instrument connections at once. When full, a new connection takes the place of the idlest one that never sent a valid frame; with none such it is closed at once.',
      { min: 1 },
    ),
    max_connections_per_source: opt.int(
      32,
      "Most connections at once from one source IP address (same rule when reached: the source's idlest never-valid connection is evicted, else the new one is closed).",
      { min: 1 },
    ),
    first_frame_timeout_ms: opt.int(
      10_000,
      'A connection that has not sent a valid frame (CRC, MN and PW accepted) this long after connecting is closed. Raise it to the upload interval for instruments that connect and stay silent until their next scheduled upload.',
      { min: 100 },
    ),
    idle_timeout_ms: opt.int(
      900_000,
      'A connection without any byte for this long is closed (instruments reconnect).',
      { min: 1000 },
    ),
    max_segment_bytes: opt.int(1024, 'Largest data segment accepted (HJ 212-2017: 1024; some instruments need more).', {
      min: 64,
      max: 9999,
    }),
    max_pending_frames: opt.int(
      64,
      'Frames of one connection parsed and waiting for the store; reading pauses above it.',
      { min: 1 },
    ),
    utc_offset_minutes: opt.int(
      480,
      'UTC offset of instrument clocks (DataTime), minutes; China Standard Time is 480.',
      { min: -720, max: 840 },
    ),
    reply_on_error: opt.bool(
      true,
      'Answer frames that ask for a reply but are rejected (bad PW/MN, bad content) with CN 9011 and the QnRtn reason, so the instrument does not resend them forever.',
    ),
  },
  profiles: {
    library: opt.bool(true, 'Load the bundled device-profile library (firmware-profiles/ of the installed package).'),
    dirs: opt.strs(
      [],
      "Overlay directories of integrators' profiles (<dir>/<vendor>/<model>.toml), read after the library in order; a profile with the same vendor/model path replaces the earlier one.",
    ),
    reload_ms: opt.int(
      2_000,
      'Interval of the rescan of the profile directories; added, changed or removed profiles are loaded without a restart. 0 = load at start only.',
      { min: 0 },
    ),
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

/**
 * Loads and checks the edge config. With `cloud.urls` set it is checked (edge/sync/broker-urls.ts) and
 * `cloud.url` reads as its first entry, so everything that shows or dials cloud.url sees the primary broker.
 */
export function loadEdgeConfig(path?: string, overrides?: EdgeOverrides): EdgeConfig {
  const c = loadConfig(EDGE_SCHEMA, path, overrides);
  if (c.cloud.urls.length === 0) return c;
  const urls = checkBrokerUrls(c.cloud, path ?? 'defaults', cloudUrlGiven(path, overrides));
  c.cloud.url = urls[0]!;
  return c;
}

/** cloud.url was passed or written in the file (its default does not conflict with cloud.urls). */
function cloudUrlGiven(path: string | undefined, overrides: EdgeOverrides | undefined): boolean {
  if (overrides?.cloud?.url !== undefined) return true;
  if (!path) return false;
  const doc = parseToml(readFileSync(path, 'utf8'), path, 'CONFIG_ERR_SYNTAX');
  const cloud = doc.cloud as Record<string, unknown> | undefined;
  return cloud?.url !== undefined;
}
