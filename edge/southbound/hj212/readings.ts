/**
 * HJ 212 data messages → readings. Metric names: the factor's metric (binding, else the code
 * table's snake_case name), then the period and statistic:
 *   real-time (2011)  cod, cod_zs (converted), cod_flag
 *   minute (2051)     cod_minute_avg, cod_minute_min, cod_minute_max, cod_minute_cou, cod_minute_flag
 *   hourly (2061)     cod_hour_…      daily (2031) cod_day_…
 * The data flag is kept as a string reading `<…>_flag` (N, F, M, S, D, C, T, B …) beside the
 * values, stamped with the same time; flags D (fault) and T (over limit) travel as alarms.
 * Timestamps are the instrument's DataTime (clock quality DEVICE).
 */
import { ClockQuality, Priority } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import type { Hj212Binding } from './binding.js';
import type { Hj212DataKind, Hj212DataMessage, Hj212Stat } from './messages.js';

const PERIOD: Readonly<Record<Hj212DataKind, string>> = {
  realtime: '',
  minute: '_minute',
  hourly: '_hour',
  daily: '_day',
};
const ALARM_FLAGS = new Set(['over_limit', 'fault']);

function statSuffix(kind: Hj212DataKind, stat: Hj212Stat): string {
  if (kind === 'realtime') return stat === 'rtd' ? '' : stat === 'zs_rtd' ? '_zs' : `_${stat}`;
  return `_${stat}`;
}

export function dataReadings(msg: Hj212DataMessage, deviceId: string, binding?: Hj212Binding): Reading[] {
  const out: Reading[] = [];
  const flagged = new Set<string>();
  const ts = msg.timestamp;
  for (const r of msg.readings) {
    const mapped = binding?.factors.get(r.metric.code);
    if (!mapped && binding?.onlyListed) continue;
    const base = (mapped ?? r.metric.name) + PERIOD[msg.kind];
    out.push({
      deviceId,
      metric: base + statSuffix(msg.kind, r.stat),
      unit: r.unit ?? '',
      value: r.value,
      ts,
      clock: ClockQuality.CLOCK_DEVICE,
      priority: Priority.PRIORITY_NORMAL,
    });
    if (r.flag && !flagged.has(base)) {
      flagged.add(base);
      out.push({
        deviceId,
        metric: `${base}_flag`,
        unit: '',
        value: r.flag.code,
        ts,
        clock: ClockQuality.CLOCK_DEVICE,
        priority: ALARM_FLAGS.has(r.flag.quality) ? Priority.PRIORITY_ALARM : Priority.PRIORITY_NORMAL,
      });
    }
  }
  return out;
}
