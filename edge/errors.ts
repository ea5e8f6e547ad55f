import { defineErrors } from '../common/errors.js';

/** Coded errors of the edge agent (documented in docs/reference/errors.md). */
export const EDGE_ERRORS = defineErrors({
  EDGE_ERR_SENML: {
    summary: 'A SenML uplink is malformed (not JSON, not a SenML pack, bad names, values or times).',
    hint: 'Fix the device firmware or its profile; the message names the record and field. Other devices are not affected.',
  },
  EDGE_ERR_READING_TIME: {
    summary:
      'A reading was refused or quarantined: its timestamp is not a whole number of milliseconds between 2000-01-01 and 2100-01-01, or lies more than a day ahead of the (synchronised) gateway clock.',
    hint: "Fix the device clock or firmware (`yiwang-edge quarantine` lists the readings); the device's other readings and other devices are not affected.",
  },
  EDGE_ERR_READING_TIME_SCALE: {
    summary:
      'A SenML time looks like milliseconds, microseconds or nanoseconds since the epoch; SenML times are seconds (RFC 8428). The reading was refused or quarantined, never rescaled.',
    hint: 'Fix the device firmware to send seconds (fractions allowed); `yiwang-edge quarantine` lists what was refused.',
  },
  EDGE_ERR_READING_VALUE: {
    summary:
      'A reading was refused or quarantined: its value is not a finite number (NaN, infinite, or overflowing), or its text is longer than 4,096 characters.',
    hint: 'Fix the device firmware or its profile (scale, decoder script); the message names the metric.',
  },
  EDGE_ERR_READING_DEVICE: {
    summary:
      'A reading was refused or quarantined: its device id is empty, longer than 128 characters, or has characters outside the allowed set (SenML `bn` ids: letters, digits and _ . : @ -; elsewhere printable ASCII without spaces).',
    hint: "Fix the device's base name (bn) or the id in its URI path; terminal control characters are never accepted.",
  },
  EDGE_ERR_READING_NAME: {
    summary:
      'A reading was refused or quarantined: its metric name does not match [A-Za-z0-9_][A-Za-z0-9_.:/-]{0,127} (printable ASCII elsewhere), or its unit is longer than 32 characters or holds control characters.',
    hint: "Fix the SenML `n`/`bn`/`u` fields or the profile's metric names.",
  },
  EDGE_ERR_PAYLOAD: {
    summary: 'A raw uplink could not be decoded by its binary layout.',
    hint: 'Check that the device uses the layout named in its URI path; the cause names the failing field or checksum.',
  },
  EDGE_ERR_UNKNOWN_LAYOUT: {
    summary: 'A raw uplink names a binary layout the agent does not have.',
    hint: 'Use one of the layouts listed in docs/reference/coap-uplink.md, or add a device profile.',
  },
  EDGE_ERR_CONTENT_FORMAT: {
    summary: 'An uplink used a CoAP Content-Format the path does not accept.',
    hint: 'POST SenML JSON (110), JSON (50) or SenML CBOR (112) to /senml, bytes (42) to /raw.',
  },
  EDGE_ERR_COAP_MALFORMED: {
    summary:
      'A datagram on the CoAP port is no well-formed CoAP message (short, another version, a token longer than 8 bytes, an option running past the end, a payload marker without payload). Answered 4.00 when its header and token can be read, else RST (CON) or nothing (NON).',
    hint: "Fix the device's CoAP stack; the detail names the fault. Counted in status coap.rejectedBy; a flood is logged a few lines a minute.",
  },
  EDGE_ERR_COAP_OPTION: {
    summary:
      'A CoAP request carries an option the uplink server cannot honour: a critical option it does not support (If-Match, OSCORE, Q-Block1, …), a critical option of the wrong length or repeated (4.02 Bad Option), or Proxy-Uri/Proxy-Scheme (5.05, the agent is no proxy).',
    hint: 'Send the request without that option; the detail names its number.',
  },
  EDGE_ERR_COAP_METHOD: {
    summary: 'A CoAP uplink resource was requested with another method than POST (4.05).',
    hint: 'POST uplinks to /senml or /raw (docs/reference/coap-uplink.md).',
  },
  EDGE_ERR_COAP_NOT_FOUND: {
    summary: 'A CoAP request names no uplink resource of the agent (4.04).',
    hint: 'POST to /senml[/{deviceId}] or /raw/{layout}/{deviceId}; LwM2M devices use /rd and /dp.',
  },
  EDGE_ERR_COAP_TOO_LARGE: {
    summary:
      'A CoAP uplink is larger than coap.max_payload_bytes, in one datagram or assembled from Block1 blocks (or announced so by Size1): 4.13 Request Entity Too Large with Size1.',
    hint: 'Send less per uplink, or raise coap.max_payload_bytes (and coap.block1_budget_bytes with it).',
  },
  EDGE_ERR_COAP_BLOCK: {
    summary:
      'A Block1 upload went wrong: a block out of order or after its transfer expired or was dropped (4.08 Request Entity Incomplete), or a block whose size does not match its SZX (4.00).',
    hint: 'The device should start the upload again from block 0; coap.block1_idle_ms bounds the pause between blocks.',
  },
  EDGE_ERR_COAP_BUSY: {
    summary:
      'A new Block1 upload was refused because the agent holds its limit of unfinished uploads: the byte budget or the transfer count (5.03) or the uploads of one source address (4.29); Max-Age says when to retry.',
    hint: 'Usually a flood of unfinished uploads (status coap.block1); honest devices retry after Max-Age. Raise coap.block1_budget_bytes / block1_max_transfers / block1_max_per_address if real devices hit it.',
  },
  EDGE_ERR_COAP_INTERNAL: {
    summary: "The agent failed while handling a CoAP request (a bug, not the device's fault); answered 5.00.",
    hint: 'Report the log line (code, detail) with the agent version; the device retries.',
  },
  EDGE_ERR_STORE: {
    summary: 'The local SQLite store failed (disk full, I/O error, corruption).',
    hint: 'Run `yiwang-edge diag`; free disk space under the data directory. Devices get 5.03 until it recovers.',
  },
  EDGE_ERR_BATCH_REJECTED: {
    summary:
      'The cloud rejected a whole batch (an older cloud, or a batch it could not decode); the agent splits it into halves sent as new batches until the offending reading is alone.',
    hint: "Nothing to do for the healthy readings (they are resent); the isolated reading ends in the dead letters (EDGE_ERR_DEAD_LETTER). Report the cloud's error code with both versions.",
  },
  EDGE_ERR_DEAD_LETTER: {
    summary:
      'The cloud rejected a batch of a single reading (or event): it was moved to the dead-letter table, counted, and is never resent.',
    hint: "`yiwang-edge dead-letters` lists it with the cloud's error code; fix the device or profile that produced it, and report the code if the reading looks valid.",
  },
  EDGE_ERR_CLOUD_QUARANTINE: {
    summary:
      'The cloud stored a batch but refused some of its readings one by one (bad timestamp or value, a device owned by another gateway, over a quota); they are counted by reason and listed, never resent.',
    hint: "`yiwang-edge quarantine` lists them with the cloud's error code and detail; fix the device, or ask the operator about device ownership and quotas.",
  },
  EDGE_ERR_CLOUD_CONNECT: {
    summary: 'The agent cannot connect or authenticate to the cloud broker.',
    hint: 'Check cloud.url, gateway.id and gateway.secret; readings are kept locally meanwhile.',
  },
  EDGE_ERR_GATEWAY_REVOKED: {
    summary:
      'The cloud refused this gateway as revoked by an operator (CONNACK 5 for the right secret): the agent no longer connects; `yiwang-edge status` shows the uplink `revoked`.',
    hint: 'Revoked by the cloud — re-provision: ask the operator for a claim token (`yiwang-cloud tokens create`) and run `yiwang-edge provision --force --token <token>`, then restart the agent. Readings stay in the local store meanwhile.',
  },
  EDGE_ERR_NOT_FOUND: {
    http: 404,
    summary: 'The local API has no such resource.',
    hint: 'The CLI and the agent are of different versions; run the CLI that came with the agent.',
  },
  EDGE_ERR_AGENT_NOT_RUNNING: {
    summary: 'The command needs the running agent and could not reach its local API.',
    hint: 'Start it with `yiwang-edge run` (or `systemctl start yiwang-edge`) and retry.',
  },
  EDGE_ERR_API_PERMISSION: {
    summary:
      "The command may not open the agent's local API socket (EACCES/EPERM): the socket (mode 0600) or its directory belongs to another user. The agent may well be running.",
    hint: "Run the command as the user the message names (the socket's owner, `sudo -u yiwang yiwang-edge …`) or as root; do not start a second agent.",
  },
  EDGE_ERR_ALREADY_RUNNING: {
    summary:
      "Another edge agent holds the store (store.path): `yiwang-edge run` was refused before opening it, its socket or a broker connection. The message names the running agent's PID and command; the lock is <store.path>.lock and is released when that process ends, however it ends.",
    hint: 'Use the running agent (`yiwang-edge status`), or stop it first (`systemctl stop yiwang-edge`, or `kill <PID>`); a second agent needs its own store.path, api.socket and ports.',
  },
  EDGE_ERR_API_SOCKET: {
    summary:
      'The local API socket path (api.socket) is taken: another live agent answers on it, or it is not a socket, or it cannot be checked. The agent does not remove it and does not start.',
    hint: 'Stop the agent that serves it, or give this agent its own api.socket (two agents with different stores need different sockets); remove a file that is not a socket by hand.',
  },
  EDGE_ERR_STOP_TIMEOUT: {
    summary:
      'The agent did not stop cleanly within 10 s of SIGINT/SIGTERM (or got a second signal while stopping) and exited anyway, status 1. Committed readings are safe (SQLite); uncommitted ones are sent again by their devices.',
    hint: 'Look at the log lines before it for the part that did not stop; report them with the agent version.',
  },
  EDGE_ERR_BAD_REQUEST: {
    http: 400,
    summary:
      'A request to the local API (or a CLI argument passed on to it) is invalid: a bad device id, kind, tag or JSON body.',
    hint: 'The message names the field; `yiwang-edge <command> --help` lists the accepted values.',
  },
  EDGE_ERR_BODY_TOO_LARGE: {
    summary: 'A request body sent to the local API is over 1 MiB; answered 413 and the request cut off.',
    hint: 'Send less (register devices one by one); the CLI never sends that much.',
  },
  EDGE_ERR_DEVICE_EXISTS: {
    http: 409,
    summary: 'A device with this id is already registered on the gateway.',
    hint: 'Remove it first with `yiwang-edge devices remove <id>`, or pick another id.',
  },
  EDGE_ERR_DEVICE_KEY_SEALED: {
    summary:
      'A device key stored on the gateway no longer opens: it was sealed under an earlier gateway secret (the gateway was re-keyed or re-provisioned). Only that device is affected.',
    hint: 'Enter the key again: `yiwang-edge devices remove <id>` then `yiwang-edge devices add <id> --key-file FILE …` (`yiwang-edge devices list --json` shows keyError on each such device).',
  },
  EDGE_ERR_PSK_IDENTITY: {
    http: 400,
    summary:
      'A DTLS PSK identity is not valid: it must be 1–128 printable ASCII characters (0x20–0x7E), and comes with a key.',
    hint: 'Give the identity configured on the device (--psk-identity, or the psk_identity column of the key file); docs/reference/dtls.md "Device keys".',
  },
  EDGE_ERR_PSK_KEY: {
    http: 400,
    summary:
      'A DTLS pre-shared key is not valid: it must be 16–64 bytes written as hex (32–128 hex digits, an optional 0x prefix), and comes with an identity.',
    hint: 'Pass the key as hex in a file (--psk-key-file FILE, or - for stdin) or in the psk_key column of the key file; the key itself is never printed.',
  },
  EDGE_ERR_PSK_IDENTITY_TAKEN: {
    http: 409,
    summary:
      'A DTLS PSK identity already belongs to another device: an identity names exactly one device (a device has at most one identity).',
    hint: "Check the identity (`yiwang-edge devices show <id>` shows a device's identity); to move it, remove the other device or give it another identity first.",
  },
  EDGE_ERR_PSK_LIMIT: {
    http: 409,
    summary:
      'The gateway holds its limit of DTLS device keys (count or bytes of the in-memory key index); the key was not stored. Counted (limitHits).',
    hint: 'Remove devices that are gone (`yiwang-edge devices remove`); the limits are options of the agent\'s key directory (docs/reference/dtls.md "Device keys").',
  },
  EDGE_ERR_PSK_CSV: {
    http: 400,
    summary:
      'A key file for `yiwang-edge devices import-keys` is not valid: no header device_id,psk_identity,psk_key, over 2,000 rows or 512 KiB, or a row that does not have three fields (or names a device twice).',
    hint: 'Fix the file (CSV, comma-separated, RFC 4180 quotes) or split it; bad rows are reported by line number and skipped, the good ones are imported.',
  },
  EDGE_ERR_UNKNOWN_DEVICE: {
    http: 404,
    summary: 'The agent neither has this device registered nor has heard from it.',
    hint: 'Check the id with `yiwang-edge devices list`; LwM2M ids look like urn:imei:…',
  },
  EDGE_ERR_DEVICE_ASLEEP: {
    summary:
      'An LwM2M request from `yiwang-edge devices read/write/exec/observe/discover` got no answer because the device is asleep (queue mode, a binding with Q): the request stays queued in the agent and goes out when the device next wakes (Update, notification or Send), until it expires.',
    hint: 'Nothing to resend: `yiwang-edge devices show <id>` lists the queued request and, later, its result. Wake the device (button, magnet) and pass --wait to see the answer, or use --no-wait to queue without this error.',
  },
  EDGE_ERR_DEVICE_OFFLINE: {
    summary:
      "An LwM2M request got no answer because the device's LwM2M registration expired or it de-registered: the request stays queued and goes out when the device registers again, until it expires.",
    hint: "Check the device's power and coverage; `yiwang-edge devices show <id>` shows its registration state and the queued request.",
  },
  EDGE_ERR_REQUEST_PENDING: {
    summary:
      "An LwM2M request to a reachable device was not answered within the CLI's wait: it stays queued and the agent retries it (lwm2m.request_attempts) until it is answered or expires.",
    hint: "`yiwang-edge devices show <id>` shows its result when it comes; pass a longer --wait, and check the device's coverage.",
  },
  EDGE_ERR_CONFIG_EXISTS: {
    summary: '`yiwang-edge init` would overwrite an existing configuration file.',
    hint: 'Pass --force to change it (every setting not given anew is kept, the identity included; the old file is kept as <file>.bak), or write elsewhere with --config.',
  },
  EDGE_ERR_DIAG_FAILED: {
    summary: 'One or more `yiwang-edge diag` checks failed.',
    hint: 'Each failed check above has its own fix hint; fix the first one and run diag again.',
  },
  EDGE_ERR_BUNDLE: {
    summary: 'The support bundle could not be written.',
    hint: 'Check that the output directory exists and is writable (--output), and that the disk is not full.',
  },
  EDGE_ERR_PROVISION: {
    summary:
      '`yiwang-edge provision` could not complete the claim: the cloud was unreachable, did not answer in time, or its answer could not be opened.',
    hint: 'Check --cloud-url (mqtt://host:1883 or mqtts://host:8883 with --ca), the network, and that the cloud runs the same version; then run provision again with the same token (a failed claim does not use it up).',
  },
  EDGE_ERR_PROVISION_TLS: {
    summary:
      "`yiwang-edge provision` reached the cloud but the TLS handshake failed: its certificate is not trusted (not signed by the CA given with --ca, or no --ca and not signed by a system CA), names another host, or is not valid at the gateway's clock.",
    hint: "Pass the fleet CA file from the cloud operator with --ca (the cloud's <pki dir>/fleet-ca.crt), use the host name the certificate was issued for in --cloud-url, and check the clock (`timedatectl`); or claim over the plain listener (mqtt://host:1883) on a trusted network. The token is not used up.",
  },
  EDGE_ERR_ALREADY_PROVISIONED: {
    summary:
      '`yiwang-edge provision` found a gateway id in the configuration file: this gateway already has an identity.',
    hint: '`yiwang-edge status` shows it. To replace it (e.g. after the operator revoked it) run provision again with --force and a new token; the old identity stops being used.',
  },
  EDGE_ERR_PROVISION_REFUSED: {
    summary: 'The cloud refused the claim token; the message says why (unknown, expired, used up, revoked, id taken).',
    hint: 'Ask the operator for a new token (`yiwang-cloud tokens create`), or provision without --id.',
  },
  EDGE_ERR_CONFIG_UNSIGNED: {
    summary:
      'A desired configuration arrived without a signature or could not be decoded; it was rejected and the running config kept.',
    hint: 'Only the cloud publishes configurations; check that agent and cloud versions match.',
  },
  EDGE_ERR_CONFIG_SIGNATURE: {
    summary:
      "A desired configuration's signature does not verify with the fleet key pinned at provisioning (tampered, or signed with another key); rejected, running config kept.",
    hint: "If the cloud's config-signing key was replaced without a rotation (`yiwang-cloud signing-key rotate` carries a transition signed by the old key, which gateways follow), or the gateway missed more rotations than the cloud keeps (8), provision the gateway again to pin the new key.",
  },
  EDGE_ERR_CONFIG_KEY_STORE: {
    summary:
      'The gateway followed a config-signing key rotation but could not write the new key to <store dir>/config-key.json; it is pinned in memory until the agent restarts.',
    hint: 'Check the store directory (disk full, permissions). After a restart the agent pins the provisioned key again and follows the rotation anew at the next configuration, as long as the cloud still carries the transition.',
  },
  EDGE_ERR_CONFIG_VERSION: {
    summary:
      'A desired configuration is older than (or as old as, with other content) the one running: no silent rollback; rejected, running config kept.',
    hint: "The cloud rolls back by issuing a new, higher version; check the cloud's config state for this gateway.",
  },
  EDGE_ERR_CONFIG_GATEWAY: {
    summary: 'A desired configuration names another gateway; rejected, running config kept.',
    hint: "Report it: the cloud published another gateway's document on this gateway's topic.",
  },
  EDGE_ERR_CONFIG_INVALID: {
    summary:
      'A signed desired configuration is not valid (TOML syntax, unknown section or key, wrong type or range); reported failed, running config kept.',
    hint: 'The detail names the key; fix the layer in the cloud (`yiwang-cloud config set`) — a rollout stops by itself when its gateways report this.',
  },
  EDGE_ERR_CONFIG_UNHEALTHY: {
    summary:
      'A desired configuration was valid but failed the health check on this gateway (e.g. it enables a profile the gateway does not have); reported failed, previous config restored.',
    hint: 'The detail names the check; install what the config needs or change it for this group.',
  },
});
