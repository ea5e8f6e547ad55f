/**
 * City-sensing objects from the OMA LwM2M registry: 3407 Smoke Alarm and 3408 Manhole Cover
 * (ICA, 2019), 3423 Gas meter, 3424 Water meter, 3428 Air quality, 3429 Tilt sensor,
 * 3431 Parking Sensor, 3435 Filling level (uCIFI). 3421 is in ucifi-electricity.ts.
 * Registry slips are corrected and marked with `note`.
 */
import { exec, res, type ObjectModel, type ResourceModel } from './model.js';

/** Timestamp and measurement-quality resources that uCIFI objects reuse (3424 1.1, 3435 2.0). */
const UCIFI_QUALITY: ResourceModel[] = [
  res(5518, 'Timestamp', 'R', 'time'),
  res(6050, 'Fractional Timestamp', 'R', 'float', { units: 's', range: '0..1' }),
  res(6042, 'Measurement Quality Indicator', 'R', 'integer', { range: '0..23' }),
  res(6049, 'Measurement Quality Level', 'R', 'integer', { range: '0..100' }),
];

export const SMOKE_ALARM: ObjectModel = {
  id: 3407,
  name: 'Smoke Alarm',
  version: '1.0',
  multiple: true,
  mandatory: false,
  note: "The registry's object description speaks of CO2 (copied from a gas object); 6046 is the smoke state.",
  resources: [
    res(6044, 'Battery Percentage', 'R', 'float', {
      units: '%',
      range: '0..100',
      note: 'registry leaves the unit empty',
    }),
    res(6045, 'RSSI', 'R', 'float', { units: 'dBW' }),
    res(6046, 'Smoke Sensor State', 'R', 'boolean', { mandatory: true, note: 'true = smoke detected (alarm)' }),
    res(6047, 'Detected CO2 percentage', 'R', 'float', { units: '/100', range: '0..100' }),
    res(6048, 'Alarm loudness', 'R', 'float', { units: 'dB' }),
  ],
};

/**
 * 3408 Manhole Cover. The open flag (resource 3) is INVERTED with respect to a status flag:
 * the registry defines "Not detected open (0) or Detected open (1)", so `true` means the cover
 * is OPEN (alarm) and `false` means closed (normal). A rule that treats the flag as "cover OK"
 * fires on every closed cover; raise the cover-opened event on `true`. Devices that report the
 * opposite polarity need a profile that says so — never guess from the resource name.
 * Resources 1 and 2 are declared in rad by the registry, but their range 0..180 (integers) is
 * degrees — the registry's own review noted it; we use deg.
 */
export const MANHOLE_COVER: ObjectModel = {
  id: 3408,
  name: 'Manhole Cover',
  version: '1.0',
  multiple: true,
  mandatory: false,
  note: 'Resource 3 is true when the cover is OPEN (alarm), false when closed: inverted w.r.t. an "OK" status flag.',
  resources: [
    res(1, 'Safety Angle Threshold', 'R', 'integer', {
      mandatory: true,
      units: 'deg',
      range: '0..180',
      note: 'registry says rad; 0..180 is degrees',
    }),
    res(2, 'Manhole Cover Tilt', 'R', 'integer', {
      mandatory: true,
      units: 'deg',
      range: '0..180',
      note: 'registry says rad; 0..180 is degrees',
    }),
    res(3, 'Cover Open Status', 'R', 'boolean', {
      mandatory: true,
      range: 'Not detected open (0) or Detected open (1)',
      note: 'INVERTED flag: true = cover open (alarm), false = closed (normal)',
    }),
  ],
};

export const GAS_METER: ObjectModel = {
  id: 3423,
  name: 'Gas meter',
  version: '1.0',
  multiple: true,
  mandatory: false,
  resources: [
    res(1, 'Cumulated gas volume', 'R', 'float', { mandatory: true, units: 'm3' }),
    exec(2, 'Cumulated gas meter value reset'),
    res(3, 'Type of meter', 'RW', 'string'),
    res(4, 'Cumulated pulse value', 'R', 'integer'),
    exec(5, 'Cumulated pulse value reset'),
    res(6, 'Pulse ratio', 'RW', 'integer'),
    res(7, 'Minimum flow rate', 'R', 'float', { units: 'm3/s' }),
    res(8, 'Maximum flow rate', 'R', 'float', { units: 'm3/s' }),
    res(9, 'Leak suspected', 'R', 'boolean'),
    res(10, 'Leak detected', 'R', 'boolean'),
    res(11, 'High temperature', 'R', 'boolean'),
  ],
};

export const WATER_METER: ObjectModel = {
  id: 3424,
  name: 'Water meter',
  version: '1.1',
  multiple: true,
  mandatory: false,
  resources: [
    res(1, 'Cumulated water volume', 'R', 'float', { mandatory: true, units: 'm3' }),
    exec(2, 'Cumulated water meter value reset'),
    res(3, 'Type of meter', 'RW', 'string'),
    res(4, 'Cumulated pulse value', 'R', 'integer'),
    exec(5, 'Cumulated pulse value reset'),
    res(6, 'Pulse ratio', 'RW', 'integer'),
    res(7, 'Minimum flow rate', 'R', 'float', { units: 'm3/s' }),
    res(8, 'Maximum flow rate', 'R', 'float', { units: 'm3/s' }),
    res(9, 'Leak suspected', 'R', 'boolean'),
    res(10, 'Leak detected', 'R', 'boolean'),
    res(11, 'Back flow detected', 'R', 'boolean'),
    res(12, 'Blocked meter', 'R', 'boolean'),
    res(13, 'Fraud detected', 'R', 'boolean'),
    ...UCIFI_QUALITY,
  ],
};

const AIR: ReadonlyArray<readonly [number, string, string]> = [
  [1, 'PM10', 'ug/m3'],
  [2, 'PM10 24 hour average', 'ug/m3'],
  [3, 'PM2.5', 'ug/m3'],
  [4, 'PM2.5 24 hour average', 'ug/m3'],
  [5, 'PM1', 'ug/m3'],
  [6, 'PM1 24 hour average', 'ug/m3'],
  [7, 'CO', 'ppm'],
  [8, 'CO 8 hour average', 'ppm'],
  [9, 'SO2', 'ppm'],
  [10, 'SO2 1 hour average', 'ppm'],
  [11, 'SO2 24 hour average', 'ppm'],
  [12, 'O3', 'ppm'],
  [13, 'O3 1 hour average', 'ppm'],
  [14, 'O3 8 hour average', 'ppm'],
  [15, 'NO2', 'ppm'],
  [16, 'NO2 1 hour average', 'ppm'],
  [17, 'CO2', 'ppm'],
  [18, 'CO2 1 hour average', 'ppm'],
];

export const AIR_QUALITY: ObjectModel = {
  id: 3428,
  name: 'Air quality',
  version: '1.0',
  multiple: true,
  mandatory: false,
  note: 'All 18 resources are optional read-only floats; a station reports the subset it measures.',
  resources: AIR.map(([id, name, units]) => res(id, name, 'R', 'float', { units })),
};

export const TILT_SENSOR: ObjectModel = {
  id: 3429,
  name: 'Tilt sensor',
  version: '1.0',
  multiple: true,
  mandatory: false,
  resources: [
    res(1, 'Angle', 'R', 'float', { mandatory: true, units: 'rad' }),
    res(2, 'Minimum measured Angle', 'R', 'float', { units: 'rad' }),
    res(3, 'Maximum measured angle', 'R', 'float', { units: 'rad' }),
    exec(4, 'Reset min max angles'),
    res(5, 'Out of position threshold', 'RW', 'float', { units: 'rad' }),
    res(6, 'Out of position', 'R', 'boolean', { note: 'true = angle above the threshold (alarm)' }),
  ],
};

export const PARKING_SENSOR: ObjectModel = {
  id: 3431,
  name: 'Parking Sensor',
  version: '1.0',
  multiple: true,
  mandatory: false,
  resources: [
    res(1, 'Occupancy', 'R', 'boolean', { mandatory: true, note: 'true = occupied, false = free' }),
    res(2, 'Duration', 'R', 'integer', { units: 's' }),
    res(3, 'Daily Duration', 'R', 'integer', { units: 's' }),
    res(4, 'Forbidden parking detected', 'R', 'boolean'),
    res(5, 'Type of Sensor', 'RW', 'string'),
  ],
};

export const FILLING_LEVEL: ObjectModel = {
  id: 3435,
  name: 'Filling level',
  version: '2.0',
  multiple: true,
  mandatory: false,
  resources: [
    res(1, 'Container height', 'RW', 'integer', { units: 'cm' }),
    res(2, 'Actual filling percentage', 'R', 'float', { mandatory: true, units: '/100' }),
    res(3, 'Actual filling level', 'R', 'integer', { units: 'cm' }),
    res(4, 'High threshold', 'RW', 'float', { units: '/100' }),
    res(5, 'Container full', 'R', 'boolean', { mandatory: true }),
    res(6, 'Low threshold', 'RW', 'float', { units: '/100' }),
    res(7, 'Container empty', 'R', 'boolean', { mandatory: true }),
    res(8, 'Average filling speed', 'R', 'float', { units: '/100', note: 'percent per day' }),
    exec(9, 'Average filling speed reset'),
    res(10, 'Forecast full date', 'R', 'time'),
    res(11, 'Forecast empty date', 'R', 'time'),
    res(12, 'Container out of location', 'R', 'boolean'),
    res(13, 'Container out of position', 'R', 'boolean'),
    res(14, 'Container width', 'RW', 'integer', { units: 'cm' }),
    res(15, 'Container installation type', 'RW', 'string', { note: 'registry gives unit cm for this string; dropped' }),
    res(16, 'Container volume max', 'RW', 'float', { units: 'm3' }),
    res(17, 'Filling sensor position', 'RW', 'string'),
    res(18, 'Type of materials', 'RW', 'string'),
    res(19, 'Filling operations counter', 'R', 'integer'),
    exec(20, 'Reset filling operations counter'),
    res(21, 'Cover open', 'R', 'boolean', { note: 'true = bin cover open, level unknown' }),
    res(22, 'Temperature alarm', 'R', 'boolean'),
    res(23, 'Water infiltration alarm', 'R', 'boolean'),
    ...UCIFI_QUALITY,
  ],
};

export const CITY_OBJECTS: readonly ObjectModel[] = [
  SMOKE_ALARM,
  MANHOLE_COVER,
  GAS_METER,
  WATER_METER,
  AIR_QUALITY,
  TILT_SENSOR,
  PARKING_SENSOR,
  FILLING_LEVEL,
];
