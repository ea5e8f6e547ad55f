/**
 * Binary layouts built into the agent for raw CoAP uplinks (`POST /raw/{layout}/{deviceId}`).
 * Device profiles (firmware-profiles/) add more; these need no profile.
 * The language is documented in docs/reference/layout.md.
 */
import { compileLayout, type Layout } from './layout/index.js';

const u16 = (name: string, unit: string, scale?: number): Record<string, unknown> => ({
  name,
  type: 'u16',
  unit,
  no_value: 0xffff,
  ...(scale ? { scale } : {}),
});
const i16 = (name: string, unit: string, scale: number): Record<string, unknown> => ({
  name,
  type: 'i16',
  unit,
  scale,
  no_value: 0x7fff,
});

/** Air-quality station, 25 bytes big-endian: 12 × 16-bit values (all-ones / 0x7FFF = no value), then a sum8 of bytes 0–23. */
const AIR_QUALITY_V1 = {
  endian: 'big',
  length: 25,
  checksum: { type: 'sum8', range: [0, 23], at: 24 },
  fields: [
    u16('pm2_5', 'ug/m3'),
    u16('pm10', 'ug/m3'),
    u16('so2', 'ug/m3'),
    u16('no2', 'ug/m3'),
    u16('co', 'ug/m3'),
    u16('o3', 'ug/m3'),
    i16('temperature', 'Cel', 0.1),
    u16('pressure', 'hPa', 0.1),
    i16('dew_point', 'Cel', 0.1),
    u16('rain', 'mm', 0.1),
    u16('wind_direction', 'deg', 0.1),
    u16('wind_speed', 'm/s', 0.1),
  ],
};

export const BUILTIN_LAYOUTS: ReadonlyMap<string, Layout> = new Map([
  ['air-quality-v1', compileLayout(AIR_QUALITY_V1, 'builtin layout air-quality-v1')],
]);
