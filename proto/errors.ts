import { defineErrors } from '../common/errors.js';

export const WIRE_ERRORS = defineErrors({
  WIRE_ERR_DECODE: { summary: 'A protobuf message (or its compressed body) could not be decoded.', hint: 'The sender wrote bytes that are not a yiwang.v1 message; check its agent version and proto/yiwang.proto.' },
  WIRE_ERR_INVALID: { summary: 'A message decoded but breaks the contract (missing key, inconsistent columns, unknown enum value).', hint: 'The message text names the field; upgrade the cloud before the edges when the contract grows.' },
});
