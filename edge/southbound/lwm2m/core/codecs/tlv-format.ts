/**
 * The OMA TLV wire format (LwM2M 1.0 §6.4.3, 1.1 §7.4.3): entries of type (object instance,
 * resource instance, multiple resource, resource with value), an 8/16-bit id and a 0–24-bit
 * length. Parsing checks every length against the bytes left, so a lying length field can
 * neither read past the payload nor allocate more than the payload holds.
 */
import { lwm2mError } from '../errors.js';
import type { Lwm2mValue, ResourceType } from '../nodes.js';
import { normalizeInt } from '../nodes.js';
import { encodeFail, utf8Decode, utf8Encode } from './values.js';

export type TlvKind = 'instance' | 'resourceInstance' | 'multipleResource' | 'resource';
const KINDS: readonly TlvKind[] = ['instance', 'resourceInstance', 'multipleResource', 'resource'];

export interface TlvEntry {
  readonly kind: TlvKind;
  readonly id: number;
  /** For resource and resource-instance entries. */
  readonly value?: Uint8Array;
  /** For object-instance and multiple-resource entries. */
  readonly children?: readonly TlvEntry[];
}

export const TLV_MAX_LENGTH = 0xffffff;

const ALLOWED_CHILDREN: Record<TlvKind, readonly TlvKind[]> = {
  instance: ['resource', 'multipleResource'],
  multipleResource: ['resourceInstance'],
  resource: [],
  resourceInstance: [],
};

/** Parses a whole payload into entries (nested for instances and multiple resources). */
export function parseTlv(bytes: Uint8Array): TlvEntry[] {
  return parseRange(bytes, 0, bytes.length, KINDS, 'payload');
}

function parseRange(b: Uint8Array, start: number, end: number, allowed: readonly TlvKind[], where: string): TlvEntry[] {
  const out: TlvEntry[] = [];
  let pos = start;
  while (pos < end) {
    const type = b[pos] as number;
    const kind = KINDS[type >> 6] as TlvKind;
    const idLen = type & 0x20 ? 2 : 1;
    const lenType = (type >> 3) & 0x03;
    const header = 1 + idLen + lenType;
    if (end - pos < header) throw lwm2mError('LWM2M_ERR_TLV', `truncated TLV header at byte ${pos} (${where})`);
    const id = idLen === 2 ? ((b[pos + 1] as number) << 8) | (b[pos + 2] as number) : (b[pos + 1] as number);
    let length = type & 0x07;
    if (lenType > 0) {
      length = 0;
      for (let i = 0; i < lenType; i++) length = length * 256 + (b[pos + 1 + idLen + i] as number);
    }
    const valueStart = pos + header;
    if (length > end - valueStart) {
      throw lwm2mError(
        'LWM2M_ERR_TLV',
        `TLV at byte ${pos} declares ${length} bytes but only ${end - valueStart} remain (${where})`,
      );
    }
    if (!allowed.includes(kind)) {
      throw lwm2mError('LWM2M_ERR_TLV', `a ${kind} TLV (id ${id}) cannot appear inside ${where}`);
    }
    const valueEnd = valueStart + length;
    if (kind === 'instance' || kind === 'multipleResource') {
      out.push({ kind, id, children: parseRange(b, valueStart, valueEnd, ALLOWED_CHILDREN[kind], `${kind} ${id}`) });
    } else {
      out.push({ kind, id, value: b.subarray(valueStart, valueEnd) });
    }
    pos = valueEnd;
  }
  return out;
}

/** Serializes entries; the shortest id and length fields are chosen. */
export function serializeTlv(entries: readonly TlvEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const e of entries) chunks.push(serializeEntry(e));
  return concat(chunks);
}

function serializeEntry(e: TlvEntry): Uint8Array {
  const body = e.children ? serializeTlv(e.children) : (e.value ?? new Uint8Array(0));
  const len = body.length;
  if (len > TLV_MAX_LENGTH)
    throw lwm2mError('LWM2M_ERR_TOO_LARGE', `TLV ${e.kind} ${e.id}: ${len} bytes exceed the 24-bit length field`);
  const idLen = e.id > 0xff ? 2 : 1;
  const lenType = len < 8 ? 0 : len <= 0xff ? 1 : len <= 0xffff ? 2 : 3;
  const head = new Uint8Array(1 + idLen + lenType);
  head[0] = (KINDS.indexOf(e.kind) << 6) | (idLen === 2 ? 0x20 : 0) | (lenType << 3) | (lenType === 0 ? len : 0);
  if (idLen === 2) {
    head[1] = e.id >> 8;
    head[2] = e.id & 0xff;
  } else head[1] = e.id;
  for (let i = 0; i < lenType; i++) head[1 + idLen + i] = (len >> (8 * (lenType - 1 - i))) & 0xff;
  return concat([head, body]);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function badLength(where: string, type: string, n: number, allowed: string): never {
  throw lwm2mError('LWM2M_ERR_VALUE', `${where}: a TLV ${type} is ${allowed} bytes long, got ${n}`);
}

function readSigned(bytes: Uint8Array, where: string, type: string): bigint {
  const v = view(bytes);
  switch (bytes.length) {
    case 1:
      return BigInt(v.getInt8(0));
    case 2:
      return BigInt(v.getInt16(0));
    case 4:
      return BigInt(v.getInt32(0));
    case 8:
      return v.getBigInt64(0);
    default:
      return badLength(where, type, bytes.length, '1, 2, 4 or 8');
  }
}

function readUnsigned(bytes: Uint8Array, where: string): bigint {
  const v = view(bytes);
  switch (bytes.length) {
    case 1:
      return BigInt(v.getUint8(0));
    case 2:
      return BigInt(v.getUint16(0));
    case 4:
      return BigInt(v.getUint32(0));
    case 8:
      return v.getBigUint64(0);
    default:
      return badLength(where, 'unsigned integer', bytes.length, '1, 2, 4 or 8');
  }
}

/** TLV value bytes as the model type; unknown resources come back as opaque. */
export function tlvToValue(type: ResourceType | undefined, bytes: Uint8Array, where: string): Lwm2mValue {
  switch (type) {
    case undefined:
    case 'opaque':
      return { type: 'opaque', value: Uint8Array.from(bytes) };
    case 'string':
      return { type: 'string', value: utf8Decode(bytes, where) };
    case 'corelnk':
      return { type: 'corelnk', value: utf8Decode(bytes, where) };
    case 'integer':
      return { type: 'integer', value: normalizeInt(readSigned(bytes, where, 'integer')) };
    case 'unsigned':
      return { type: 'unsigned', value: normalizeInt(readUnsigned(bytes, where)) };
    case 'time': {
      const t = normalizeInt(readSigned(bytes, where, 'time'));
      if (typeof t === 'bigint') throw lwm2mError('LWM2M_ERR_VALUE', `${where}: time ${String(t)} is out of range`);
      return { type: 'time', value: t };
    }
    case 'float':
      if (bytes.length === 4) return { type: 'float', value: view(bytes).getFloat32(0) };
      if (bytes.length === 8) return { type: 'float', value: view(bytes).getFloat64(0) };
      return badLength(where, 'float', bytes.length, '4 or 8');
    case 'boolean':
      if (bytes.length !== 1) return badLength(where, 'boolean', bytes.length, '1');
      if ((bytes[0] as number) > 1)
        throw lwm2mError('LWM2M_ERR_VALUE', `${where}: a TLV boolean is 0 or 1, got ${bytes[0] as number}`);
      return { type: 'boolean', value: bytes[0] === 1 };
    case 'objlnk':
      if (bytes.length !== 4) return badLength(where, 'object link', bytes.length, '4');
      return { type: 'objlnk', value: { objectId: view(bytes).getUint16(0), instanceId: view(bytes).getUint16(2) } };
  }
}

function signedBytes(v: bigint): Uint8Array {
  const size =
    v >= -0x80n && v <= 0x7fn ? 1 : v >= -0x8000n && v <= 0x7fffn ? 2 : v >= -0x80000000n && v <= 0x7fffffffn ? 4 : 8;
  const out = new Uint8Array(size);
  const d = view(out);
  if (size === 1) d.setInt8(0, Number(v));
  else if (size === 2) d.setInt16(0, Number(v));
  else if (size === 4) d.setInt32(0, Number(v));
  else d.setBigInt64(0, v);
  return out;
}

function unsignedBytes(v: bigint): Uint8Array {
  const size = v <= 0xffn ? 1 : v <= 0xffffn ? 2 : v <= 0xffffffffn ? 4 : 8;
  const out = new Uint8Array(size);
  const d = view(out);
  if (size === 1) d.setUint8(0, Number(v));
  else if (size === 2) d.setUint16(0, Number(v));
  else if (size === 4) d.setUint32(0, Number(v));
  else d.setBigUint64(0, v);
  return out;
}

/** The TLV value bytes of a (checked) value: shortest integer, float32 when exact. */
export function valueToTlv(value: Lwm2mValue, where: string): Uint8Array {
  switch (value.type) {
    case 'opaque':
      return value.value;
    case 'string':
    case 'corelnk':
      return utf8Encode(value.value);
    case 'integer':
      return signedBytes(BigInt(value.value));
    case 'unsigned':
      return unsignedBytes(BigInt(value.value));
    case 'time':
      if (!Number.isInteger(value.value)) encodeFail(`${where}: TLV time is whole seconds, got ${value.value}`);
      return signedBytes(BigInt(value.value));
    case 'float': {
      const exact32 = Number.isNaN(value.value) || Math.fround(value.value) === value.value;
      const out = new Uint8Array(exact32 ? 4 : 8);
      if (exact32) view(out).setFloat32(0, value.value);
      else view(out).setFloat64(0, value.value);
      return out;
    }
    case 'boolean':
      return Uint8Array.of(value.value ? 1 : 0);
    case 'objlnk': {
      const out = new Uint8Array(4);
      view(out).setUint16(0, value.value.objectId);
      view(out).setUint16(2, value.value.instanceId);
      return out;
    }
  }
}
