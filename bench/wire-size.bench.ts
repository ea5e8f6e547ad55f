/**
 * wire-size: bytes per reading of the Batch encoding, one batch = one device's day of hourly
 * readings, beside the same batches as ThingsBoard-style JSON rows, Sparkplug B and gzip-9 CSV.
 *   npm run bench -- wire-size [--data DIR]
 */
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { encodeBatch } from '../proto/batch-codec.js';
import { pb } from '../proto/index.js';
import type { Reading } from '../proto/reading.js';
import { loadStations, DEFAULT_BEIJING_DIR, BEIJING_METRICS, type StationRow } from '../scripts/beijing.js';
import { argValue, report } from './report.js';

const require = createRequire(import.meta.url);
const sparkplug = require('sparkplug-payload').get('spBv1.0') as { encodePayload(p: unknown): Uint8Array };

const dir = argValue(process.argv.slice(2), '--data') ?? DEFAULT_BEIJING_DIR;
const stations = loadStations(dir);
const totals = { readings: 0, batches: 0, yiwang: 0, sparkplug: 0, json: 0, csvGzip: 0 };

function days(rows: StationRow[]): StationRow[][] {
  const out = new Map<number, StationRow[]>();
  for (const r of rows) {
    const day = Math.floor((r.ts + 8 * 3600_000) / 86_400_000);
    let list = out.get(day);
    if (!list) {
      list = [];
      out.set(day, list);
    }
    list.push(r);
  }
  return [...out.values()];
}

let seq = 0;
for (const st of stations) {
  const deviceId = `urn:dev:ops:yiwang-aq-${st.name.toLowerCase()}`;
  for (const day of days(st.rows)) {
    const readings: Reading[] = [];
    for (const row of day) {
      for (const m of BEIJING_METRICS) {
        const v = row.values.get(m.metric);
        if (v !== undefined)
          readings.push({
            deviceId,
            metric: m.metric,
            unit: m.unit,
            ts: row.ts,
            value: v,
            clock: pb.ClockQuality.CLOCK_DEVICE,
            priority: pb.Priority.PRIORITY_NORMAL,
          });
      }
    }
    if (readings.length === 0) continue;
    totals.readings += readings.length;
    totals.batches++;
    totals.yiwang += encodeBatch({ gatewayId: 'gw-000001', epoch: 1_700_000_000_001, seq: ++seq }, readings).length;
    // ThingsBoard-style telemetry: [{"ts":…,"values":{metric:value,…}},…]
    const json = day.map((row) => ({
      ts: row.ts,
      values: Object.fromEntries(
        BEIJING_METRICS.filter((m) => row.values.has(m.metric)).map((m) => [m.metric, row.values.get(m.metric)]),
      ),
    }));
    totals.json += Buffer.byteLength(JSON.stringify(json));
    // Sparkplug B DDATA: one metric entry per reading with its own timestamp.
    totals.sparkplug += sparkplug.encodePayload({
      timestamp: day[0]!.ts,
      seq: seq % 256, // the day has readings (checked above)
      metrics: readings.map((r) => ({ name: r.metric, timestamp: r.ts, type: 'Double', value: r.value as number })),
    }).length;
    // gzip -9 of the day as CSV (wide: one line per hour, empty for missing values).
    const csv = `${[`ts,${BEIJING_METRICS.map((m) => m.metric).join(',')}`]
      .concat(day.map((row) => [row.ts, ...BEIJING_METRICS.map((m) => row.values.get(m.metric) ?? '')].join(',')))
      .join('\n')}\n`;
    totals.csvGzip += gzipSync(csv, { level: 9 }).length;
  }
}

const per = (n: number): number => n / totals.readings;
report(
  'wire-size',
  {
    bytes_per_reading: per(totals.yiwang),
    sparkplug_b: per(totals.sparkplug),
    json: per(totals.json),
    csv_gzip: per(totals.csvGzip),
  },
  { data: dir, stations: stations.map((s) => s.name), readings: totals.readings, batches: totals.batches },
);
