/**
 * Value conversions shared by the codecs: UTF-8, base64, object links, numbers → typed values,
 * and the text/plain representation of every type. All failures are LWM2M_ERR_VALUE.
 */
import { lwm2mError } from '../errors.js';
import {
  INT64_MAX,
  INT64_MIN,
  UINT64_MAX,
  normalizeInt,
  type Lwm2mValue,
  type ObjLnk,
  type ResourceType,
} from '../nodes.js';
import { MAX_ID } from '../paths.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF8_OUT = new TextEncoder();

export function utf8Decode(bytes: Uint8Array, where: string): string {
  try {
    return UTF8.decode(bytes);
  } catch (e) {
    throw lwm2mError('LWM2M_ERR_VALUE', `${where}: not valid UTF-8`, e);
  }
}

export function utf8Encode(text: string): Uint8Array {
  return UTF8_OUT.encode(text);
}

/** Accepts the standard and the URL-safe alphabet, padded or not (RFC 4648 §4 and §5). */
export function base64Decode(text: string, where: string): Uint8Array {
  const body = text.replace(/=+$/, '');
  if (text.length - body.length > 2 || !/^[A-Za-z0-9+/_-]*$/.test(body) || body.length % 4 === 1) {
    throw lwm2mError('LWM2M_ERR_VALUE', `${where}: not valid base64`);
  }
  return new Uint8Array(Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

export function base64Encode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** RFC 8428 §4.3: SenML `vd` is base64url without padding. */
export function base64UrlEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** "66:0" → { objectId: 66, instanceId: 0 }. */
export function parseObjlnk(text: string, where: string): ObjLnk {
  const m = /^([0-9]{1,5}):([0-9]{1,5})$/.exec(text);
  const objectId = m ? Number(m[1]) : -1;
  const instanceId = m ? Number(m[2]) : -1;
  if (!m || objectId > MAX_ID || instanceId > MAX_ID) {
    throw lwm2mError('LWM2M_ERR_VALUE', `${where}: object link must be "object:instance" with ids 0..65535`);
  }
  return { objectId, instanceId };
}

export function formatObjlnk(o: ObjLnk): string {
  return `${o.objectId}:${o.instanceId}`;
}

function toBigInt(n: number | bigint, where: string, what: string): bigint {
  if (typeof n === 'bigint') return n;
  if (!Number.isInteger(n)) throw lwm2mError('LWM2M_ERR_VALUE', `${where}: ${what} needs an integer, got ${n}`);
  return BigInt(n);
}

function inRange(v: bigint, min: bigint, max: bigint, where: string, what: string): number | bigint {
  if (v < min || v > max) throw lwm2mError('LWM2M_ERR_VALUE', `${where}: ${String(v)} is out of range for ${what}`);
  return normalizeInt(v);
}

/**
 * A number from SenML/JSON/CBOR as the model type. `isFloat` tells whether the payload wrote a
 * floating-point number; it decides integer vs float when the model does not know the resource.
 */
export function numberToValue(
  type: ResourceType | undefined,
  n: number | bigint,
  isFloat: boolean,
  where: string,
): Lwm2mValue {
  if (typeof n === 'number' && !Number.isFinite(n) && type !== 'float' && !(type === undefined && isFloat)) {
    throw lwm2mError('LWM2M_ERR_VALUE', `${where}: ${n} is not a finite number`);
  }
  switch (type) {
    case undefined:
      if (isFloat && typeof n === 'number') return { type: 'float', value: n };
      return {
        type: 'integer',
        value: inRange(toBigInt(n, where, 'an integer'), INT64_MIN, INT64_MAX, where, 'a 64-bit integer'),
      };
    case 'integer':
      return {
        type: 'integer',
        value: inRange(toBigInt(n, where, 'an integer'), INT64_MIN, INT64_MAX, where, 'a 64-bit integer'),
      };
    case 'unsigned':
      return {
        type: 'unsigned',
        value: inRange(toBigInt(n, where, 'an unsigned integer'), 0n, UINT64_MAX, where, 'an unsigned 64-bit integer'),
      };
    case 'float':
      return { type: 'float', value: Number(n) };
    case 'time': {
      const t = Number(n);
      if (!Number.isFinite(t)) throw lwm2mError('LWM2M_ERR_VALUE', `${where}: time must be finite`);
      return { type: 'time', value: t };
    }
    default:
      throw lwm2mError('LWM2M_ERR_VALUE', `${where}: a number was sent but the resource is ${type}`);
  }
}

const INT_TEXT = /^[+-]?[0-9]{1,20}$/;
const FLOAT_TEXT = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,4})?$/;

/** text/plain (LwM2M 1.1 §7.4.1): decimal numbers, 0/1 booleans, base64 opaque, "oid:iid" links. */
export function textToValue(type: ResourceType | undefined, text: string, where: string): Lwm2mValue {
  switch (type) {
    case undefined:
    case 'string':
      return { type: 'string', value: text };
    case 'corelnk':
      return { type: 'corelnk', value: text };
    case 'integer':
    case 'unsigned':
    case 'time':
      if (!INT_TEXT.test(text))
        throw lwm2mError('LWM2M_ERR_VALUE', `${where}: ${JSON.stringify(text.slice(0, 40))} is not a decimal integer`);
      return numberToValue(type, BigInt(text), false, where);
    case 'float':
      if (!FLOAT_TEXT.test(text))
        throw lwm2mError('LWM2M_ERR_VALUE', `${where}: ${JSON.stringify(text.slice(0, 40))} is not a decimal number`);
      return { type: 'float', value: Number(text) };
    case 'boolean':
      if (text !== '0' && text !== '1')
        throw lwm2mError('LWM2M_ERR_VALUE', `${where}: a boolean is "0" or "1" in text/plain`);
      return { type: 'boolean', value: text === '1' };
    case 'opaque':
      return { type: 'opaque', value: base64Decode(text, where) };
    case 'objlnk':
      return { type: 'objlnk', value: parseObjlnk(text, where) };
  }
}

export function valueToText(value: Lwm2mValue): string {
  switch (value.type) {
    case 'string':
    case 'corelnk':
      return value.value;
    case 'integer':
    case 'unsigned':
    case 'time':
      return String(value.value);
    case 'float':
      return Number.isFinite(value.value) ? String(value.value) : encodeFail('text/plain cannot carry NaN or Infinity');
    case 'boolean':
      return value.value ? '1' : '0';
    case 'opaque':
      return base64Encode(value.value);
    case 'objlnk':
      return formatObjlnk(value.value);
  }
}

export function encodeFail(detail: string): never {
  throw lwm2mError('LWM2M_ERR_ENCODE', detail);
}
