/** Coded errors of the declarative binary layout engine (docs/reference/errors.md, "Device profiles: binary layout"). */
import { defineErrors } from '../../../common/errors.js';

export const LAYOUT_ERRORS = defineErrors({
  PROFILE_ERR_LAYOUT: {
    summary: 'A profile layout (the [layout] table or a message/record in it) is not a valid layout specification.',
    hint: 'Fix the key named in the message (file, table and key path); docs/reference/layout.md describes every key with examples.',
  },
  PROFILE_ERR_LENGTH: {
    summary:
      'A payload is shorter or longer than its layout allows, or ends in the middle of a field or record, or a length byte disagrees with the payload.',
    hint: 'Check the device firmware against the profile: the message names the expected and actual byte counts.',
  },
  PROFILE_ERR_CHECKSUM: {
    summary: 'A payload checksum or CRC does not match the bytes it covers.',
    hint: "Usually a corrupted frame; the message gives the bytes the layout expects, in the frame's order. For a test vector, `yiwang-edge profile checksum <profile> <hex>` prints the frame with them. If every frame fails, check the checksum type, range and byte order (endian) in the layout.",
  },
  PROFILE_ERR_MESSAGE_TYPE: {
    summary:
      'The message-type field (or a record tag) holds a value that no message (record) of the layout handles, or an encoder was asked for an unknown type.',
    hint: 'Add a message for that value under [layout.messages] (or [layout.records]), or pass a type name the layout defines.',
  },
  PROFILE_ERR_RANGE: {
    summary:
      'A decoded or encoded value is outside its valid range (min/max), not a finite number, or not printable text.',
    hint: 'Check the sensor, or widen min/max in the layout if the device really reports such values.',
  },
  PROFILE_ERR_CONST: {
    summary:
      'A fixed field (start byte, protocol version, command byte) does not hold the value the layout declares with const.',
    hint: 'The payload is from another device or firmware version; match it to the right profile or correct const.',
  },
  PROFILE_ERR_ENUM: {
    summary:
      'A field with an enum table holds a raw value that has no name in the table (or an encoder was given an unknown name).',
    hint: "Add the value to the field's enum table (newer firmware may report new states).",
  },
  PROFILE_ERR_BCD: {
    summary: 'A BCD field holds a nibble above 9.',
    hint: 'Check the field offset and byte order (reverse); meters that send FF bytes for "no reading" need no_value.',
  },
  PROFILE_ERR_ENCODE: {
    summary: 'Values given to the layout encoder are missing, of the wrong type, unknown, or do not fit the field.',
    hint: 'The message names the value; pass every field the message needs, with numbers that fit its type after scale and offset.',
  },
});
