/**
 * Object model: what an LwM2M object and its resources are (id, name, type, single/multiple,
 * operations, mandatory, units). Built-in definitions come from the OMA registry's DDF files
 * (index.ts, ddf.ts); `ObjectRegistry` indexes them for the codecs and the server.
 */
import { lwm2mError } from '../errors.js';
import { isValidId } from '../paths.js';

/** LwM2M resource data types (Core 1.1 Appendix C). `none` is for executable resources. */
export const RESOURCE_TYPES = [
  'integer',
  'unsigned',
  'float',
  'boolean',
  'string',
  'opaque',
  'time',
  'objlnk',
  'corelnk',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Operations as written in the registry; '' = not reachable by a management server (object 0). */
export type Operations = '' | 'R' | 'W' | 'RW' | 'E';

export interface ResourceModel {
  readonly id: number;
  readonly name: string;
  readonly type: ResourceType | 'none';
  readonly multiple: boolean;
  readonly operations: Operations;
  readonly mandatory: boolean;
  /** Unit as given by the registry (SenML unit names where the registry uses them). */
  readonly units?: string;
  readonly range?: string;
  /** Anything a reader must know that the registry text does not say (or says wrongly). */
  readonly note?: string;
}

export interface ObjectModel {
  readonly id: number;
  readonly name: string;
  /** Object version ("1.0", "1.1", …). */
  readonly version: string;
  /** Whether the object may have several instances. */
  readonly multiple: boolean;
  readonly mandatory: boolean;
  readonly resources: readonly ResourceModel[];
  readonly note?: string;
}

/** What the codecs need from a model: resource types and multiplicity. */
export interface ModelLookup {
  object(objectId: number): ObjectModel | undefined;
  resource(objectId: number, resourceId: number): ResourceModel | undefined;
}

interface ResourceOptions {
  readonly mandatory?: boolean;
  readonly multiple?: boolean;
  readonly units?: string;
  readonly range?: string;
  readonly note?: string;
}

/** Shorthand for definitions written in code (tests, examples): `res(5700, 'Sensor Value', 'R', 'float', { mandatory: true })`. */
export function res(
  id: number,
  name: string,
  operations: Exclude<Operations, 'E'>,
  type: ResourceType,
  opts: ResourceOptions = {},
): ResourceModel {
  return {
    id,
    name,
    type,
    operations,
    multiple: opts.multiple ?? false,
    mandatory: opts.mandatory ?? false,
    ...(opts.units ? { units: opts.units } : {}),
    ...(opts.range ? { range: opts.range } : {}),
    ...(opts.note ? { note: opts.note } : {}),
  };
}

/** An executable resource (no value type). */
export function exec(id: number, name: string, mandatory = false): ResourceModel {
  return { id, name, type: 'none', operations: 'E', multiple: false, mandatory };
}

/** Checks one definition: ids in range, unique resource ids, known types. */
export function validateObjectModel(model: ObjectModel): void {
  const where = `object ${String(model.id)} (${model.name})`;
  if (!isValidId(model.id)) throw lwm2mError('LWM2M_ERR_MODEL', `${where}: id must be 0..65535`);
  if (!model.name) throw lwm2mError('LWM2M_ERR_MODEL', `${where}: name is empty`);
  const seen = new Set<number>();
  for (const r of model.resources) {
    if (!isValidId(r.id)) throw lwm2mError('LWM2M_ERR_MODEL', `${where}: resource id ${String(r.id)} must be 0..65535`);
    if (seen.has(r.id)) throw lwm2mError('LWM2M_ERR_MODEL', `${where}: resource ${r.id} defined twice`);
    seen.add(r.id);
    if (r.type !== 'none' && !(RESOURCE_TYPES as readonly string[]).includes(r.type)) {
      throw lwm2mError('LWM2M_ERR_MODEL', `${where}: resource ${r.id} has unknown type ${String(r.type)}`);
    }
    if ((r.operations === 'E') !== (r.type === 'none')) {
      throw lwm2mError(
        'LWM2M_ERR_MODEL',
        `${where}: resource ${r.id}: executable resources (and only those) have type none`,
      );
    }
  }
}

/** Object definitions indexed by id; later `add` calls replace earlier definitions of the same id. */
export class ObjectRegistry implements ModelLookup {
  private readonly objects = new Map<number, ObjectModel>();
  private readonly resources = new Map<number, Map<number, ResourceModel>>();

  constructor(models: Iterable<ObjectModel> = []) {
    for (const m of models) this.add(m);
  }

  add(model: ObjectModel): this {
    validateObjectModel(model);
    this.objects.set(model.id, model);
    this.resources.set(model.id, new Map(model.resources.map((r) => [r.id, r])));
    return this;
  }

  object(objectId: number): ObjectModel | undefined {
    return this.objects.get(objectId);
  }

  resource(objectId: number, resourceId: number): ResourceModel | undefined {
    return this.resources.get(objectId)?.get(resourceId);
  }

  list(): ObjectModel[] {
    return [...this.objects.values()].sort((a, b) => a.id - b.id);
  }
}

/** A lookup that knows nothing: codecs then infer types from the payload. */
export const EMPTY_MODEL: ModelLookup = { object: () => undefined, resource: () => undefined };
