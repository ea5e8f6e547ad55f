/**
 * The checks of `yiwang-edge diag`, each pass/fail with a fix hint. Checks of the agent's own
 * state (database, cloud session, broker round trip) come from its local API when it runs; with
 * no agent the CLI makes them itself (read-only database, its own MQTT session).
 */
import { existsSync, statfsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { lookup } from 'node:dns/promises';
import { isIP, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { createSocket } from 'node:dgram';
import { parseToml, tomlErrorText } from '../../common/toml-read.js';
import { loadEdgeConfig, type EdgeConfig } from '../config.js';
import { silentLogger } from '../../common/log.js';
import { isYiwangError } from '../../common/errors.js';
import { VERSION } from '../../common/version.js';
import { localApi } from './local-api-client.js';
import { liveHolder } from '../../common/process-lock.js';
import { agentSocket } from './output.js';
import type { AgentStatus } from '../api/status.js';
import type { Check } from '../api/technician-routes.js';

export type { Check };

const pass = (name: string, detail: string): Check => ({ name, ok: true, detail, hint: '' });
const fail = (name: string, detail: string, hint: string): Check => ({ name, ok: false, detail, hint });
const skip = (name: string, detail: string): Check => ({ name, ok: true, skipped: true, detail, hint: '' });

/**
 * The agent check when its local API did not answer. Returns true when an agent may be running
 * all the same (permission denied on the socket, or a live process holds the store's lock): then
 * diag must not open its own broker session in the gateway's name.
 */
function agentState(err: unknown, c: EdgeConfig, checks: Check[]): boolean {
  const msg = isYiwangError(err) ? `${err.code}: ${err.message}` : (err as Error).message;
  if (isYiwangError(err) && err.code === 'EDGE_ERR_API_PERMISSION') {
    checks.push(fail('agent', msg, err.hint || "Run diag as the agent's user or as root."));
    return true;
  }
  const holder = liveHolder(c.store.path);
  if (holder) {
    checks.push(
      fail(
        'agent',
        `running (PID ${holder.pid}, ${holder.command}) but its local API does not answer: ${msg}`,
        `Check api.socket in the configuration the agent runs with; \`yiwang-edge logs\` or \`journalctl -u yiwang-edge\` say more.`,
      ),
    );
    return true;
  }
  checks.push(
    fail(
      'agent',
      msg,
      'Start it: `systemctl start yiwang-edge` (or `yiwang-edge run`); `journalctl -u yiwang-edge` says why it stopped.',
    ),
  );
  return false;
}

const MIN_FREE_BYTES = 64 * 2 ** 20;
const TIMEOUT_MS = 5000;

function cloudTarget(url: string): { host: string; port: number; tls: boolean } {
  const u = new URL(url);
  const tls = u.protocol === 'mqtts:' || u.protocol === 'wss:' || u.protocol === 'tls:';
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || (tls ? 8883 : 1883), tls };
}

function tcpCheck(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host, port });
    const done = (err: string | null): void => {
      s.destroy();
      resolve(err);
    };
    s.setTimeout(TIMEOUT_MS, () => done(`no answer within ${TIMEOUT_MS} ms`));
    s.once('connect', () => done(null));
    s.once('error', (e) => done(e.message));
  });
}

/** The fleet CA pinned at provisioning (cloud.ca_file), else undefined: the system CAs, as the agent does. */
function pinnedCa(c: EdgeConfig): string | undefined {
  return c.cloud.ca_file ? readFileSync(c.cloud.ca_file, 'utf8') : undefined;
}

function tlsCheck(host: string, port: number, ca: string | undefined): Promise<string | null> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host, port, servername: isIP(host) ? undefined : host, ...(ca ? { ca } : {}) });
    const done = (err: string | null): void => {
      s.destroy();
      resolve(err);
    };
    s.setTimeout(TIMEOUT_MS, () => done(`no TLS handshake within ${TIMEOUT_MS} ms`));
    s.once('secureConnect', () =>
      done(s.authorized ? null : `certificate not trusted: ${String(s.authorizationError)}`),
    );
    s.once('error', (e) => done(e.message));
  });
}

/** CoAP ping: an empty CON must be answered with RST by any CoAP endpoint on the port. */
function coapPing(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    const id = Math.floor(Math.random() * 0xffff);
    const timer = setTimeout(() => done(`no answer to a CoAP ping within ${TIMEOUT_MS} ms`), TIMEOUT_MS);
    function done(err: string | null): void {
      clearTimeout(timer);
      sock.close();
      resolve(err);
    }
    sock.on('message', (m) => {
      if (m.length >= 4 && m.readUInt16BE(2) === id) done(null);
    });
    sock.on('error', (e) => done(e.message));
    sock.send(Buffer.from([0x40, 0x00, id >> 8, id & 0xff]), port, host);
  });
}

/** Own MQTT session (only when the agent is not running: the broker allows one per gateway id). */
async function mqttChecks(c: EdgeConfig): Promise<Check[]> {
  // heavy modules load only when a check needs them (every other command starts faster)
  const [{ default: mqtt }, { pb }, { topics }] = await Promise.all([
    import('mqtt'),
    import('../../proto/index.js'),
    import('../../proto/topics.js'),
  ]);
  let ca: string | undefined;
  try {
    ca = pinnedCa(c);
  } catch {
    ca = undefined;
  } // an unreadable ca_file is the cloud-tls check's finding
  const client = mqtt.connect(c.cloud.url, {
    clientId: c.gateway.id,
    username: c.gateway.id,
    password: c.gateway.secret,
    clean: true,
    protocolVersion: 4,
    connectTimeout: TIMEOUT_MS,
    reconnectPeriod: 0,
    ...(ca ? { ca } : {}),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('connection closed before CONNACK')));
    });
  } catch (err) {
    client.end(true);
    const e = err as Error & { code?: number };
    const refused = e.code === 4 || e.code === 5 || e.code === 2;
    return [
      fail(
        'cloud-auth',
        e.message,
        refused
          ? 'The cloud rejects gateway.id/gateway.secret: check them with the cloud operator (or provision again).'
          : 'See the cloud-tcp and cloud-tls checks.',
      ),
      { ...skip('broker-round-trip', 'skipped: no cloud session'), ok: false, hint: 'Fix cloud-auth first.' },
    ];
  }
  const out = [pass('cloud-auth', `broker accepted ${c.gateway.id}`)];
  const t0 = Date.now();
  try {
    // The agent is not running, so its retained presence says offline: publish exactly that.
    const payload = Buffer.from(pb.Presence.encode({ online: false, agentVersion: VERSION }).finish());
    await client.publishAsync(topics.state(c.gateway.id), payload, { qos: 1, retain: true });
    out.push(pass('broker-round-trip', `PUBACK in ${Date.now() - t0} ms`));
  } catch (err) {
    out.push(
      fail(
        'broker-round-trip',
        (err as Error).message,
        "The broker accepts the session but refuses the publish; check the cloud's ACL and logs (CLOUD_ERR_ACL_DENIED).",
      ),
    );
  }
  await client.endAsync();
  return out;
}

function serialPorts(c: EdgeConfig): Check {
  if (!c.serial.devices_file) return skip('serial-ports', 'serial adapter off (serial.devices_file is empty)');
  let paths: string[];
  try {
    const doc = parseToml(readFileSync(c.serial.devices_file, 'utf8'), c.serial.devices_file) as {
      bus?: { path?: unknown }[];
    };
    paths = (doc.bus ?? []).map((b) => String(b.path ?? ''));
  } catch (err) {
    return fail(
      'serial-ports',
      `${c.serial.devices_file}: ${tomlErrorText(err)}`,
      'Fix the serial device file named in serial.devices_file.',
    );
  }
  const missing = paths.filter((p) => !existsSync(p));
  return missing.length === 0
    ? pass('serial-ports', paths.length ? `present: ${paths.join(', ')}` : 'no bus configured')
    : fail(
        'serial-ports',
        `missing: ${missing.join(', ')}`,
        'Plug in the RS-485 adapter (USB), check `dmesg | tail` and use a stable /dev/serial/by-id/… path in the device file; the agent user needs the dialout group.',
      );
}

export type Progress = (done: number, total: number, label: string) => void;

/** Runs every check; `progress` is told before each. */
export async function runChecks(file: string | undefined, progress: Progress = () => {}): Promise<Check[]> {
  const TOTAL = 12;
  let step = 0;
  const next = (label: string): void => progress(step++, TOTAL, label);
  const checks: Check[] = [];
  next('config');
  let c: EdgeConfig;
  try {
    c = loadEdgeConfig(file);
    checks.push(pass('config', `${file ?? 'defaults'} is valid`));
  } catch (err) {
    checks.push(
      fail(
        'config',
        isYiwangError(err) ? `${err.code}: ${err.message}` : String(err),
        isYiwangError(err) ? err.hint : 'Fix the configuration file.',
      ),
    );
    return checks;
  }
  checks.push(
    c.gateway.id && c.gateway.secret
      ? pass('provisioned', `gateway ${c.gateway.id}`)
      : fail(
          'provisioned',
          'gateway.id or gateway.secret is empty',
          'Provision the gateway: `yiwang-edge provision --token <claim token>` (from the cloud operator).',
        ),
  );
  next('agent');
  let status: AgentStatus | undefined;
  let agentUnknown = false;
  try {
    status = await localApi<AgentStatus>(agentSocket(c), 'GET', '/v1/status');
    checks.push(pass('agent', `running, up ${status.uptimeS} s, uplink ${status.uplink.state}`));
  } catch (err) {
    agentUnknown = agentState(err, c, checks);
  }
  next('disk');
  try {
    const s = statfsSync(dirname(c.store.path));
    const free = s.bavail * s.bsize,
      total = s.blocks * s.bsize;
    checks.push(
      free >= MIN_FREE_BYTES && free >= total * 0.05
        ? pass(
            'disk',
            `${(free / 2 ** 20).toFixed(0)} MiB free of ${(total / 2 ** 20).toFixed(0)} MiB at ${dirname(c.store.path)}`,
          )
        : fail(
            'disk',
            `only ${(free / 2 ** 20).toFixed(0)} MiB free at ${dirname(c.store.path)}`,
            'Free space on that file system (old logs: journalctl --vacuum-size=100M); the store evicts bulk readings first when full.',
          ),
    );
  } catch (err) {
    checks.push(
      fail(
        'disk',
        (err as Error).message,
        `Create the data directory ${dirname(c.store.path)} owned by the agent's user (see docs/guides/install-edge.md).`,
      ),
    );
  }
  next('clock');
  const { GatewayClock } = await import('../clock.js');
  const synced = status
    ? status.clock.synced
    : new GatewayClock({ source: c.clock.sync, checkMs: 1000, stepThresholdMs: 2000, log: silentLogger() }).synced;
  checks.push(
    synced
      ? pass('clock', `synchronised (${c.clock.sync})`)
      : fail(
          'clock',
          `not synchronised (${c.clock.sync}); readings are held or flagged`,
          'Enable NTP (`timedatectl set-ntp true`) and allow UDP 123 to the NTP server; `timedatectl` shows the state.',
        ),
  );
  next('database');
  if (status) {
    // the agent's own checks below include the database
  } else if (!existsSync(c.store.path)) {
    checks.push(skip('database', `${c.store.path} does not exist yet (created at the first start)`));
  } else {
    try {
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(c.store.path, { readonly: true, fileMustExist: true });
      const r = (db.pragma('quick_check(5)') as { quick_check: string }[])
        .map((x) => x.quick_check)
        .filter((x) => x !== 'ok');
      db.close();
      checks.push(
        r.length === 0
          ? pass('database', 'SQLite quick_check: ok')
          : fail(
              'database',
              `SQLite quick_check: ${r.join('; ')}`,
              'Copy the store file aside and run `sqlite3 <store> .recover`; check the storage medium.',
            ),
      );
    } catch (err) {
      checks.push(
        fail('database', (err as Error).message, 'Check the permissions of store.path and the free disk space.'),
      );
    }
  }
  const t = cloudTarget(c.cloud.url);
  next('cloud-dns');
  let address = t.host;
  if (isIP(t.host)) checks.push(pass('cloud-dns', `${t.host} is an address (no DNS needed)`));
  else {
    try {
      address = (await lookup(t.host)).address;
      checks.push(pass('cloud-dns', `${t.host} → ${address}`));
    } catch (err) {
      checks.push(
        fail(
          'cloud-dns',
          `${t.host}: ${(err as Error).message}`,
          'Check /etc/resolv.conf and the uplink (APN/route); `getent hosts <host>` must answer.',
        ),
      );
    }
  }
  next('cloud-tcp');
  const tcp = await tcpCheck(address, t.port);
  checks.push(
    tcp === null
      ? pass('cloud-tcp', `${t.host}:${t.port} accepts connections`)
      : fail(
          'cloud-tcp',
          `${t.host}:${t.port}: ${tcp}`,
          `The cloud broker is down or blocked: check the uplink, firewall rules for TCP ${t.port} and cloud.url${c.cloud.urls.length > 1 ? ' (the first of cloud.urls; the agent moves on to the others when it is unreachable)' : ''}.`,
        ),
  );
  next('cloud-tls');
  if (!t.tls) checks.push(skip('cloud-tls', `${c.cloud.url} is plain MQTT (no TLS)`));
  else if (tcp !== null) checks.push(fail('cloud-tls', 'skipped: no TCP connection', 'Fix cloud-tcp first.'));
  else {
    let ca: string | undefined;
    let e: string | null;
    try {
      ca = pinnedCa(c);
      e = await tlsCheck(t.host, t.port, ca);
    } catch (err) {
      e = `cloud.ca_file: ${(err as Error).message}`;
    }
    checks.push(
      e === null
        ? pass('cloud-tls', `handshake ok, certificate trusted (${ca ? `fleet CA ${c.cloud.ca_file}` : 'system CAs'})`)
        : fail(
            'cloud-tls',
            e,
            c.cloud.ca_file
              ? `Check the clock (certificates need it), that ${c.cloud.ca_file} is the fleet CA of this cloud (provision again if the cloud's CA changed) and that cloud.url names the certificate's host.`
              : "Check the clock (certificates need it), the CA bundle (cloud.ca_file, written by `yiwang-edge provision`) and that cloud.url names the certificate's host.",
          ),
    );
  }
  next('cloud session');
  if (status) {
    try {
      checks.push(
        ...(await localApi<{ checks: Check[] }>(agentSocket(c), 'GET', '/v1/diag', undefined, 15_000)).checks,
      );
    } catch (err) {
      checks.push(
        fail(
          'agent-checks',
          (err as Error).message,
          'The agent does not answer its diagnostics; see `yiwang-edge logs`.',
        ),
      );
    }
  } else if (agentUnknown) {
    // An agent may hold the gateway's one broker session: a second one would knock it off.
    checks.push({
      ...skip('cloud-auth', "skipped: an agent may be running and holds the gateway's broker session"),
      ok: false,
      hint: 'Fix the agent check first.',
    });
  } else if (!c.gateway.id || !c.gateway.secret) {
    checks.push({ ...skip('cloud-auth', 'skipped: not provisioned'), ok: false, hint: 'Provision the gateway first.' });
  } else if (tcp === null) checks.push(...(await mqttChecks(c)));
  else checks.push({ ...skip('cloud-auth', 'skipped: no TCP connection'), ok: false, hint: 'Fix cloud-tcp first.' });
  next('coap');
  if (status) {
    const host = c.coap.host === '0.0.0.0' || c.coap.host === '::' ? '127.0.0.1' : c.coap.host;
    const e = await coapPing(host, status.coap.port);
    checks.push(
      e === null
        ? pass('coap-port', `UDP ${status.coap.port} answers CoAP`)
        : fail(
            'coap-port',
            `UDP ${status.coap.port}: ${e}`,
            'Another process may hold the port, or a firewall drops UDP; `ss -ulpn | grep 5683`.',
          ),
    );
  } else
    checks.push(
      fail(
        'coap-port',
        `UDP ${c.coap.port}: no agent serving it`,
        'Start the agent; if it fails with EADDRINUSE, `ss -ulpn` shows which process holds the port.',
      ),
    );
  next('serial');
  checks.push(serialPorts(c));
  progress(TOTAL, TOTAL, 'done');
  return checks;
}
