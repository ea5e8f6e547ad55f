/**
 * Codec selection by CoAP content-format number, and the entry points the server core calls.
 * Every decode entry point returns nodes/records or throws a YiwangError with an LWM2M_ERR_*
 * code: codec bugs surface as LWM2M_ERR_INTERNAL instead of escaping as other exceptions.
 */
import { isYiwangError } from '../../../../../common/errors.js';
import { lwm2mError } from '../errors.js';
import { nodeToRecords, type Lwm2mNode, type Lwm2mRecord } from '../nodes.js';
import { DEFAULT_REGISTRY } from '../objects/index.js';
import type { ModelLookup } from '../objects/model.js';
import type { Lwm2mPath } from '../paths.js';
import { cborCodec } from './cbor.js';
import { lwm2mJsonCodec } from './lwm2m-json.js';
import { opaqueCodec } from './opaque.js';
import { senmlCborCodec } from './senml-cbor.js';
import { senmlJsonCodec } from './senml-json.js';
import { textCodec } from './text.js';
import { tlvCodec } from './tlv.js';
import type { Codec, CompositeCodec, EncodeRecordsOptions, RecordCodec } from './types.js';

export type { Codec, CompositeCodec, EncodeRecordsOptions, RecordCodec } from './types.js';

export const CONTENT_FORMAT = {
  TEXT: 0,
  LINK: 40,
  OPAQUE: 42,
  CBOR: 60,
  SENML_JSON: 110,
  SENML_CBOR: 112,
  OLD_TLV: 1542,
  OLD_JSON: 1543,
  TLV: 11542,
  JSON: 11543,
} as const;

/** Largest payload any decoder accepts (TLV's 24-bit length plus headroom): 16 MiB. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

const CODECS: readonly Codec[] = [
  textCodec,
  opaqueCodec,
  cborCodec,
  senmlJsonCodec,
  senmlCborCodec,
  tlvCodec,
  lwm2mJsonCodec,
];
const BY_FORMAT = new Map<number, Codec>(CODECS.flatMap((c) => c.formats.map((f) => [f, c] as const)));

export function isSupportedFormat(format: number): boolean {
  return BY_FORMAT.has(format);
}

/** The codec for a content format; LWM2M_ERR_FORMAT_UNSUPPORTED otherwise (also for 40, link format). */
export function codecFor(format: number): Codec {
  const codec = BY_FORMAT.get(format);
  if (!codec)
    throw lwm2mError(
      'LWM2M_ERR_FORMAT_UNSUPPORTED',
      `content format ${String(format)} is not supported by the LwM2M codecs`,
    );
  return codec;
}

function recordCodecFor(format: number): RecordCodec {
  const codec = codecFor(format);
  if (!('decodeRecords' in codec))
    throw lwm2mError(
      'LWM2M_ERR_FORMAT_UNSUPPORTED',
      `content format ${format} carries no record lists; use 110, 112 or 11543`,
    );
  return codec as RecordCodec;
}

function compositeCodecFor(format: number): CompositeCodec {
  const codec = codecFor(format);
  if (!('decodePaths' in codec))
    throw lwm2mError('LWM2M_ERR_FORMAT_UNSUPPORTED', `content format ${format} carries no path lists; use 110 or 112`);
  return codec as CompositeCodec;
}

/** Runs a decoder: size check first, then any non-coded exception becomes LWM2M_ERR_INTERNAL. */
function guarded<T>(format: number, bytes: Uint8Array, run: () => T): T {
  if (!(bytes instanceof Uint8Array)) throw lwm2mError('LWM2M_ERR_INTERNAL', 'payload must be a Uint8Array');
  if (bytes.length > MAX_PAYLOAD_BYTES) {
    throw lwm2mError('LWM2M_ERR_TOO_LARGE', `payload of ${bytes.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  }
  try {
    return run();
  } catch (e) {
    if (isYiwangError(e)) throw e;
    throw lwm2mError(
      'LWM2M_ERR_INTERNAL',
      `content format ${format}: ${e instanceof Error ? e.message : String(e)}`,
      e,
    );
  }
}

/** Decodes the node at `path` (the path of the request the payload answers). */
export function decodeNode(
  format: number,
  bytes: Uint8Array,
  path: Lwm2mPath,
  model: ModelLookup = DEFAULT_REGISTRY,
): Lwm2mNode {
  return guarded(format, bytes, () => codecFor(format).decode(bytes, path, model));
}

/** Encodes `node` (the node at `path`) for a Write, Create or a response. */
export function encodeNode(format: number, node: Lwm2mNode, path: Lwm2mPath): Uint8Array {
  return codecFor(format).encode(node, path);
}

/**
 * Leaf records of a payload: for SenML/LwM2M JSON all records with their times (Send,
 * Read-Composite, timestamped notifications); for the other formats the decoded node, flattened.
 */
export function decodeRecords(
  format: number,
  bytes: Uint8Array,
  path: Lwm2mPath,
  model: ModelLookup = DEFAULT_REGISTRY,
): Lwm2mRecord[] {
  return guarded(format, bytes, () => {
    const codec = codecFor(format);
    if ('decodeRecords' in codec) return (codec as RecordCodec).decodeRecords(bytes, path, model);
    return nodeToRecords(codec.decode(bytes, path, model), path);
  });
}

/** Encodes records (Write-Composite, test clients); SenML JSON/CBOR or LwM2M JSON only. */
export function encodeRecords(
  format: number,
  records: readonly Lwm2mRecord[],
  options?: EncodeRecordsOptions,
): Uint8Array {
  return recordCodecFor(format).encodeRecords(records, options);
}

/** Decodes a Read-Composite / Observe-Composite request body (SenML JSON/CBOR). */
export function decodePaths(format: number, bytes: Uint8Array): Lwm2mPath[] {
  return guarded(format, bytes, () => compositeCodecFor(format).decodePaths(bytes));
}

/** Encodes a Read-Composite / Observe-Composite request body (SenML JSON/CBOR). */
export function encodePaths(format: number, paths: readonly Lwm2mPath[]): Uint8Array {
  return compositeCodecFor(format).encodePaths(paths);
}
