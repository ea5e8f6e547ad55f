/** text/plain (content format 0): one value, in the text form of LwM2M 1.1 §7.4.1. */
import type { Lwm2mNode } from '../nodes.js';
import type { ModelLookup } from '../objects/model.js';
import type { Lwm2mPath } from '../paths.js';
import { singleValueNode, singleValueOf, singleValueTarget } from './single.js';
import type { Codec } from './types.js';
import { textToValue, utf8Decode, utf8Encode, valueToText } from './values.js';

export const textCodec: Codec = {
  formats: [0],
  mediaType: 'text/plain',
  decode(bytes: Uint8Array, path: Lwm2mPath, model: ModelLookup): Lwm2mNode {
    const type = singleValueTarget(path, model, 'text/plain');
    const text = utf8Decode(bytes, path.toString());
    return singleValueNode(path, textToValue(type, text, path.toString()));
  },
  encode(node: Lwm2mNode, path: Lwm2mPath): Uint8Array {
    return utf8Encode(valueToText(singleValueOf(node, path, 'text/plain')));
  },
};
