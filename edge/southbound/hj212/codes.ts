/**
 * Factor codes: HJ 212-2017 codes with names and units (generated table, pollutant-codes.ts),
 * legacy HJ/T 212-2005 codes mapped to the new ones, device-numbered template codes
 * (e101xx → e10101, i3331x → i33312), plus the system (ST) and command (CN) code names.
 */
import { POLLUTANT_CODES, type PollutantCode } from './pollutant-codes.js';

export interface FactorInfo {
  /** HJ 212-2017 code (template instances keep their device number: e10101). */
  code: string;
  /** snake_case metric name; template instances get the device number appended (inlet_flow_01). */
  name: string;
  nameZh: string;
  /** Unit of Rtd/Avg/Min/Max, null when dimensionless or unknown. */
  unit: string | null;
  /** Unit of the emission total (Cou). */
  totalUnit: string | null;
  /** The code as received, when it was a legacy HJ/T 212-2005 code. */
  legacyCode?: string;
}

const BY_CODE = new Map<string, PollutantCode>();
const BY_LEGACY = new Map<string, PollutantCode>();
const TEMPLATES: { prefix: string; digits: number; row: PollutantCode }[] = [];
for (const row of POLLUTANT_CODES) {
  const m = /^(.*?)(x+)$/.exec(row.code);
  if (m) TEMPLATES.push({ prefix: m[1]!, digits: m[2]!.length, row });
  else BY_CODE.set(row.code, row);
  if (row.legacy) BY_LEGACY.set(row.legacy, row);
}

function info(row: PollutantCode, code: string, name: string): FactorInfo {
  return { code, name, nameZh: row.nameZh, unit: row.unit, totalUnit: row.totalUnit };
}

/** Looks a factor code up: 2017 code, template instance, or legacy code (mapped to the new code). */
export function lookupFactor(code: string): FactorInfo | undefined {
  const row = BY_CODE.get(code);
  if (row) return info(row, code, row.name);
  for (const t of TEMPLATES) {
    if (
      code.length === t.prefix.length + t.digits &&
      code.startsWith(t.prefix) &&
      /^[0-9]+$/.test(code.slice(t.prefix.length))
    ) {
      return info(t.row, code, `${t.row.name}_${code.slice(t.prefix.length)}`);
    }
  }
  const old = BY_LEGACY.get(code);
  if (old) return { ...info(old, old.code, old.name), legacyCode: code };
  return undefined;
}

/** The HJ 212-2017 code for a code as received (legacy codes mapped; unknown codes unchanged). */
export function toCurrentCode(code: string): string {
  return lookupFactor(code)?.code ?? code;
}

/** A snake_case metric name for a code missing from the table. */
export function fallbackName(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** System codes (ST). */
export const ST_NAMES: Readonly<Record<string, string>> = {
  '21': 'surface_water_quality',
  '22': 'ambient_air_quality',
  '23': 'acoustic_environment',
  '24': 'groundwater_quality',
  '25': 'soil_quality',
  '26': 'seawater_quality',
  '27': 'voc',
  '31': 'air_pollution_source',
  '32': 'surface_water_pollution_source',
  '33': 'groundwater_pollution_source',
  '34': 'marine_pollution_source',
  '35': 'soil_pollution_source',
  '36': 'noise_source',
  '37': 'vibration_source',
  '38': 'radioactive_source',
  '39': 'construction_dust',
  '41': 'electromagnetic_source',
  '51': 'flue_gas_process',
  '52': 'wastewater_process',
  '91': 'system_interaction',
};

/** Command codes (CN) the gateway meets most. */
export const CN_NAMES: Readonly<Record<string, string>> = {
  '1000': 'set_timeout_retries',
  '1011': 'get_time',
  '1012': 'set_time',
  '1013': 'time_calibration_request',
  '1061': 'get_rtd_interval',
  '1062': 'set_rtd_interval',
  '1063': 'get_minute_interval',
  '1064': 'set_minute_interval',
  '1072': 'set_password',
  '2011': 'realtime_data',
  '2012': 'stop_realtime_data',
  '2021': 'running_status',
  '2022': 'stop_running_status',
  '2031': 'daily_data',
  '2041': 'daily_running_time',
  '2051': 'minute_data',
  '2061': 'hourly_data',
  '2081': 'daq_restart_time',
  '3020': 'instrument_info',
  '9011': 'request_reply',
  '9012': 'execution_result',
  '9013': 'notification_reply',
  '9014': 'data_reply',
};
