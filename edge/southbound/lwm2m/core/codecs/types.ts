/** The shape every content-format codec has; index.ts picks one by content-format number. */
import type { Lwm2mNode, Lwm2mRecord } from '../nodes.js';
import type { ModelLookup } from '../objects/model.js';
import type { Lwm2mPath } from '../paths.js';

export interface Codec {
  /** CoAP content-format numbers this codec answers to (e.g. [11542, 1542]). */
  readonly formats: readonly number[];
  readonly mediaType: string;
  /** Decodes the node at `path` (the request path). */
  decode(bytes: Uint8Array, path: Lwm2mPath, model: ModelLookup): Lwm2mNode;
  /** Encodes `node`, which must be the node at `path`. */
  encode(node: Lwm2mNode, path: Lwm2mPath): Uint8Array;
}

export interface EncodeRecordsOptions {
  /** Path the records are relative to (`bn`); none for composite payloads (full names). */
  readonly basePath?: Lwm2mPath;
  /** Written as `bt`; each record's `t` is then its time minus this (as LwM2M clients do). */
  readonly baseTime?: number;
}

/** Formats that carry flat, optionally timestamped records (SenML JSON/CBOR, LwM2M JSON). */
export interface RecordCodec extends Codec {
  /** Every record of the payload (names resolved against bn, times as bt + t), all under `path`. */
  decodeRecords(bytes: Uint8Array, path: Lwm2mPath, model: ModelLookup): Lwm2mRecord[];
  encodeRecords(records: readonly Lwm2mRecord[], options?: EncodeRecordsOptions): Uint8Array;
}

/** SenML formats also carry bare path lists (Read-Composite / Observe-Composite requests). */
export interface CompositeCodec extends RecordCodec {
  decodePaths(bytes: Uint8Array): Lwm2mPath[];
  encodePaths(paths: readonly Lwm2mPath[]): Uint8Array;
}
