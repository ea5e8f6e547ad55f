/**
 * The one codec shape of the record formats (SenML JSON 110, SenML CBOR 112, LwM2M JSON 11543):
 * they differ only in syntax — bytes to raw records and packed fields to bytes — while name and
 * time resolution, typing by the object model and packing are shared (senml-common.ts).
 */
import { nodeToRecords, recordsToNode, type Lwm2mNode, type Lwm2mRecord } from '../nodes.js';
import type { ModelLookup } from '../objects/model.js';
import type { Lwm2mPath } from '../paths.js';
import { packPaths, packRecords, resolvePaths, resolveRecords, type OutField, type RawRecord } from './senml-common.js';
import type { CompositeCodec, EncodeRecordsOptions, RecordCodec } from './types.js';

/** A record format's syntax. */
export interface PackSyntax {
  readonly formats: readonly number[];
  readonly mediaType: string;
  /** Bytes → records after syntax checks (throws coded errors). */
  read(bytes: Uint8Array): RawRecord[];
  write(pack: readonly OutField[][]): Uint8Array;
  /** String values of opaque resources are base64 (LwM2M JSON puts opaque into `sv`). */
  readonly base64Strings?: boolean;
}

export function recordCodec(s: PackSyntax): RecordCodec {
  const b64 = s.base64Strings ?? false;
  return {
    formats: s.formats,
    mediaType: s.mediaType,
    decode(bytes: Uint8Array, path: Lwm2mPath, model: ModelLookup): Lwm2mNode {
      return recordsToNode(resolveRecords(s.read(bytes), path, model, b64), path, model);
    },
    encode(node: Lwm2mNode, path: Lwm2mPath): Uint8Array {
      return s.write(packRecords(nodeToRecords(node, path), { basePath: path }));
    },
    decodeRecords(bytes: Uint8Array, path: Lwm2mPath, model: ModelLookup): Lwm2mRecord[] {
      return resolveRecords(s.read(bytes), path, model, b64);
    },
    encodeRecords(records: readonly Lwm2mRecord[], options?: EncodeRecordsOptions): Uint8Array {
      return s.write(packRecords(records, options));
    },
  };
}

/** SenML formats also carry the bare path lists of Read-Composite and Observe-Composite. */
export function compositeCodec(s: PackSyntax): CompositeCodec {
  return {
    ...recordCodec(s),
    decodePaths: (bytes: Uint8Array): Lwm2mPath[] => resolvePaths(s.read(bytes)),
    encodePaths: (paths: readonly Lwm2mPath[]): Uint8Array => s.write(packPaths(paths)),
  };
}
