/**
 * The built-in object model: every object of the OMA LwM2M registry (the DDF files vendored in
 * edge/southbound/lwm2m/registry/oma/, compiled into registry-objects.ts by
 * scripts/gen-lwm2m-objects.ts, newest ObjectVersion per id) with the corrections of
 * corrections.ts applied. Vendors' own DDF files come on top at agent start
 * (edge/southbound/lwm2m/object-files.ts, `lwm2m.object_dirs`).
 */
import { applyCorrections } from './corrections.js';
import { ObjectRegistry, type ObjectModel } from './model.js';
import { expandEntry } from './registry-rows.js';
import { REGISTRY_ENTRIES } from './registry-objects.js';

export * from './model.js';
export { metricName, snakeCase } from './metric-names.js';

/** Every registry object (sorted by id), corrected. */
export const BUILTIN_OBJECTS: readonly ObjectModel[] = applyCorrections(REGISTRY_ENTRIES.map(expandEntry)).objects;

/** A new registry with the built-in objects; add vendor objects with `.add()`. */
export function createDefaultRegistry(): ObjectRegistry {
  return new ObjectRegistry(BUILTIN_OBJECTS);
}

/** Shared read-only use: the built-in objects. Do not `add` to it; create your own registry. */
export const DEFAULT_REGISTRY: ObjectRegistry = createDefaultRegistry();
