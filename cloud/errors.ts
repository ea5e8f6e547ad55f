import { defineErrors } from '../common/errors.js';

/** Coded errors of the cloud (documented in docs/reference/errors.md). */
export const CLOUD_ERRORS = defineErrors({
  CLOUD_ERR_AUTH_FAILED: {
    summary: 'An MQTT client gave an unknown gateway id or a wrong secret.',
    hint: "Check the gateway's gateway.id and gateway.secret; a never-created or removed gateway must be provisioned (again). A revoked gateway with the right secret is refused as CLOUD_ERR_GATEWAY_REVOKED instead.",
  },
  CLOUD_ERR_CLIENT_ID: {
    summary: 'A gateway connected with a client id other than its gateway id.',
    hint: 'Gateways must use their gateway id as MQTT client id (the edge agent does); a different id could take over another session.',
  },
  CLOUD_ERR_ACL_DENIED: {
    summary:
      "A client published or subscribed outside what it may (another gateway's topics, wildcards, $SYS, QoS 2, a state message over 1 KiB).",
    hint: 'A gateway writes only yw/v1/gw/{own id}/up/… and its state topic and reads only yw/v1/gw/{own id}/down/…; the client is disconnected (publish) or refused (subscribe).',
  },
  CLOUD_ERR_BATCH_REJECTED: {
    summary: 'A batch could not be decoded or broke the contract; it was answered REJECTED and not stored.',
    hint: 'The detail names the wire error; the gateway keeps the batch in its dead letters. Check agent and cloud versions.',
  },
  CLOUD_ERR_BATCH_GATEWAY: {
    summary: 'A batch names a gateway other than the one that sent it.',
    hint: "A gateway's batches must carry its own id; re-provisioned gateways must drain or discard batches sealed under the old id.",
  },
  CLOUD_ERR_DEVICE_OWNER: {
    summary:
      'A gateway sent readings or events for a device that belongs to another gateway; they were quarantined (the rest of the batch stored) and the device stayed where it was.',
    hint: 'A device belongs to the first gateway that reported it (or the one it was registered with). If it really moved, an operator moves it: `yiwang-cloud devices move <id> --gateway <gw>` (POST /api/v1/devices/{id}/move); otherwise the sending gateway is misconfigured or hostile.',
  },
  CLOUD_ERR_READINGS_QUARANTINED: {
    summary:
      'A stored batch had readings or events that were quarantined one by one (bad timestamp or value, a broken series or device block, a device of another gateway); the rest was stored and the BatchAck lists them.',
    hint: 'The log line and GET /api/v1/gateways/{id}/quarantine give the device, metric, code and count; fix the device or its profile. Logged at most 10 times per minute, counted always (/api/v1/stats, yiwang_ingest_quarantined_readings_total).',
  },
  CLOUD_ERR_INGEST_THROTTLED: {
    summary:
      'A gateway sent readings faster than its ingest quota (ingest.gateway_readings_per_s, burst ingest.gateway_burst_readings) for longer than a batch may wait (ingest.gateway_max_delay_ms); the batch was neither stored nor answered, so the gateway sends it again after its ack timeout.',
    hint: 'Nothing is lost: the gateway keeps the batch. A gateway draining a long backlog may hit it; raise the quota if honest gateways do. Logged at most 10 times per minute, counted always.',
  },
  CLOUD_ERR_STORE: {
    summary: 'The cloud store failed to write (disk, database connection).',
    hint: 'Check the database and disk; unacknowledged batches stay on the gateways and are resent.',
  },
  CLOUD_ERR_CLUSTER: {
    summary:
      'The Redis server shared by the cloud nodes (cluster.redis_url) could not be reached at start, or cluster.redis_prefix or cluster.node_id is not usable.',
    hint: 'Start Redis or correct cluster.redis_url (redis://[:password@]host:port[/db]); leave it empty for a single node. A prefix is 1-64 letters, digits or . _ : - (no glob or MQTT wildcard characters), a node id 1-64 letters, digits or . _ -. Redis lost while running is logged and counted (/api/v1/stats, broker.clusterRedisErrors); the node reconnects by itself.',
  },
  CLOUD_ERR_SCHEMA: {
    summary:
      'The PostgreSQL database schema does not match this release (pending migrations, a newer release, or a changed migration).',
    hint: 'Run `yiwang-cloud db migrate` (or `db status` to see the versions); never edit an applied migration. A database written by a newer release needs that release.',
    http: 503,
  },
  CLOUD_ERR_IMPORT: {
    summary:
      '`yiwang-cloud db import-sqlite` refused or failed: the target PostgreSQL database is not empty, the file is not a cloud SQLite store, store.backend is not "postgres", or the copied row counts did not match (nothing was written then).',
    hint: 'Import into a new, empty database (createdb; the schema is created by the import), with store.backend = "postgres" and store.postgres_url naming it; stop the cloud that uses the SQLite file first. The import is one transaction: after a failure the database is as empty as before, so fix the cause and run it again.',
  },
  CLOUD_ERR_ALREADY_RUNNING: {
    summary:
      "Another cloud process holds the SQLite store (store.path): `yiwang-cloud serve` was refused before opening it. The message names the running process's PID and command; the lock is <store.path>.lock and is released when that process ends.",
    hint: 'Use the running cloud, or stop it first; a second cloud node needs its own store (or the shared PostgreSQL store of a cluster).',
  },
  CLOUD_ERR_STOP_TIMEOUT: {
    summary:
      'The cloud did not stop cleanly within 10 s of SIGINT/SIGTERM (or got a second signal while stopping) and exited anyway, status 1.',
    hint: 'Look at the log lines before it for the part that did not stop; gateways resend what was not acknowledged.',
  },
  CLOUD_ERR_NOT_FOUND: {
    http: 404,
    summary: 'The API resource does not exist.',
    hint: 'Check the id in the URL; list with GET /api/v1/gateways or /api/v1/devices.',
  },
  CLOUD_ERR_BAD_REQUEST: {
    http: 400,
    summary: 'The API request is malformed (bad JSON, bad parameter).',
    hint: 'The message names the parameter; docs/reference/http-api.md lists them.',
  },
  CLOUD_ERR_UNAUTHORIZED: {
    http: 401,
    summary:
      'The API request lacks a valid bearer token (HTTP 401); the CLI names the URL and where its token came from.',
    hint: 'Send `Authorization: Bearer <token>` with http.api_token or a key from `yiwang-cloud keys create`. With the CLI: --token, YIWANG_CLOUD_TOKEN, or `yiwang-cloud login URL --token-stdin` (`yiwang-cloud contexts` shows which URL and token are in use).',
  },
  CLOUD_ERR_CONFLICT: {
    http: 409,
    summary: 'The API request conflicts with existing state (e.g. the gateway id exists).',
    hint: 'Pick another id or delete the existing resource first.',
  },
  CLOUD_ERR_FORBIDDEN: {
    http: 403,
    summary:
      'The caller is authenticated but its role does not allow the request (docs/reference/http-api.md, "Operators": each route needs one permission), or the gateway, device, alarm or group it names is outside the scope (districts, groups) of its account.',
    hint: 'Use an account or key whose role has the permission the message names, or ask a security administrator to change your role or scope; a legacy read key is a viewer.',
  },
  CLOUD_ERR_HOST_NOT_ALLOWED: {
    http: 421,
    summary:
      'An HTTP request named a Host that is neither localhost, an IP address, http.host nor in http.allowed_hosts; answered 421 (a DNS-rebinding page would name its own site).',
    hint: 'Reach the API and dashboard by the address the cloud listens on, or add the name to http.allowed_hosts; a reverse proxy must pass the Host header on (nginx: `proxy_set_header Host $host`).',
  },
  CLOUD_ERR_CROSS_ORIGIN: {
    http: 403,
    summary:
      'An HTTP request came from a web page of another origin (its Origin header, `Origin: null`, or a write with `Sec-Fetch-Site: cross-site`); answered 403 so no page can drive the API (CSRF).',
    hint: 'Use the dashboard the cloud serves, or a program (CLI, curl) that sends no Origin header.',
  },
  CLOUD_ERR_UNSUPPORTED_MEDIA_TYPE: {
    http: 415,
    summary:
      'A request that changes something (POST, PUT, PATCH, DELETE) sent a body not declared as `Content-Type: application/json`; answered 415.',
    hint: 'Send the body as JSON with `Content-Type: application/json` (the CLI and the dashboard do).',
  },
  CLOUD_ERR_BODY_TOO_LARGE: {
    http: 413,
    summary:
      "An HTTP request body is over the route's limit (64 KiB; config layers 1 MiB, device lists 8 MiB); answered 413 and the connection closed.",
    hint: 'Send less: register devices 10,000 at a time; docs/reference/limits.md lists the limits.',
  },
  CLOUD_ERR_URL_TOO_LONG: {
    http: 414,
    summary: 'An HTTP request URL (path and query) is over 8 KiB; answered 414.',
    hint: 'Shorten the query; page through lists with `after`/`offset` instead of long filters.',
  },
  CLOUD_ERR_HEADERS_TOO_LARGE: {
    http: 431,
    summary:
      'An HTTP request head (request line and headers) is over http.max_header_bytes; answered 431 and the connection closed.',
    hint: "Drop oversized cookies or headers sent to the cloud's address, or raise http.max_header_bytes.",
  },
  CLOUD_ERR_REQUEST_TIMEOUT: {
    http: 408,
    summary:
      'An HTTP client did not send its whole request within http.request_timeout_ms; answered 408 and the connection closed.',
    hint: "Check the client's link; raise http.request_timeout_ms for large uploads over slow links.",
  },
  CLOUD_ERR_RATE_LIMITED: {
    http: 429,
    summary:
      'Too many failed authentications came from one client address within a minute (http.auth_failures_per_min); its requests with other credentials are answered 429 until the minute is over.',
    hint: 'Fix the token or key the client sends. Behind a reverse proxy all clients share its address: raise the limit or set it to 0.',
  },
  CLOUD_ERR_LIVE_FULL: {
    http: 503,
    summary:
      'A live-update (SSE) listener was refused: http.live_max_listeners are open, or http.live_max_per_client from this address; answered 503.',
    hint: 'Close dashboards nobody watches (each browser tab holds one listener) or raise the limits; the browser retries by itself.',
  },
  CLOUD_ERR_LIVE_SLOW: {
    summary:
      'A live-update listener did not read its stream: its unsent bytes would have passed http.live_max_buffered_bytes, so it was disconnected (counted in yiwang_http_live_dropped_total{reason="slow"}).',
    hint: 'A dashboard on a stalled or very slow link; it reconnects by itself. Raise http.live_max_buffered_bytes for slow links.',
  },
  CLOUD_ERR_CLAIM_INVALID: {
    summary:
      'A claim request is malformed: not a ClaimRequest, a token not of the form ywc_<id>.<secret>, a public key that is not 32 bytes, or a bad requested id.',
    hint: 'Copy the whole token printed by `yiwang-cloud tokens create`; run `yiwang-edge provision` of the same version as the cloud.',
  },
  CLOUD_ERR_CLAIM_UNKNOWN: {
    summary: 'The claim token is unknown or its secret part is wrong.',
    hint: 'Check the token for typos; list valid tokens with `yiwang-cloud tokens list`.',
  },
  CLOUD_ERR_CLAIM_EXPIRED: {
    summary: 'The claim token has expired.',
    hint: 'Ask the operator for a new token (`yiwang-cloud tokens create --ttl …`).',
  },
  CLOUD_ERR_CLAIM_USED_UP: {
    summary: 'The claim token has been used as many times as it allows.',
    hint: 'Ask the operator for a new token or one with more uses (`--uses N`).',
  },
  CLOUD_ERR_CLAIM_REVOKED: {
    summary: 'The claim token was revoked by an operator.',
    hint: 'Ask the operator for a new token.',
  },
  CLOUD_ERR_CLAIM_ID_TAKEN: {
    summary: 'The gateway id requested in a claim belongs to another gateway.',
    hint: 'Provision without --id (the cloud picks one) or choose another id.',
  },
  CLOUD_ERR_GATEWAY_REVOKED: {
    summary:
      'A gateway whose credentials an operator revoked connected with its right secret; refused with CONNACK 5 (not authorized), which the edge agent reports as EDGE_ERR_GATEWAY_REVOKED (its session was also closed at revocation). The cloud lists it with status `revoked`.',
    hint: 'Provision the gateway again with a new claim token if it should come back; `yiwang-cloud gateways remove <id>` takes a revoked gateway out of the fleet.',
  },
  CLOUD_ERR_PACKET_TOO_LARGE: {
    summary:
      "An MQTT packet announced more bytes than allowed: mqtt.max_connect_bytes before the connection authenticated, mqtt.max_packet_bytes after. The connection was closed when the packet's header arrived, before its body was read.",
    hint: 'Nothing of ours sends such packets: a CONNECT is a few hundred bytes and the largest batch is under the default mqtt.max_packet_bytes. Look for a scanner or a broken client at the address in the log; raise the option only for a known client.',
  },
  CLOUD_ERR_PACKET_MALFORMED: {
    summary: "An MQTT packet's remaining length had more than four bytes (not MQTT); the connection was closed.",
    hint: 'Something that does not speak MQTT connected to the broker port (check the address in the log).',
  },
  CLOUD_ERR_UNAUTHENTICATED_LIMIT: {
    summary:
      'A connection was closed at accept because mqtt.max_unauthenticated connections were open and not authenticated yet (TLS handshakes included).',
    hint: 'A flood of connections that never log in, or a very large reconnect wave: gateways retry by themselves. Raise mqtt.max_unauthenticated if honest gateways are refused (broker.unauthenticatedRefused in /api/v1/stats).',
  },
  CLOUD_ERR_CONNECT_TIMEOUT: {
    summary:
      'A connection did not finish its TLS handshake, CONNECT and authentication (a provisioning session: send its claim request) within mqtt.connect_timeout_ms; it was closed.',
    hint: 'A client that connects and sends nothing (a port scan), or a link too slow for the timeout: raise mqtt.connect_timeout_ms for slow links.',
  },
  CLOUD_ERR_PERSISTENT_SESSION: {
    summary:
      'A client asked for a persistent MQTT session (clean session = 0); the broker keeps no session state for anyone and refused it (CONNACK 2).',
    hint: 'Connect with clean session = 1 (the edge agent does): gateways resend unacknowledged batches themselves and receive their configuration at every connect.',
  },
  CLOUD_ERR_WILL_REFUSED: {
    summary:
      "A CONNECT carried a will the client may not leave: a gateway's will may only be its own retained state topic (yw/v1/gw/{id}/state), at most QoS 1 and 1 KiB; a provisioning session may have none. Refused with CONNACK 5.",
    hint: 'Use the will the edge agent sets (Presence online=false on its state topic); a will on another topic or `#` is refused.',
  },
  CLOUD_ERR_CLIENT_ID_IN_USE: {
    summary:
      'A provisioning session used a client id that is connected; a provisioning session never takes over a session (CONNACK 2).',
    hint: 'Provisioning clients pick a random id (`yiwang-edge provision` does); retry with a new one.',
  },
  CLOUD_ERR_SLOW_CLIENT: {
    summary:
      'A client did not read what the broker sent it: more than mqtt.max_outgoing_bytes waited unsent, so the connection was closed rather than the buffer grown.',
    hint: 'A stalled gateway or a very slow link; the gateway reconnects and resends. Raise mqtt.max_outgoing_bytes for links that need it.',
  },
  CLOUD_ERR_CLAIM_RATE_LIMITED: {
    summary:
      'A claim attempt was refused because its client address (provisioning.claims_per_min_per_source) or all addresses together (provisioning.claims_per_min) made too many within a minute.',
    hint: 'Wait the number of seconds in the message and retry. Provisioning many gateways from one address (a NAT): raise provisioning.claims_per_min_per_source.',
  },
  CLOUD_ERR_CLAIM_LIMITS: {
    http: 400,
    summary:
      'A claim token was asked for with a lifetime (ttlS) or a number of uses out of bounds (provisioning.claim_ttl_max_s, provisioning.claim_uses_max).',
    hint: 'Ask for a shorter lifetime or fewer uses; create several tokens for a large batch of gateways.',
  },
  CLOUD_ERR_LOG_SUPPRESSED: {
    summary:
      'Summary line: more warnings about peers came within the window than are logged one by one; they were counted, not written (`suppressed`: the lines left out, by code).',
    hint: 'The counters in /api/v1/stats (broker.*, provisioning.*) have every event; look at the first lines of the window for examples.',
  },
  CLOUD_ERR_CONFIG_INVALID: {
    http: 400,
    summary:
      'A configuration layer given to the cloud is not valid TOML (its keys are checked next: CLOUD_ERR_CONFIG_SCHEMA).',
    hint: 'The message names the line; check the file with a TOML linter. See docs/reference/config-rollout.md for the keys.',
  },
  CLOUD_ERR_CONFIG_SCHEMA: {
    http: 400,
    summary:
      'A configuration layer sets something the gateways would reject: an unknown section or key, a value of the wrong type, or one out of range (the message names every key path and why); nothing was stored or sent.',
    hint: 'Fix the keys named in the message; docs/reference/config-rollout.md lists what a desired configuration may set. `yiwang-cloud config set --dry-run` checks a file without storing it.',
  },
  CLOUD_ERR_ROLLOUT_ABORTED: {
    summary:
      'A rollout stopped because its failure share or health regression crossed the abort threshold; reached gateways were sent the previous configuration again.',
    hint: 'See `yiwang-cloud rollout status <id>` for the failed gateways and their reasons; fix the configuration and start a new rollout.',
  },
  CLOUD_ERR_ROLLOUT_BUSY: {
    http: 409,
    summary: 'A rollout is already running for this group.',
    hint: 'Wait for it or abort it (`yiwang-cloud rollout abort <id>`).',
  },
  CLOUD_ERR_UNREACHABLE: {
    summary:
      'The operator CLI cannot reach the cloud at the URL it names: connection refused, the host name does not resolve, no answer within --timeout, or the connection was reset. The message says where the URL came from.',
    hint: "Check that `yiwang-cloud serve` runs there and listens on that address (http.host, http.port). The URL comes from --url, else $YIWANG_CLOUD_URL, else the current `yiwang-cloud login` context, else the --config file's http.host:http.port; `yiwang-cloud contexts` shows which is in use.",
  },
  CLOUD_ERR_TLS: {
    summary:
      "The operator CLI reached the cloud's https:// URL but the TLS handshake failed (certificate not trusted, expired, or not for that host name; or TLS spoken to a plain HTTP port).",
    hint: "Use the host name the certificate names; trust a private CA with NODE_EXTRA_CA_CERTS=<ca.pem>; use http:// for the cloud's own listener (TLS is a reverse proxy's job).",
  },
  CLOUD_ERR_BAD_RESPONSE: {
    summary:
      "The operator CLI got an answer that is not the Yiwang API's JSON (another service at that URL, a proxy's error page, or an HTTP error without a coded body).",
    hint: 'Check the URL (`yiwang-cloud contexts` shows the one in use and where it came from) and any proxy in between.',
  },
  CLOUD_ERR_CONTEXT: {
    summary:
      'A saved CLI context could not be used: the named context does not exist, or the contexts file ($XDG_CONFIG_HOME/yiwang/cloud-contexts.json) is unreadable, not a contexts file, or readable by others.',
    hint: '`yiwang-cloud contexts` lists the saved ones; `yiwang-cloud login URL --context NAME` saves one; chmod 600 the file if others may read it (it holds tokens).',
  },
});
