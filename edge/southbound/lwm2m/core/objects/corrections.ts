/**
 * Corrections of the OMA registry's slips, applied to the built-in objects after they are loaded
 * from the DDF files (registry-objects.ts). Each says why. They apply to the registry's
 * definitions only: a vendor DDF file (`lwm2m.object_dirs`) that redefines an object replaces it
 * uncorrected. A correction whose target the registry no longer has is reported by
 * `applyCorrections` (and fails test/edge/southbound/lwm2m/core/ddf.test.ts), never at run time.
 */
import type { ObjectModel, ResourceModel } from './model.js';

export type Correction =
  /** A note on an object (what a reader must know that the registry does not say). */
  | { readonly object: number; readonly note: string }
  /** Changes of one resource: `set` fields, `drop` fields, and a note saying why. */
  | {
      readonly object: number;
      readonly resource: number;
      readonly note: string;
      readonly set?: Partial<Pick<ResourceModel, 'units' | 'type' | 'operations' | 'range'>>;
      readonly drop?: readonly ('units' | 'range')[];
    }
  /** A resource the registry's newest version lacks but devices still send. */
  | { readonly object: number; readonly add: ResourceModel & { readonly note: string } };

/** IPSO sensors: the value and min/max resources carry the unit their 5701 (Sensor Units) names. */
const ipsoUnits = (object: number, units: string): Correction[] =>
  [5700, 5601, 5602, 5603, 5604].map((resource) => ({
    object,
    resource,
    set: { units },
    note: `the registry leaves the unit to resource 5701 (Sensor Units); ${units} is what these sensors report`,
  }));

export const CORRECTIONS: readonly Correction[] = [
  {
    object: 0,
    note: 'Bootstrap-only object: a management server can neither read nor write it, hence no operations.',
  },
  { object: 3, resource: 7, set: { units: 'mV' }, note: 'the registry leaves Units empty; its description says mV' },
  { object: 3, resource: 8, set: { units: 'mA' }, note: 'the registry leaves Units empty; its description says mA' },
  {
    object: 3,
    resource: 10,
    set: { units: 'kB' },
    note: 'the registry leaves Units empty; its description says kilobytes of 1000 bytes',
  },
  {
    object: 3,
    resource: 21,
    set: { units: 'kB' },
    note: 'the registry leaves Units empty; its description says kilobytes of 1000 bytes',
  },
  {
    object: 5,
    add: {
      id: 4,
      name: 'Update Supported Objects',
      type: 'boolean',
      operations: 'RW',
      multiple: false,
      mandatory: false,
      note: 'object version 1.0 only (dropped in 1.1); kept so 1.0 devices decode',
    },
  },
  {
    object: 19,
    note: 'Chinese NB-IoT platforms (Huawei OceanConnect/IoTDA, China Telecom AEP) carry vendor binary payloads in 19/0/0 (uplink) and 19/1/0 (downlink).',
  },
  { object: 3303, note: 'The registry leaves units to resource 5701; Cel is what IPSO temperature sensors report.' },
  ...ipsoUnits(3303, 'Cel'),
  ...ipsoUnits(3304, '%RH'),
  ...ipsoUnits(3316, 'V'),
  {
    object: 3407,
    note: "The registry's object description speaks of CO2 (copied from a gas object); 6046 is the smoke state.",
  },
  { object: 3407, resource: 6044, set: { units: '/100' }, note: 'registry leaves the unit empty (range 0..100 %)' },
  { object: 3407, resource: 6046, note: 'true = smoke detected (alarm)' },
  {
    object: 3408,
    note: 'Resource 3 is true when the cover is OPEN (alarm), false when closed: inverted w.r.t. an "OK" status flag.',
  },
  { object: 3408, resource: 1, set: { units: 'deg' }, note: 'registry says rad; 0..180 is degrees' },
  { object: 3408, resource: 2, set: { units: 'deg' }, note: 'registry says rad; 0..180 is degrees' },
  {
    object: 3408,
    resource: 3,
    note: 'INVERTED flag: true = cover open (alarm), false = closed (normal) (registry: "Not detected open (0) or Detected open (1)")',
  },
  { object: 3421, resource: 9, set: { units: 'A' }, note: 'registry gives V; a current threshold is in A' },
  {
    object: 3428,
    note: 'All resources are optional read-only values; a station reports the subset it measures.',
  },
  { object: 3429, resource: 6, note: 'true = angle above the threshold (alarm)' },
  { object: 3431, resource: 1, note: 'true = occupied, false = free' },
  { object: 3435, resource: 8, note: 'percent per day' },
  { object: 3435, resource: 15, drop: ['units'], note: 'registry gives unit cm for this string; dropped' },
  { object: 3435, resource: 21, note: 'true = bin cover open, level unknown' },
];

/**
 * The objects with `corrections` applied (the input is not changed). `unused` lists, as text,
 * corrections whose object or resource is missing (or whose added resource exists already).
 */
export function applyCorrections(
  objects: readonly ObjectModel[],
  corrections: readonly Correction[] = CORRECTIONS,
): { objects: ObjectModel[]; unused: string[] } {
  const byId = new Map(objects.map((o) => [o.id, { ...o, resources: [...o.resources] }]));
  const unused: string[] = [];
  for (const c of corrections) {
    const o = byId.get(c.object);
    if (!o) {
      unused.push(`object ${c.object} is not in the registry`);
      continue;
    }
    if ('add' in c) {
      if (o.resources.some((r) => r.id === c.add.id)) unused.push(`${c.object}/${c.add.id} exists already`);
      else o.resources.push(c.add);
    } else if ('resource' in c) {
      const i = o.resources.findIndex((r) => r.id === c.resource);
      if (i < 0) {
        unused.push(`${c.object}/${c.resource} is not in the registry`);
        continue;
      }
      const r: Record<string, unknown> = { ...o.resources[i]!, ...c.set, note: c.note };
      for (const k of c.drop ?? []) delete r[k];
      o.resources[i] = r as unknown as ResourceModel;
    } else {
      byId.set(o.id, { ...o, note: c.note });
    }
  }
  return { objects: [...byId.values()].sort((a, b) => a.id - b.id), unused };
}
