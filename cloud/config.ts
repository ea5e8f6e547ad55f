/** Cloud configuration (TOML). Every option is listed in docs/reference/config.md. */
import { opt, loadConfig, type ConfigOf, type Overrides } from '../common/config.js';
import { YiwangError } from '../common/errors.js';

export const CLOUD_SCHEMA = {
  mqtt: {
    host: opt.str(
      '127.0.0.1',
      'Address of the plain MQTT (TCP) listener: loopback by default (demo, tests, a TLS-terminating proxy on the same host); gateways come in over TLS (tls.*).',
    ),
    port: opt.int(1883, 'Port of the plain MQTT listener (0 = any free port).', { min: 0, max: 65535 }),
    max_connect_bytes: opt.int(
      4096,
      'Largest MQTT packet (fixed header included) a connection may send before it authenticated: the CONNECT and anything sent with it. A larger one closes the connection when its header arrives, before its body is read. Both listeners.',
      { min: 512, max: 1_048_576 },
    ),
    max_packet_bytes: opt.int(
      16_842_752,
      'Largest MQTT packet of an authenticated connection (default 16 MiB + 64 KiB: above the largest batch the codec accepts, a 16 MiB body). A larger one closes the connection when its header arrives. Both listeners.',
      { min: 65_536, max: 268_435_455 },
    ),
    max_unauthenticated: opt.int(
      1000,
      'Connections at once that have not authenticated yet (TLS handshakes and provisioning sessions included, both listeners); one more is closed at accept.',
      { min: 1 },
    ),
    connect_timeout_ms: opt.int(
      10_000,
      'Time from accepting a connection to its successful authentication (TLS handshake, CONNECT, secret check) or, for a provisioning session, to its claim request; then it is closed.',
      { min: 100 },
    ),
    max_outgoing_bytes: opt.int(
      4_194_304,
      'Bytes waiting unsent to one client (it does not read); one more message to it closes the connection.',
      { min: 65_536 },
    ),
    allow_plain: opt.bool(
      false,
      'Let the plain (unencrypted) MQTT listener bind an address other than loopback (127.0.0.0/8, ::1, localhost). Without it such an mqtt.host refuses to start (CONFIG_ERR_INVALID): gateways come in over TLS (tls.*). docs/reference/security.md, "Transport".',
    ),
  },
  tls: {
    enabled: opt.bool(
      true,
      'Serve MQTT over TLS with a certificate from the fleet CA (created on first start in pki.dir).',
    ),
    host: opt.str('0.0.0.0', 'Address of the MQTT over TLS listener.'),
    port: opt.int(8883, 'Port of the MQTT over TLS listener (0 = any free port).', { min: 0, max: 65535 }),
    hostnames: opt.strs(
      ['localhost', '127.0.0.1'],
      'DNS names and IP addresses the TLS certificate is valid for (what gateways put in cloud.url).',
    ),
    public_url: opt.str(
      '',
      'mqtts:// URL handed to gateways at provisioning; empty = the URL they provisioned with, switched to mqtts and tls.port.',
    ),
  },
  pki: {
    dir: opt.str(
      '',
      'Directory of the fleet CA certificate and its key and the config-signing key (0600; sealed under keys.kek when set); empty = <store dir>/pki. The TLS key is made at each start and kept only in memory.',
    ),
  },
  keys: {
    kek: opt.str(
      '',
      'Key-encryption key that seals the private keys in pki.dir (fleet CA, config-signing key): "file:/etc/yiwang/kek" (a file no group or other may read or write, outside the store directory and pki.dir), "env:NAME" (an environment variable, removed from the environment once read) or "systemd:NAME" (the systemd credential $CREDENTIALS_DIRECTORY/NAME); its text is 32+ bytes in hex or base64 (`yiwang-cloud kek generate`). Empty = keys stay clear 0600 files (demo), with a warning in the log and in /api/v1/stats. See docs/reference/security.md.',
    ),
    algorithm: opt.str(
      'aes-256-gcm',
      'Algorithm new seals use: "aes-256-gcm", or "sm4" (SM4-GCM where the runtime has it, else SM4-CBC with HMAC-SM3; refused with CLOUD_ERR_KEYS_ALGORITHM_UNAVAILABLE where it lacks SM4 or SM3). Keys sealed with the other one are re-sealed at start.',
      { choices: ['aes-256-gcm', 'sm4'] },
    ),
    require_kek: opt.bool(
      false,
      'Refuse to start (CLOUD_ERR_KEK_MISSING) when keys.kek is empty, so a production cloud never runs with clear private keys.',
    ),
  },
  provisioning: {
    claim_ttl_s: opt.int(7 * 86_400, 'Default lifetime of a claim token (at most provisioning.claim_ttl_max_s).', {
      min: 60,
    }),
    claim_ttl_max_s: opt.int(
      30 * 86_400,
      'Longest lifetime a claim token may be created with; a longer ttlS is refused (CLOUD_ERR_CLAIM_LIMITS).',
      { min: 60 },
    ),
    claim_uses_max: opt.int(
      10_000,
      'Most uses a claim token may be created with; more are refused (CLOUD_ERR_CLAIM_LIMITS).',
      { min: 1, max: 1_000_000 },
    ),
    claims_per_min_per_source: opt.int(
      60,
      "Claim attempts per minute from one client address (token bucket, a burst of one minute's worth); more are answered CLOUD_ERR_CLAIM_RATE_LIMITED. 0 = no limit.",
      { min: 0 },
    ),
    claims_per_min: opt.int(
      6000,
      'Claim attempts per minute from all addresses together (token bucket); more are answered CLOUD_ERR_CLAIM_RATE_LIMITED. 0 = no limit.',
      { min: 0 },
    ),
    revoke_check_ms: opt.int(
      1000,
      'Interval at which connected sessions of revoked gateways are looked for (revocations made on another cloud node).',
      { min: 100 },
    ),
  },
  rollout: {
    tick_ms: opt.int(1000, 'Interval at which running rollouts are advanced (wave soak ends, thresholds checked).', {
      min: 10,
    }),
  },
  http: {
    host: opt.str('127.0.0.1', 'Address of the HTTP API and dashboard.'),
    port: opt.int(8080, 'Port of the HTTP API (0 = any free port).', { min: 0, max: 65535 }),
    api_token: opt.str('', 'Bearer token required by the API; empty = no token, allowed only on a loopback host.'),
    tls: opt.bool(
      false,
      'Serve the API and dashboard over HTTPS: with http.cert_file and http.key_file when given, else with a certificate from the fleet CA for tls.hostnames (the one MQTT over TLS uses). Adds Strict-Transport-Security and makes the session cookie Secure. docs/reference/security.md, "Transport".',
    ),
    cert_file: opt.str(
      '',
      'PEM certificate (chain) of the HTTPS listener, with http.key_file; empty = one from the fleet CA. Only with http.tls.',
    ),
    key_file: opt.str('', 'PEM private key of http.cert_file (keep it 0600). Only with http.tls.'),
    allowed_hosts: opt.strs(
      [],
      'Host names under which the API and dashboard may be reached besides localhost, *.localhost, IP addresses and http.host ("cloud.example.org"; ".example.org" = the domain and its subdomains; "*" = any). Requests naming another Host are refused 421 (DNS rebinding).',
    ),
    max_header_bytes: opt.int(
      16_384,
      'Largest request head (request line and headers); a larger one is answered 431.',
      { min: 1024, max: 1_048_576 },
    ),
    max_connections: opt.int(
      1024,
      'Open HTTP connections at most (live listeners included); further ones are closed at once and counted.',
      { min: 1 },
    ),
    request_timeout_ms: opt.int(
      30_000,
      'A request whose head and body have not arrived within this time is answered 408 and closed (slow clients). Responses, live updates included, are not limited.',
      { min: 1000 },
    ),
    auth_failures_per_min: opt.int(
      120,
      'Failed authentications accepted per client address per minute; past it the address is answered 429 until the minute is over (the http.api_token itself is always accepted). 0 = no limit.',
      { min: 0 },
    ),
    live_max_listeners: opt.int(256, 'Live-update (SSE) listeners at most; more are refused 503.', { min: 1 }),
    live_max_per_client: opt.int(16, 'Live-update listeners at most per client address; more are refused 503.', {
      min: 1,
    }),
    live_max_buffered_bytes: opt.int(
      1_048_576,
      'Unsent bytes a live-update listener may have; a listener that does not read past it is disconnected (it reconnects by itself).',
      { min: 4096 },
    ),
  },
  store: {
    backend: opt.str(
      'sqlite',
      'Where the cloud keeps its data: "sqlite" (one file at store.path, one cloud process; the zero-setup default) or "postgres" (store.postgres_url; several cloud nodes may share it, see docs/guides/scale-out.md).',
      { choices: ['sqlite', 'postgres'] },
    ),
    path: opt.str(
      '/var/lib/yiwang/cloud.db',
      'SQLite database of the cloud (created if missing); with store.backend = "postgres" only the directory is used (pki.dir default).',
    ),
    postgres_url: opt.str(
      '',
      'PostgreSQL connection URL (postgres://user@host:5432/db) of store.backend = "postgres". The schema is created on an empty database; a database behind this release is refused until `yiwang-cloud db migrate`.',
    ),
    postgres_pool: opt.int(10, 'Connections this node keeps open to PostgreSQL.', { min: 1, max: 500 }),
    readings_keep_days: opt.int(
      0,
      'PostgreSQL: readings older than this many days (by reading time) are dropped a whole day partition at a time; 0 = keep forever. Readings older than the window (or 400 days when 0) go to one overflow partition instead of a partition of their own.',
      { min: 0, max: 36_500 },
    ),
    batch_keys_keep_days: opt.int(
      30,
      'PostgreSQL: idempotency keys of stored batches are pruned after this many days (keep it above the longest time a gateway may resend a batch it saw no acknowledgement for).',
      { min: 1, max: 3650 },
    ),
    commit_ms: opt.int(
      2,
      'Group-commit window: batches (and claims) arriving within it share one durable transaction.',
      { min: 0, max: 1000 },
    ),
  },
  ingest: {
    max_readings_per_batch: opt.int(
      100_000,
      "Readings one batch may declare; a larger batch is refused whole (REJECTED, WIRE_ERR_LIMIT) before its body is read. Keep the edges' sync.batch_max_readings at or below it.",
      { min: 1, max: 10_000_000 },
    ),
    max_body_bytes: opt.int(
      16_777_216,
      'Largest batch body, plain or inflated (compression bombs stop here); a larger one is refused whole (WIRE_ERR_LIMIT).',
      { min: 65_536, max: 268_435_456 },
    ),
    gateway_readings_per_s: opt.int(
      50_000,
      'Ingest quota of one gateway: readings per second (token bucket). A batch over it waits (ingest.gateway_max_delay_ms) or, over it for longer, is not stored and not answered: the gateway resends it after its ack timeout. 0 = no quota.',
      { min: 0 },
    ),
    gateway_burst_readings: opt.int(
      500_000,
      "Readings a gateway may send at once above its quota rate (the bucket's size); a batch is let through when the bucket is full, whatever its size.",
      { min: 1 },
    ),
    gateway_max_delay_ms: opt.int(
      1000,
      "A batch over its gateway's quota waits until its readings are due if that takes at most this long (the gateway's connection is not read meanwhile, so a draining gateway slows to its quota); a longer wait throttles it instead (not stored, not answered). 0 = never wait.",
      { min: 0, max: 10_000 },
    ),
    min_reading_ts_ms: opt.int(
      946_684_800_000,
      'Readings stamped earlier (ms since the epoch; default 2000-01-01) are quarantined (WIRE_ERR_READING_RANGE); the rest of their batch is stored.',
    ),
    max_future_ms: opt.int(
      86_400_000,
      "Readings stamped more than this ahead of the cloud's clock are quarantined (WIRE_ERR_READING_RANGE).",
      { min: 0 },
    ),
    quarantine_keep: opt.int(
      100,
      'Quarantined groups (device, metric, code, count) kept per gateway in the cloud store for GET /api/v1/gateways/{id}/quarantine; older ones are deleted (the totals per code are kept).',
      { min: 1, max: 100_000 },
    ),
  },
  health: {
    silence_ms: opt.int(
      90_000,
      "A gateway with neither a Health message nor a session event for this long counts as offline (connected: degraded, health_missing). Keep it above 2× the edges' sync.health_interval_ms.",
      { min: 1000 },
    ),
    backlog_age_ms: opt.int(
      600_000,
      'A gateway whose oldest unsent reading is older than this is degraded (backlog).',
      { min: 1000 },
    ),
    store_near_cap: opt.num(0.9, 'Fraction of its store cap at which a gateway is degraded (store_near_cap).', {
      min: 0.1,
      max: 1,
    }),
    disk_low: opt.num(0.05, "Free fraction of the gateway's disk below which it is degraded (disk_low).", {
      min: 0,
      max: 1,
    }),
    device_interval_s: opt.int(
      3600,
      'Expected reporting interval of devices registered without one and of devices only seen in batches.',
      { min: 1 },
    ),
    device_missed_reports: opt.int(2, 'A device is offline after missing this many expected reports.', { min: 1 }),
    flush_ms: opt.int(1000, 'Gateway status and counter changes are written in one transaction per this window.', {
      min: 10,
    }),
    sweep_ms: opt.int(5000, 'Interval of the sweep that times out silent gateways and devices past their deadline.', {
      min: 10,
    }),
    history_point_ms: opt.int(
      60_000,
      'At most one backlog history point per gateway per this interval (dashboard chart).',
      { min: 100 },
    ),
    history_keep_ms: opt.int(21_600_000, 'Backlog history kept per gateway.', { min: 60_000 }),
    events_keep: opt.int(
      1_000_000,
      'Events kept in the cloud store (the newest; alarms not acknowledged yet are never deleted). Older ones are deleted by the sweep, at most 100,000 per sweep. 0 = keep all.',
      { min: 0 },
    ),
    live_ms: opt.int(1000, 'Interval of live dashboard updates (SSE): summary when it changed, new events.', {
      min: 50,
    }),
  },
  cluster: {
    redis_url: opt.str(
      '',
      'Redis shared by several `yiwang-cloud serve` nodes (redis://[:password@]host:port[/db]): MQTT messages between the nodes, retained messages and sessions live there, so a downlink reaches a gateway connected to any node. Empty = a single node, all in memory.',
    ),
    redis_prefix: opt.str(
      'yw:',
      'Prefix of every Redis key and pub/sub channel of this cluster (several clusters may share one Redis): 1-64 letters, digits or . _ : -.',
    ),
    node_id: opt.str(
      '',
      "This node's id among the nodes sharing cluster.redis_url: unique, 1-64 letters, digits or . _ - (in logs, $SYS topics and Redis keys); empty = <hostname>-<pid>. A node that stops for good leaves wills of its gateways that the other nodes publish a few minutes later.",
    ),
  },
  audit: {
    retention_days: opt.int(
      180,
      'Audit entries older than this many days are pruned, a whole prefix of the chain at a time with a signed checkpoint of the last one removed (docs/reference/security.md, "Audit"). At least 180 (graded protection level 3 asks for six months).',
      { min: 180, max: 36_500 },
    ),
    checkpoint_every: opt.int(
      1000,
      'A signed checkpoint (sequence number and hash of the chain head, Ed25519) is written with every this many audit entries.',
      { min: 1, max: 1_000_000 },
    ),
    checkpoint_interval_s: opt.int(
      300,
      'A signed checkpoint of the head is also written when this long passed since the last one and entries were added meanwhile.',
      { min: 1, max: 86_400 },
    ),
    refused_per_min: opt.int(
      600,
      'Refused requests (401, 403) audited one by one per minute, all clients together; past it they are counted and one summary entry (audit.refused_suppressed) is written when the minute ends.',
      { min: 1, max: 1_000_000 },
    ),
  },
  auth: {
    token_mode: opt.str(
      'full',
      'What http.api_token (and, without a token, any loopback client) may do: "full" (everything, as before operator accounts), "first-run" (only create accounts, and only while there are none: the way to make the first security administrator), "off" (nothing). Level 3 deployments: "first-run", then "off". docs/reference/security.md.',
      { choices: ['full', 'first-run', 'off'] },
    ),
    session_idle_s: opt.int(1800, 'A sign-in session unused this long ends (idle timeout).', { min: 60, max: 86_400 }),
    session_max_s: opt.int(
      43_200,
      'A sign-in session ends this long after sign-in whatever its use (absolute timeout).',
      {
        min: 300,
        max: 30 * 86_400,
      },
    ),
    max_sessions_per_user: opt.int(10, 'Sign-in sessions one account may hold; a new one ends the oldest.', {
      min: 1,
      max: 1000,
    }),
    password_min_length: opt.int(
      12,
      'Shortest password accepted (with 3 of 4 character classes, docs/reference/security.md).',
      {
        min: 8,
        max: 128,
      },
    ),
    lock_after_failures: opt.int(
      5,
      'Failed sign-ins of one account within 15 minutes that lock it (15 min, doubling per further lock up to 24 h).',
      {
        min: 3,
        max: 100,
      },
    ),
    secure_cookies: opt.bool(
      false,
      'Mark the session cookie Secure (sent only over HTTPS). On by itself with http.tls; set it when a TLS proxy in front serves the dashboard.',
    ),
  },
  log: {
    level: opt.str('info', 'Log level.', { choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }),
  },
};

export type CloudConfig = ConfigOf<typeof CLOUD_SCHEMA>;
export type CloudOverrides = Overrides<typeof CLOUD_SCHEMA>;

/** Loads and validates the cloud configuration, including the rules between options. */
export function loadCloudConfig(path?: string, overrides?: CloudOverrides): CloudConfig {
  const c = loadConfig(CLOUD_SCHEMA, path, overrides);
  const p = c.provisioning;
  if (p.claim_ttl_s > p.claim_ttl_max_s)
    throw new YiwangError(
      'CONFIG_ERR_INVALID',
      `${path ?? 'cloud config'}: provisioning.claim_ttl_s (${p.claim_ttl_s}) must not be over provisioning.claim_ttl_max_s (${p.claim_ttl_max_s})`,
    );
  if (!c.http.cert_file !== !c.http.key_file || (c.http.cert_file && !c.http.tls))
    throw new YiwangError(
      'CONFIG_ERR_INVALID',
      `${path ?? 'cloud config'}: http.cert_file and http.key_file go together, and only with http.tls = true`,
    );
  if (c.store.backend === 'postgres' && !c.store.postgres_url)
    throw new YiwangError(
      'CONFIG_ERR_INVALID',
      `${path ?? 'cloud config'}: store.backend = "postgres" needs store.postgres_url`,
    );
  return c;
}

/** True for an address only this machine reaches: 127.0.0.0/8, ::1, localhost (and their IPv4-mapped forms). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/**
 * The transport rule checked before the cloud starts (issue 22 item 5): plain MQTT on an address
 * other than loopback needs mqtt.allow_plain = true (MQTT over TLS, tls.*, is not concerned).
 */
export function checkPlainMqtt(c: CloudConfig): void {
  if (c.mqtt.allow_plain || isLoopbackHost(c.mqtt.host)) return;
  throw new YiwangError(
    'CONFIG_ERR_INVALID',
    `mqtt.host = ${JSON.stringify(c.mqtt.host)} would serve plain (unencrypted) MQTT beyond this machine: gateways connect over MQTT over TLS (tls.host, tls.port); bind mqtt.host to 127.0.0.1, or set mqtt.allow_plain = true to allow it knowingly`,
  );
}
