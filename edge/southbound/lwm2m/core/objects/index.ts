/** The built-in object definitions and a registry that holds them. */
import { CITY_OBJECTS } from './city.js';
import { IPSO_OBJECTS } from './ipso.js';
import { ObjectRegistry, type ObjectModel } from './model.js';
import { OMA_OBJECTS } from './oma.js';
import { SINGLE_PHASE_METER } from './ucifi-electricity.js';

export * from './model.js';
export { metricName, snakeCase } from './metric-names.js';

/** 0, 1, 3, 4, 5, 19, 3300, 3303, 3304, 3316, 3407, 3408, 3421, 3423, 3424, 3428, 3429, 3431, 3435. */
export const BUILTIN_OBJECTS: readonly ObjectModel[] = [
  ...OMA_OBJECTS,
  ...IPSO_OBJECTS,
  SINGLE_PHASE_METER,
  ...CITY_OBJECTS,
];

/** A new registry with the built-in objects; add vendor objects with `.add()`. */
export function createDefaultRegistry(): ObjectRegistry {
  return new ObjectRegistry(BUILTIN_OBJECTS);
}

/** Shared read-only use: the built-in objects. Do not `add` to it; create your own registry. */
export const DEFAULT_REGISTRY: ObjectRegistry = createDefaultRegistry();
