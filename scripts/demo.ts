/**
 * `npm start`: the whole path on this machine — cloud (broker + ingest + API), one edge agent and
 * simulated air-quality stations replaying ../shared/datasets/beijing-air over real CoAP, all on
 * free loopback ports, with a live status line. Beside the real edge, 20 simulated gateways
 * (scripts/sim/fleet.ts: some offline, some backlogged, some raising alarms) make a fleet for the dashboard. Ctrl-C stops everything.
 * The stations replay at the current time (scripts/sim/replay-clock.ts): the series is shifted by whole
 * days to end now, keeping its hourly intervals, hours of the day and season; the last --history-h
 * hours are sent at once (one hour every --hour-ms), then a reading an hour, on the hour.
 * Options: --data DIR (stations, default the Beijing set), --hour-ms N (history replay speed, default
 * 250), --history-h N (hours of history, default 48).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../common/paths.js';
import { EDGE_NODE_FLAGS } from '../edge/runtime-flags.js';
import { localApiGet } from '../edge/cli/local-api-client.js';
import type { AgentStatus } from '../edge/api/status.js';
import { BUILTIN_LAYOUTS } from '../edge/profiles/builtin-layouts.js';
import { encodePayload } from '../edge/profiles/layout/index.js';
import { loadStations, DEFAULT_BEIJING_DIR, type Station } from './beijing.js';
import { SimSensor, type SenmlRecord } from './sim/coap-sensors.js';
import { startLwm2mDemo, type Lwm2mDemo } from './sim/lwm2m-clients-demo.js';
import { startFleet, type Fleet } from './sim/fleet.js';
import { HOUR_MS, planReplay, replay } from './sim/replay-clock.js';
import { demoStatusLine } from './demo-status.js';

const args = process.argv.slice(2);
const arg = (name: string, def: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
const dataDir = arg('--data', DEFAULT_BEIJING_DIR);
const hourMs = Number(arg('--hour-ms', '250'));
const historyH = Number(arg('--history-h', '48'));

const dir = mkdtempSync(join(tmpdir(), 'yiwang-demo-'));
const children: ChildProcess[] = [];
let stopping = false;

function start(bin: 'cloud' | 'edge', config: string): Promise<Record<string, number | string>> {
  const child = fork(
    join(REPO_ROOT, 'dist', bin, 'cli', 'main.js'),
    ['--config', config, bin === 'cloud' ? 'serve' : 'run'],
    {
      // Own process group: Ctrl-C reaches only the demo, which stops the edge before the cloud.
      // Children also exit when the demo's IPC channel closes (common/cli-support.ts).
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: true,
      execArgv: bin === 'edge' ? [...EDGE_NODE_FLAGS] : [],
    },
  );
  children.push(child);
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`\n[${bin}] ${d.toString()}`));
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`\n${bin} exited with ${code}`);
      void stop(1);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ready?: Record<string, number | string> }) =>
      m.ready ? resolve(m.ready) : reject(new Error('bad ready message')),
    );
    child.once('exit', () => reject(new Error(`${bin} did not start`)));
  });
}

const sensors: SimSensor[] = [];
let lwm2m: Lwm2mDemo | undefined;
let fleet: Fleet | undefined;
const FLEET_SIZE = 20;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(statusTimer);
  for (const s of sensors) s.close();
  lwm2m?.close();
  fleet?.close();
  for (const c of [...children].reverse()) {
    await new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write('\nstopped: cloud, edge agent and sensors are down.\n');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
let statusTimer: NodeJS.Timeout | undefined;

async function main(): Promise<void> {
  if (!(hourMs >= 0) || !(historyH >= 0)) throw new Error('--hour-ms and --history-h take a number ≥ 0');
  if (!existsSync(dataDir)) {
    throw new Error(
      `no station data at ${dataDir}: the demo replays the Beijing air-quality set, which lives in ../shared/datasets/beijing-air beside the checkout; pass --data DIR (npm start -- --data DIR) to use another folder of files in that format`,
    );
  }
  const stations: Station[] = loadStations(dataDir);
  writeFileSync(
    join(dir, 'cloud.toml'),
    `[mqtt]\nhost = "127.0.0.1"\nport = 0\n[tls]\nhost = "127.0.0.1"\nport = 0\n[http]\nport = 0\n[store]\npath = "${join(dir, 'cloud.db')}"\n[pki]\ndir = "${join(dir, 'pki')}"\n[log]\nlevel = "warn"\n`,
  );
  const cloud = await start('cloud', join(dir, 'cloud.toml'));
  const api = `http://127.0.0.1:${cloud.httpPort}`;
  const res = await fetch(`${api}/api/v1/gateways`, {
    method: 'POST',
    body: JSON.stringify({ id: 'gw-demo-001' }),
    headers: { 'content-type': 'application/json' },
  });
  const { secret } = (await res.json()) as { secret: string };
  const socket = join(dir, 'agent.sock');
  writeFileSync(
    join(dir, 'edge.toml'),
    `${[
      '[gateway]',
      'id = "gw-demo-001"',
      `secret = "${secret}"`,
      '[cloud]',
      `url = "mqtt://127.0.0.1:${cloud.mqttPort}"`,
      '[store]',
      `path = "${join(dir, 'edge.db')}"`,
      '[coap]',
      'host = "127.0.0.1"',
      'port = 0',
      '[sync]',
      'linger_ms = 500',
      'health_interval_ms = 5000',
      '[api]',
      `socket = "${socket}"`,
      '[log]',
      'level = "warn"',
    ].join('\n')}\n`,
  );
  const edge = await start('edge', join(dir, 'edge.toml'));

  console.log('Yiwang demo — cloud, edge agent and simulated sensors on this machine');
  console.log(`  cloud MQTT   mqtt://127.0.0.1:${cloud.mqttPort}   (gateway gw-demo-001)`);
  console.log(`  cloud API    ${api}/api/v1/gateways   ${api}/api/v1/devices`);
  console.log(`  edge CoAP    coap://127.0.0.1:${edge.coapPort}/senml/{device}   /raw/air-quality-v1/{device}`);
  console.log(`  edge status  node dist/edge/cli/main.js --config ${join(dir, 'edge.toml')} status`);
  console.log(`  dashboard    ${api}/   (fleet, gateways, devices, alarms)`);
  console.log(
    `  readings     curl '${api}/api/v1/devices/urn:dev:ops:yiwang-aq-${stations[0]!.name.toLowerCase()}/readings?metric=pm2_5&order=desc&limit=5'   (newest first)`,
  );
  console.log(
    `  sensors      ${stations.length} air-quality stations from ${dataDir}, replayed at today's date: the series shifted by whole days`,
  );
  console.log(
    `               (hours of the day kept), the last ${historyH} h sent at once (one hour every ${hourMs} ms), then a reading an hour, on the hour;`,
  );
  console.log(
    '               binary-layout stations have no clock (the agent stamps their readings): they send from the current hour on',
  );
  console.log(
    '  lwm2m        3 sleeping NB-IoT thermometers (b=UQ, urn:imei:86100000000000{0,1,2}) wake every 10 s and Send; one of them:',
  );
  console.log(
    `               node dist/edge/cli/main.js --config ${join(dir, 'edge.toml')} devices show urn:imei:861000000000000`,
  );
  console.log(
    `  fleet        ${FLEET_SIZE} simulated gateways gw-sim-* (some offline, backlogged or raising alarms), on the dashboard`,
  );
  console.log(
    "  status line  the edge agent's own counts: received = delivered (acknowledged by the cloud) + buffered + dropped",
  );
  console.log('Ctrl-C stops everything.\n');

  const target = { host: '127.0.0.1', port: Number(edge.coapPort) };
  const aq = BUILTIN_LAYOUTS.get('air-quality-v1')!;
  const startedMs = Date.now();
  stations.forEach((st, k) => {
    const s = new SimSensor(`urn:dev:ops:yiwang-aq-${st.name.toLowerCase()}`, target);
    sensors.push(s);
    const raw = k % 2 === 1; // every other station speaks the binary layout, the rest SenML
    void replay({
      rows: st.rows,
      plan: planReplay(st.rows, startedMs, historyH * HOUR_MS),
      paceMs: hourMs,
      latestOnly: raw,
      stopped: () => stopping,
      send: async (row, ts) => {
        try {
          if (raw) {
            await s.sendRaw('air-quality-v1', encodePayload(aq, Object.fromEntries(row.values))); // absent values encode as no_value
          } else {
            const recs: SenmlRecord[] = [...row.values].map(([n, v]) => ({ n, v, t: ts / 1000 }));
            if (recs.length) await s.sendSenml(recs);
          }
        } catch (err) {
          if (!stopping) process.stderr.write(`\n[sensor ${s.deviceId}] ${(err as Error).message}`);
        }
      },
    });
  });

  void startLwm2mDemo(target, {
    count: 3,
    periodMs: 10_000,
    onError: (ep, err) => {
      if (!stopping) process.stderr.write(`\n[lwm2m ${ep}] ${err.message}`);
    },
  }).then((d) => {
    if (stopping) d.close();
    else lwm2m = d;
  });

  // the simulated fleet registers and dials in after the real edge, off the first delivery's path
  void (async () => {
    const gateways: { id: string; secret: string }[] = [];
    for (let i = 1; i <= FLEET_SIZE && !stopping; i++) {
      const id = `gw-sim-${String(i).padStart(3, '0')}`;
      const r = await fetch(`${api}/api/v1/gateways`, {
        method: 'POST',
        body: JSON.stringify({ id }),
        headers: { 'content-type': 'application/json' },
      });
      gateways.push({ id, secret: ((await r.json()) as { secret: string }).secret });
    }
    if (stopping) return;
    fleet = startFleet({
      mqttUrl: `mqtt://127.0.0.1:${cloud.mqttPort}`,
      gateways,
      devicesPerGateway: 50,
      healthIntervalMs: 5000,
      connectPerS: 20,
      mix: { offline: 0.2, backlogged: 0.15, alarming: 0.15 },
    });
  })().catch((err: Error) => {
    if (!stopping) process.stderr.write(`\n[fleet] ${err.message}`);
  });

  const tty = process.stdout.isTTY;
  let last = 0;
  statusTimer = setInterval(() => {
    void (async () => {
      try {
        // One source, one snapshot: the agent's store counters (scripts/demo-status.ts).
        const line = demoStatusLine(await localApiGet<AgentStatus>(socket, '/v1/status'));
        if (tty) process.stdout.write(`\r${line}\u001b[K`);
        else if (Date.now() - last > 2000) {
          last = Date.now();
          console.log(line);
        }
      } catch (err) {
        if (!stopping) process.stdout.write(`\rstatus unavailable: ${(err as Error).message}`);
      }
    })();
  }, 1000);
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${(err as Error).message}`);
  void stop(1);
});
