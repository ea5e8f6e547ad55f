/** application/octet-stream (content format 42): the raw bytes of one opaque resource. */
import { lwm2mError } from '../errors.js';
import type { Lwm2mNode } from '../nodes.js';
import type { ModelLookup } from '../objects/model.js';
import type { Lwm2mPath } from '../paths.js';
import { singleValueNode, singleValueOf, singleValueTarget } from './single.js';
import type { Codec } from './types.js';

export const opaqueCodec: Codec = {
  formats: [42],
  mediaType: 'application/octet-stream',
  decode(bytes: Uint8Array, path: Lwm2mPath, model: ModelLookup): Lwm2mNode {
    const type = singleValueTarget(path, model, 'application/octet-stream');
    if (type !== undefined && type !== 'opaque') {
      throw lwm2mError(
        'LWM2M_ERR_VALUE',
        `${path.toString()} is ${type}; application/octet-stream carries only opaque resources`,
      );
    }
    return singleValueNode(path, { type: 'opaque', value: Uint8Array.from(bytes) });
  },
  encode(node: Lwm2mNode, path: Lwm2mPath): Uint8Array {
    const value = singleValueOf(node, path, 'application/octet-stream');
    if (value.type !== 'opaque') {
      throw lwm2mError(
        'LWM2M_ERR_ENCODE',
        `application/octet-stream carries only opaque values; ${path.toString()} is ${value.type}`,
      );
    }
    return Uint8Array.from(value.value);
  },
};
