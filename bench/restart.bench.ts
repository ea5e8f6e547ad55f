/**
 * restart: time from process start to the first CoAP uplink acknowledged (after its commit) by an
 * edge agent whose store holds N buffered readings, beside the same with an empty store, same run.
 *   npm run bench -- restart [--rows 5000000]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteOutboxStore } from '../edge/store/outbox.js';
import { ClockQuality, Priority } from '../proto/index.js';
import type { Reading } from '../proto/reading.js';
import { SimSensor } from '../scripts/sim/coap-sensors.js';
import { argValue, report } from './report.js';
import { startProc, stopProc } from './fleet-procs.js';

const rows = Number(argValue(process.argv.slice(2), '--rows') ?? 5_000_000);

async function prefill(path: string, n: number): Promise<void> {
  const store = new SqliteOutboxStore({ path, maintenanceMs: 0 });
  const chunk: Reading[] = [];
  for (let i = 0; i < n; i++) {
    chunk.push({
      deviceId: `urn:imei:86${String(100000000000 + (i % 5000))}`,
      metric: i % 2 ? 'volume_total' : 'battery',
      unit: i % 2 ? 'm3' : '%',
      ts: 1_750_000_000_000 + i * 1000,
      value: (i % 9973) / 10,
      clock: ClockQuality.CLOCK_DEVICE,
      priority: i % 50 === 0 ? Priority.PRIORITY_BULK : Priority.PRIORITY_NORMAL,
    });
    if (chunk.length === 50_000) await store.append(chunk.splice(0));
  }
  if (chunk.length) await store.append(chunk.splice(0));
  store.close();
}

/** Spawns the agent (no cloud reachable: the backlog stays) and times the first acknowledged uplink. */
async function timeToFirstAck(dir: string): Promise<number> {
  writeFileSync(
    join(dir, 'edge.toml'),
    `${[
      '[gateway]',
      'id = "gw-restart"',
      'secret = "x"',
      '[cloud]',
      'url = "mqtt://127.0.0.1:9"',
      '[store]',
      `path = "${join(dir, 'edge.db')}"`,
      '[coap]',
      'host = "127.0.0.1"',
      'port = 0',
      '[log]',
      'level = "warn"',
    ].join('\n')}\n`,
  );
  const t0 = process.hrtime.bigint();
  const edge = await startProc('edge', join(dir, 'edge.toml'));
  const sensor = new SimSensor('meter-restart', { host: '127.0.0.1', port: Number(edge.ready.coapPort) });
  const r = await sensor.sendSenml([{ n: 'volume_total', u: 'm3', v: 1 }]);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  sensor.close();
  if (r.code !== '2.04') throw new Error(`uplink answered ${r.code}`);
  await stopProc(edge);
  return ms;
}

const full = mkdtempSync(join(tmpdir(), 'yw-restart-'));
const empty = mkdtempSync(join(tmpdir(), 'yw-restart-empty-'));
await prefill(join(full, 'edge.db'), rows);
const emptyMs = await timeToFirstAck(empty);
const readyMs = await timeToFirstAck(full);
rmSync(full, { recursive: true, force: true });
rmSync(empty, { recursive: true, force: true });
report('restart', { ready_ms: Math.round(readyMs), rows, empty_ms: Math.round(emptyMs) });
