/** Strict UTF-8 + JSON.parse for device payloads, and field readers that fail with coded errors. */
import { lwm2mError } from '../errors.js';
import type { RawNumber } from './senml-common.js';
import { senmlError } from './senml-common.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses a JSON payload; V8's parser is iterative, so deep nesting cannot overflow the stack. */
export function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch (e) {
    throw lwm2mError('LWM2M_ERR_JSON', 'payload is not valid UTF-8', e);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw lwm2mError('LWM2M_ERR_JSON', `payload is not JSON: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

export type JsonObject = Record<string, unknown>;

export function asObject(v: unknown, where: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) senmlError(`${where} must be a JSON object`);
  return v as JsonObject;
}

export function asArray(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) senmlError(`${where} must be a JSON array`);
  return v;
}

export function optString(o: JsonObject, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') senmlError(`${where}: field ${key} must be a string`);
  return v;
}

export function optNumber(o: JsonObject, key: string, where: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') senmlError(`${where}: field ${key} must be a number`);
  return v;
}

export function optBoolean(o: JsonObject, key: string, where: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') senmlError(`${where}: field ${key} must be true or false`);
  return v;
}

/** A JSON number as a SenML value; a number with a fraction counts as a float. */
export function optRawNumber(o: JsonObject, key: string, where: string): RawNumber | undefined {
  const v = optNumber(o, key, where);
  return v === undefined ? undefined : { n: v, isFloat: !Number.isInteger(v) };
}

/** Serializes one JSON scalar as written by our encoders. */
export function jsonScalar(v: string | number | bigint | boolean, where: string): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v))
    throw lwm2mError('LWM2M_ERR_ENCODE', `${where}: JSON cannot carry ${v}`);
  return JSON.stringify(v);
}
