/**
 * Reader for the Beijing multi-site air-quality CSV format (../shared/datasets/beijing-air):
 * one file per station, hourly rows. Any folder (or single file) in that format works.
 * One station = one air-quality device; one column = one metric (canonical names below).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DIR } from '../common/paths.js';

export const DEFAULT_BEIJING_DIR = join(SHARED_DIR, 'datasets', 'beijing-air');

/** CSV column → canonical metric and SenML unit. Wind direction is turned into degrees. */
export const BEIJING_METRICS: ReadonlyArray<{ column: string; metric: string; unit: string }> = [
  { column: 'PM2.5', metric: 'pm2_5', unit: 'ug/m3' },
  { column: 'PM10', metric: 'pm10', unit: 'ug/m3' },
  { column: 'SO2', metric: 'so2', unit: 'ug/m3' },
  { column: 'NO2', metric: 'no2', unit: 'ug/m3' },
  { column: 'CO', metric: 'co', unit: 'ug/m3' },
  { column: 'O3', metric: 'o3', unit: 'ug/m3' },
  { column: 'TEMP', metric: 'temperature', unit: 'Cel' },
  { column: 'PRES', metric: 'pressure', unit: 'hPa' },
  { column: 'DEWP', metric: 'dew_point', unit: 'Cel' },
  { column: 'RAIN', metric: 'rain', unit: 'mm' },
  { column: 'wd', metric: 'wind_direction', unit: 'deg' },
  { column: 'WSPM', metric: 'wind_speed', unit: 'm/s' },
];

const COMPASS = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'];

export interface StationRow {
  /** Hour of the reading, ms since epoch (Beijing local time taken as UTC+8). */
  ts: number;
  /** metric → value; a missing value (NA) is absent. */
  values: Map<string, number>;
}

export interface Station {
  name: string;
  rows: StationRow[];
}

function parseLine(line: string): string[] {
  return line.split(',').map((f) => (f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1) : f));
}

export function loadStationFile(path: string): Station {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  if (lines[0] === undefined) throw new Error(`${path}: empty file`);
  const header = parseLine(lines[0]);
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${path}: no column ${name}`);
    return i;
  };
  const y = col('year'),
    mo = col('month'),
    d = col('day'),
    h = col('hour'),
    st = col('station');
  const cols = BEIJING_METRICS.map((m) => ({ ...m, i: col(m.column) }));
  let name = '';
  const rows: StationRow[] = [];
  for (const line of lines.slice(1)) {
    const f = parseLine(line);
    name ||= f[st] ?? '';
    const ts = Date.UTC(Number(f[y]), Number(f[mo]) - 1, Number(f[d]), Number(f[h])) - 8 * 3600_000; // a short row gives NaN, as before
    const values = new Map<string, number>();
    for (const c of cols) {
      const raw = f[c.i];
      if (raw === undefined || raw === 'NA' || raw === '') continue;
      const v = c.column === 'wd' ? (COMPASS.includes(raw) ? COMPASS.indexOf(raw) * 22.5 : NaN) : Number(raw);
      if (Number.isFinite(v)) values.set(c.metric, v);
    }
    rows.push({ ts, values });
  }
  return { name, rows };
}

/** Loads every station file of a folder (or one file). */
export function loadStations(path: string = DEFAULT_BEIJING_DIR): Station[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.csv'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) throw new Error(`${path}: no .csv station files`);
  return files.map(loadStationFile);
}
