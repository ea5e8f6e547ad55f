/**
 * The compact form of the generated registry table (registry-objects.ts): one tuple per resource,
 * expanded into `ObjectModel`s once, when the object model is first loaded.
 */
import type { ObjectModel, Operations, ResourceModel, ResourceType } from './model.js';

/** [id, name, operations, type, multiple (0/1), mandatory (0/1), units?, range?, note?] */
export type ResourceRow = readonly [
  id: number,
  name: string,
  operations: Operations,
  type: ResourceType | 'none',
  multiple: 0 | 1,
  mandatory: 0 | 1,
  units?: string,
  range?: string,
  note?: string,
];

export interface RegistryEntry {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  readonly multiple: boolean;
  readonly mandatory: boolean;
  readonly resources: readonly ResourceRow[];
}

function resource([id, name, operations, type, multiple, mandatory, units, range, note]: ResourceRow): ResourceModel {
  return {
    id,
    name,
    type,
    operations,
    multiple: multiple === 1,
    mandatory: mandatory === 1,
    ...(units ? { units } : {}),
    ...(range ? { range } : {}),
    ...(note ? { note } : {}),
  };
}

export function expandEntry(e: RegistryEntry): ObjectModel {
  return { ...e, resources: e.resources.map(resource) };
}
