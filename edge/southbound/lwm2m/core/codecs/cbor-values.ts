/** Typed LwM2M values ↔ CBOR items, shared by CBOR (60) and SenML CBOR (112). */
import { lwm2mError } from '../errors.js';
import type { Lwm2mValue, ResourceType } from '../nodes.js';
import { CborFloat, CborTag, type CborItem, type CborValue } from './cbor-items.js';
import { numberToValue, parseObjlnk } from './values.js';

function mismatch(where: string, got: string, type: ResourceType): never {
  throw lwm2mError('LWM2M_ERR_VALUE', `${where}: CBOR ${got} cannot be a ${type} value`);
}

/** RFC 8949 tag 0 (RFC 3339 date/time text) → seconds since 1970. */
function rfc3339Seconds(text: string, where: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw lwm2mError('LWM2M_ERR_VALUE', `${where}: tag 0 needs an RFC 3339 date/time`);
  return ms / 1000;
}

/**
 * One CBOR item as the model type (`undefined` = unknown resource: the CBOR type decides).
 * Time may be an untagged number, tag 1 (epoch seconds) or tag 0 (RFC 3339 text).
 */
export function cborToValue(type: ResourceType | undefined, item: CborItem, where: string): Lwm2mValue {
  switch (item.kind) {
    case 'tag': {
      if (type !== undefined && type !== 'time') mismatch(where, `tag ${item.tag}`, type);
      const inner = item.item;
      if (item.tag === 1 && (inner.kind === 'int' || inner.kind === 'float'))
        return numberToValue('time', inner.value, inner.kind === 'float', where);
      if (item.tag === 0 && inner.kind === 'text') return { type: 'time', value: rfc3339Seconds(inner.value, where) };
      throw lwm2mError('LWM2M_ERR_CBOR', `${where}: tag ${item.tag} with ${inner.kind} content is not an LwM2M value`);
    }
    case 'int':
    case 'float':
      return numberToValue(type, item.value, item.kind === 'float', where);
    case 'text':
      if (type === undefined || type === 'string') return { type: 'string', value: item.value };
      if (type === 'corelnk') return { type: 'corelnk', value: item.value };
      if (type === 'objlnk') return { type: 'objlnk', value: parseObjlnk(item.value, where) };
      return mismatch(where, 'text', type);
    case 'bytes':
      if (type === undefined || type === 'opaque') return { type: 'opaque', value: Uint8Array.from(item.value) };
      return mismatch(where, 'byte string', type);
    case 'bool':
      if (type === undefined || type === 'boolean') return { type: 'boolean', value: item.value };
      return mismatch(where, 'boolean', type);
    default:
      throw lwm2mError('LWM2M_ERR_VALUE', `${where}: CBOR ${item.kind} is not a resource value`);
  }
}

/** A checked value as CBOR data for `encodeCbor`. */
export function valueToCbor(value: Lwm2mValue): CborValue {
  switch (value.type) {
    case 'integer':
    case 'unsigned':
      return value.value;
    case 'float':
      return new CborFloat(value.value);
    case 'time':
      return new CborTag(1, value.value);
    case 'boolean':
      return value.value;
    case 'string':
    case 'corelnk':
      return value.value;
    case 'opaque':
      return value.value;
    case 'objlnk':
      return `${value.value.objectId}:${value.value.instanceId}`;
  }
}
