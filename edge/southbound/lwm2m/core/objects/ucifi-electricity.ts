/**
 * 3421 Single-phase electrical meter (uCIFI, object version 1.0), from the OMA LwM2M registry.
 * Every measured resource is a Float, read-only; thresholds of sags/swells/cuts are writable.
 * Registry slips corrected here (and marked): 9 is in A, not V.
 */
import { res, type ObjectModel, type Operations, type ResourceType } from './model.js';

type Row = readonly [
  id: number,
  name: string,
  ops: Exclude<Operations, 'E'>,
  type: ResourceType,
  units: string,
  mandatory?: boolean,
];

const ROWS: readonly Row[] = [
  [1, 'Voltage', 'R', 'float', 'V', true],
  [2, 'Low voltage threshold', 'R', 'float', 'V'],
  [3, 'Low voltage', 'R', 'boolean', ''],
  [4, 'High voltage threshold', 'R', 'float', 'V'],
  [5, 'High voltage', 'R', 'boolean', ''],
  [6, 'Current', 'R', 'float', 'A', true],
  [7, 'Low current threshold', 'R', 'float', 'A'],
  [8, 'Low current', 'R', 'boolean', ''],
  [9, 'High current threshold', 'R', 'float', 'A'],
  [10, 'High current', 'R', 'boolean', ''],
  [11, 'Frequency', 'R', 'float', 'Hz'],
  [12, 'Angle of I-U', 'R', 'float', 'deg'],
  [13, 'Instantaneous Power Factor', 'R', 'float', '', true],
  [14, 'Low power factor threshold', 'R', 'float', ''],
  [15, 'Low power factor', 'R', 'boolean', ''],
  [16, 'Active power+ (QI+QIV)', 'R', 'float', 'W', true],
  [17, 'Active power- (QII+QIII)', 'R', 'float', 'W'],
  [18, 'Reactive power+ (QI+QII)', 'R', 'float', 'var'],
  [19, 'Reactive power- (QIII+QIV)', 'R', 'float', 'var'],
  [20, 'Instantaneous Apparent Power import (+VA)', 'R', 'float', 'VA'],
  [21, 'Instantaneous Apparent Power export (-VA)', 'R', 'float', 'VA'],
  [22, 'Instantaneous Active Power (|+A|+|-A|)', 'R', 'float', 'W'],
  [23, 'Instantaneous Net Active Power (|+A|-|-A|)', 'R', 'float', 'W'],
  [24, 'Measurement period of Instantaneous value', 'R', 'float', 's'],
  [25, 'Active energy import (+A) Un', 'R', 'float', 'Wh', true],
  [26, 'Active energy export (-A) Un', 'R', 'float', 'Wh'],
  [27, 'Active energy (|+A|+|-A|) Combined total', 'R', 'float', 'Wh'],
  [28, 'Active energy (|+A|-|-A|) Combined total', 'R', 'float', 'Wh'],
  [29, 'Reactive energy import (+R) Un', 'R', 'float', 'varh'],
  [30, 'Reactive energy export (-R) Un', 'R', 'float', 'varh'],
  [31, 'Reactive energy QI (+Ri) Un', 'R', 'float', 'varh'],
  [32, 'Reactive energy QII (+Rc) Un', 'R', 'float', 'varh'],
  [33, 'Reactive energy QIII (-Ri) Un', 'R', 'float', 'varh'],
  [34, 'Reactive energy QIV (-Rc) Un', 'R', 'float', 'varh'],
  [35, 'Apparent energy import Un', 'R', 'float', 'VAh'],
  [36, 'Apparent energy export Un', 'R', 'float', 'VAh'],
  [37, 'Number of power failures', 'R', 'float', ''],
  [38, 'Number of long power failures', 'R', 'float', ''],
  [39, 'Time threshold for long power failure', 'RW', 'float', 's'],
  [40, 'Duration of last long power failure', 'R', 'float', 's'],
  [41, 'Threshold for voltage sag', 'RW', 'float', 'V'],
  [42, 'Time threshold for voltage sag', 'RW', 'float', 's'],
  [43, 'Number of voltage sags', 'R', 'float', ''],
  [44, 'Duration of last voltage sag', 'R', 'float', 's'],
  [45, 'Magnitude of last voltage sag', 'R', 'float', 'V'],
  [46, 'Threshold for voltage swell', 'RW', 'float', 'V'],
  [47, 'Time threshold for voltage swell', 'RW', 'float', 's'],
  [48, 'Number of voltage swells', 'R', 'float', ''],
  [49, 'Duration of last voltage swell', 'R', 'float', 's'],
  [50, 'Magnitude of last voltage swell', 'R', 'float', 'V'],
  [51, 'Threshold for missing voltage (voltage cut)', 'RW', 'float', 'V'],
  [52, 'Time threshold for voltage cut', 'RW', 'float', 's'],
  [53, 'Voltage cut', 'R', 'boolean', ''],
  [54, 'CT Numerator Parameter', 'RW', 'float', ''],
  [55, 'CT Denominator Parameter', 'RW', 'float', ''],
  [56, 'VT Numerator Parameter', 'RW', 'float', ''],
  [57, 'VT Denominator Parameter', 'RW', 'float', ''],
];

export const SINGLE_PHASE_METER: ObjectModel = {
  id: 3421,
  name: 'Single-phase electrical meter',
  version: '1.0',
  multiple: true,
  mandatory: false,
  resources: ROWS.map(([id, name, ops, type, units, mandatory]) => {
    const note = id === 9 ? 'registry gives V; a current threshold is in A' : undefined;
    return res(id, name, ops, type, {
      mandatory: mandatory ?? false,
      ...(units ? { units } : {}),
      ...(note ? { note } : {}),
    });
  }),
};
