/** SenML unit names ↔ the Unit enum of yiwang.proto. Units not listed travel as text (UNIT_OTHER). */
import { yiwang } from './wire.js';

const U = yiwang.v1.Unit;

export const UNIT_NAMES: ReadonlyMap<string, yiwang.v1.Unit> = new Map([
  ['', U.UNIT_NONE],
  ['Cel', U.UNIT_CEL],
  ['%RH', U.UNIT_PERCENT_RH],
  ['%', U.UNIT_PERCENT],
  ['Pa', U.UNIT_PA],
  ['hPa', U.UNIT_HPA],
  ['ug/m3', U.UNIT_UG_M3],
  ['mg/m3', U.UNIT_MG_M3],
  ['ppm', U.UNIT_PPM],
  ['ppb', U.UNIT_PPB],
  ['mm', U.UNIT_MM],
  ['m', U.UNIT_M],
  ['m/s', U.UNIT_M_S],
  ['deg', U.UNIT_DEG],
  ['m3', U.UNIT_M3],
  ['m3/s', U.UNIT_M3_S],
  ['l', U.UNIT_L],
  ['l/s', U.UNIT_L_S],
  ['kWh', U.UNIT_KWH],
  ['Wh', U.UNIT_WH],
  ['W', U.UNIT_W],
  ['V', U.UNIT_V],
  ['A', U.UNIT_A],
  ['Hz', U.UNIT_HZ],
  ['dBm', U.UNIT_DBM],
  ['dB', U.UNIT_DB],
  ['s', U.UNIT_S],
  ['lx', U.UNIT_LX],
  ['/', U.UNIT_RATIO],
  ['count', U.UNIT_COUNT],
  ['pH', U.UNIT_PH],
  ['g', U.UNIT_G],
  ['mm/h', U.UNIT_MM_H],
  ['var', U.UNIT_VAR],
  ['kvarh', U.UNIT_KVARH],
]);

const BY_CODE = new Map([...UNIT_NAMES].map(([name, code]) => [code as number, name]));

export function unitToWire(name: string): { unit: yiwang.v1.Unit; unitText: string } {
  const code = UNIT_NAMES.get(name);
  return code === undefined ? { unit: U.UNIT_OTHER, unitText: name } : { unit: code, unitText: '' };
}

/** Returns undefined for a code this build does not know (a newer edge); the caller rejects. */
export function unitFromWire(unit: number, unitText: string): string | undefined {
  if (unit === U.UNIT_OTHER) return unitText;
  return BY_CODE.get(unit);
}
