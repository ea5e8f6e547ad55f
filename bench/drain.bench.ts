/**
 * drain: N buffered readings (Beijing data) delivered from a restarted edge agent to the cloud and
 * confirmed (edge store empty, cloud holding all N), both real processes on loopback. Baseline in
 * the same run: the same readings, pre-encoded in batches of the same size, published straight to
 * a fresh cloud by one MQTT client with the same window — the cloud's own ingest ceiling.
 *   npm run bench -- drain [--readings 1000000] [--data DIR]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { SqliteOutboxStore } from '../edge/store/outbox.js';
import { loadEdgeConfig } from '../edge/config.js';
import { localApiGet } from '../edge/cli/local-api-client.js';
import type { AgentStatus } from '../edge/api/status.js';
import { encodeBatch } from '../proto/batch-codec.js';
import { ClockQuality, Priority, pb } from '../proto/index.js';
import { topics } from '../proto/topics.js';
import type { Reading } from '../proto/reading.js';
import { loadStations, DEFAULT_BEIJING_DIR, BEIJING_METRICS } from '../scripts/beijing.js';
import { argValue, report } from './report.js';
import { createGateway, peakRssMb, startProc, stopProc, writeCloudToml, type Proc } from './fleet-procs.js';

/** The drain and the cloud's ceiling are measured, not the per-gateway ingest quota (ingest.gateway_readings_per_s, 50k/s). */
const NO_QUOTA = '[ingest]\ngateway_readings_per_s = 0\n';

const args = process.argv.slice(2);
const N = Number(argValue(args, '--readings') ?? 1_000_000);
const dataDir = argValue(args, '--data') ?? DEFAULT_BEIJING_DIR;
const cfg = loadEdgeConfig();

function* beijingReadings(): Generator<Reading> {
  const stations = loadStations(dataDir);
  for (let loop = 0; ; loop++) {
    for (const st of stations) {
      const deviceId = `urn:dev:ops:yiwang-aq-${st.name.toLowerCase()}${loop ? `-${loop}` : ''}`;
      for (const row of st.rows)
        for (const m of BEIJING_METRICS) {
          const v = row.values.get(m.metric);
          if (v !== undefined)
            yield {
              deviceId,
              metric: m.metric,
              unit: m.unit,
              ts: row.ts,
              value: v,
              clock: ClockQuality.CLOCK_DEVICE,
              priority: Priority.PRIORITY_NORMAL,
            };
        }
    }
  }
}

function take(n: number): Reading[] {
  const out: Reading[] = [];
  for (const r of beijingReadings()) {
    if (out.length >= n) break;
    out.push(r);
  }
  return out;
}

const until = async (cond: () => Promise<boolean>): Promise<void> => {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 50));
};
/** The cloud's HTTP port from its ready message. */
const httpPort = (p: Proc): number | string =>
  p.ready.httpPort ??
  (() => {
    throw new Error('the cloud did not report its HTTP port');
  })();
const cloudReadings = async (port: number | string): Promise<number> =>
  ((await (await fetch(`http://127.0.0.1:${port}/api/v1/stats`)).json()) as { store: { readings: number } }).store
    .readings;

async function edgeDrain(readings: Reading[]): Promise<{ perSecond: number; edgeRss: number; cloudRss: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'yw-drain-'));
  const store = new SqliteOutboxStore({ path: join(dir, 'edge.db'), maintenanceMs: 0 });
  for (let i = 0; i < readings.length; i += 20_000) await store.append(readings.slice(i, i + 20_000));
  store.close();
  const cloud = await startProc('cloud', writeCloudToml(dir, NO_QUOTA));
  const secret = await createGateway(httpPort(cloud), 'gw-drain');
  const socket = join(dir, 'agent.sock');
  writeFileSync(
    join(dir, 'edge.toml'),
    `${[
      '[gateway]',
      'id = "gw-drain"',
      `secret = "${secret}"`,
      '[cloud]',
      `url = "mqtt://127.0.0.1:${cloud.ready.mqttPort}"`,
      '[store]',
      `path = "${join(dir, 'edge.db')}"`,
      '[coap]',
      'host = "127.0.0.1"',
      'port = 0',
      '[api]',
      `socket = "${socket}"`,
      '[log]',
      'level = "warn"',
    ].join('\n')}\n`,
  );
  const t0 = process.hrtime.bigint();
  const edge = await startProc('edge', join(dir, 'edge.toml'));
  await until(async () => (await localApiGet<AgentStatus>(socket, '/v1/status')).store.rows === 0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const stored = await cloudReadings(httpPort(cloud));
  if (stored !== readings.length) throw new Error(`cloud holds ${stored} readings, expected ${readings.length}`);
  const result = {
    perSecond: readings.length / seconds,
    edgeRss: peakRssMb(edge.child.pid!),
    cloudRss: peakRssMb(cloud.child.pid!),
  };
  await stopProc(edge);
  await stopProc(cloud);
  rmSync(dir, { recursive: true, force: true });
  return result;
}

async function cloudIngestBaseline(readings: Reading[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'yw-drain-base-'));
  const cloud = await startProc('cloud', writeCloudToml(dir, NO_QUOTA));
  const secret = await createGateway(httpPort(cloud), 'gw-base');
  const batches: Buffer[] = [];
  for (let i = 0, seq = 1; i < readings.length; i += cfg.sync.batch_max_readings, seq++) {
    batches.push(
      Buffer.from(
        encodeBatch({ gatewayId: 'gw-base', epoch: 1, seq }, readings.slice(i, i + cfg.sync.batch_max_readings)),
      ),
    );
  }
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.ready.mqttPort}`, {
    clientId: 'gw-base',
    username: 'gw-base',
    password: secret,
    protocolVersion: 4,
  });
  await client.subscribeAsync(topics.down('gw-base', 'ack'), { qos: 1 });
  const t0 = process.hrtime.bigint();
  let next = 0,
    acked = 0;
  await new Promise<void>((resolve) => {
    const send = (): void => {
      if (next < batches.length) void client.publishAsync(topics.up('gw-base', 'batch'), batches[next++]!, { qos: 1 });
    };
    client.on('message', (_t, p) => {
      if (pb.BatchAck.decode(p).status === pb.BatchAck.Status.REJECTED) throw new Error('baseline batch rejected');
      if (++acked === batches.length) resolve();
      else send();
    });
    for (let w = 0; w < cfg.sync.inflight; w++) send();
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await client.endAsync();
  await stopProc(cloud);
  rmSync(dir, { recursive: true, force: true });
  return readings.length / seconds;
}

const readings = take(N);
const baseline = await cloudIngestBaseline(readings);
const edge = await edgeDrain(readings);
report(
  'drain',
  {
    readings_per_s: Math.round(edge.perSecond),
    edge_rss_mb: Math.round(edge.edgeRss),
    cloud_rss_mb: Math.round(edge.cloudRss),
    baseline_per_s: Math.round(baseline),
    ratio: edge.perSecond / baseline,
  },
  { readings: N, data: dataDir, batchMax: cfg.sync.batch_max_readings, inflight: cfg.sync.inflight },
);
