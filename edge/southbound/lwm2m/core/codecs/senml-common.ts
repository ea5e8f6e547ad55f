/**
 * SenML (RFC 8428) as LwM2M 1.1 §7.4.4/§7.4.5 uses it, independent of JSON or CBOR: records
 * with base name/time, a name that resolves to an LwM2M path, and one value field
 * (v, vs, vb, vd, vlo). LwM2M JSON (11543) maps onto the same raw shape (sv → vs, bv → vb,
 * ov → vlo), so all three codecs share resolution and packing.
 */
import { lwm2mError } from '../errors.js';
import { checkValue, modelType, type Lwm2mRecord, type Lwm2mValue } from '../nodes.js';
import type { ModelLookup } from '../objects/model.js';
import { type Lwm2mPath, parsePath } from '../paths.js';
import type { EncodeRecordsOptions } from './types.js';
import { base64Decode, encodeFail, numberToValue, parseObjlnk } from './values.js';

/** A number as written, and whether it was written as a float (CBOR) or with a fraction (JSON). */
export interface RawNumber {
  readonly n: number | bigint;
  readonly isFloat: boolean;
}

/** One record after syntax checks, before names and types are resolved. */
export interface RawRecord {
  bn?: string;
  bt?: number;
  n?: string;
  t?: number;
  v?: RawNumber;
  vs?: string;
  vb?: boolean;
  vd?: Uint8Array;
  vlo?: string;
}

export function senmlError(detail: string): never {
  throw lwm2mError('LWM2M_ERR_SENML', detail);
}

const VALUE_FIELDS = ['v', 'vs', 'vb', 'vd', 'vlo'] as const;

/** Resolves names (bn + n) and times (bt + t); `bn`/`bt` carry over to later records. */
function resolveNames(raws: readonly RawRecord[]): { path: Lwm2mPath; raw: RawRecord; time?: number }[] {
  let bn = '';
  let bt: number | undefined;
  return raws.map((raw, i) => {
    if (raw.bn !== undefined) bn = raw.bn;
    if (raw.bt !== undefined) bt = raw.bt;
    const name = bn + (raw.n ?? '');
    if (name === '') senmlError(`record ${i}: no name (bn + n is empty)`);
    const path = parsePath(name);
    const time = bt === undefined && raw.t === undefined ? undefined : (bt ?? 0) + (raw.t ?? 0);
    if (time !== undefined && !Number.isFinite(time)) senmlError(`record ${i}: time is not finite`);
    return time === undefined ? { path, raw } : { path, raw, time };
  });
}

function recordValue(
  raw: RawRecord,
  path: Lwm2mPath,
  model: ModelLookup,
  i: number,
  base64Strings: boolean,
): Lwm2mValue {
  const present = VALUE_FIELDS.filter((f) => raw[f] !== undefined);
  if (present.length !== 1)
    senmlError(
      `record ${i} (${path.toString()}): expected one value field, got ${present.length ? present.join(', ') : 'none'}`,
    );
  if (path.level !== 'resource' && path.level !== 'resourceInstance') {
    throw lwm2mError(
      'LWM2M_ERR_STRUCTURE',
      `record ${i}: a value needs a resource or resource-instance path, got ${path.toString()}`,
    );
  }
  const where = path.toString();
  const type = modelType(model, path.objectId as number, path.resourceId as number);
  const wrong = (field: string): never => {
    throw lwm2mError('LWM2M_ERR_VALUE', `${where}: field ${field} cannot carry a ${String(type)} value`);
  };
  if (raw.v !== undefined) return numberToValue(type, raw.v.n, raw.v.isFloat, where);
  if (raw.vs !== undefined) {
    if (type === undefined || type === 'string') return { type: 'string', value: raw.vs };
    if (type === 'corelnk') return { type: 'corelnk', value: raw.vs };
    if (type === 'opaque' && base64Strings) return { type: 'opaque', value: base64Decode(raw.vs, where) };
    return wrong('vs');
  }
  if (raw.vb !== undefined)
    return type === undefined || type === 'boolean' ? { type: 'boolean', value: raw.vb } : wrong('vb');
  if (raw.vd !== undefined)
    return type === undefined || type === 'opaque' ? { type: 'opaque', value: raw.vd } : wrong('vd');
  return type === undefined || type === 'objlnk'
    ? { type: 'objlnk', value: parseObjlnk(raw.vlo as string, where) }
    : wrong('vlo');
}

/**
 * Records with values, typed by the model; all must lie under `under`. `base64Strings`: a string
 * value of an opaque resource is base64 (LwM2M JSON puts opaque into `sv`).
 */
export function resolveRecords(
  raws: readonly RawRecord[],
  under: Lwm2mPath,
  model: ModelLookup,
  base64Strings = false,
): Lwm2mRecord[] {
  return resolveNames(raws).map(({ path, raw, time }, i) => {
    if (!path.startsWith(under)) {
      throw lwm2mError(
        'LWM2M_ERR_STRUCTURE',
        `record ${i}: ${path.toString()} is not under the requested path ${under.toString()}`,
      );
    }
    const value = recordValue(raw, path, model, i, base64Strings);
    return time === undefined ? { path, value } : { path, value, time };
  });
}

/** Bare names (Read-Composite / Observe-Composite request bodies); value fields are refused. */
export function resolvePaths(raws: readonly RawRecord[]): Lwm2mPath[] {
  return resolveNames(raws).map(({ path, raw }, i) => {
    if (VALUE_FIELDS.some((f) => raw[f] !== undefined)) senmlError(`record ${i}: a path list carries no values`);
    return path;
  });
}

/** A label/value pair to write; `num` values are numbers, bigint or floats needing no tag. */
export type OutField =
  | readonly ['bn' | 'n' | 'vs' | 'vlo', string]
  | readonly ['bt' | 't' | 'v', number | bigint]
  | readonly ['vb', boolean]
  | readonly ['vd', Uint8Array];

function valueField(value: Lwm2mValue): OutField {
  switch (value.type) {
    case 'integer':
    case 'unsigned':
    case 'float':
    case 'time':
      return ['v', value.value];
    case 'string':
    case 'corelnk':
      return ['vs', value.value];
    case 'boolean':
      return ['vb', value.value];
    case 'opaque':
      return ['vd', value.value];
    case 'objlnk':
      return ['vlo', `${value.value.objectId}:${value.value.instanceId}`];
  }
}

/**
 * Packs records as LwM2M clients do (spec Tables 7.4.4-2…8): with a base path, `bn` is the
 * path (when every record is the path itself) or the path plus "/" and `n` the rest; without
 * one, `n` is the full path. With a base time, `bt` goes on the first record and `t` = time − bt.
 */
export function packRecords(records: readonly Lwm2mRecord[], options: EncodeRecordsOptions = {}): OutField[][] {
  const { basePath, baseTime } = options;
  if (baseTime !== undefined && !Number.isFinite(baseTime)) encodeFail('baseTime must be finite');
  const allAtBase = basePath !== undefined && records.every((r) => r.path.equals(basePath));
  const prefix =
    basePath === undefined
      ? ''
      : allAtBase
        ? basePath.toString()
        : basePath.level === 'root'
          ? '/'
          : `${basePath.toString()}/`;
  return records.map((r, i) => {
    checkValue(r.value, r.path.toString());
    const fields: OutField[] = [];
    if (i === 0 && prefix) fields.push(['bn', prefix]);
    if (i === 0 && baseTime !== undefined) fields.push(['bt', baseTime]);
    if (!allAtBase) {
      const full = r.path.toString();
      if (basePath !== undefined && (!r.path.startsWith(basePath) || r.path.equals(basePath))) {
        encodeFail(`record ${full} cannot be written relative to ${basePath.toString()}`);
      }
      fields.push(['n', full.slice(prefix.length)]);
    }
    fields.push(valueField(r.value));
    if (r.time !== undefined) {
      const t = baseTime === undefined ? r.time : r.time - baseTime;
      if (!Number.isFinite(t)) encodeFail(`${r.path.toString()}: time must be finite`);
      if (t !== 0 || baseTime === undefined) fields.push(['t', t]);
    }
    return fields;
  });
}

/** Name-only records for a path list. */
export function packPaths(paths: readonly Lwm2mPath[]): OutField[][] {
  return paths.map((p) => [['n', p.toString()] as const]);
}
