/**
 * The declarative binary layout engine: vendor payloads ⇄ named values, pure and I/O-free.
 * The spec language is documented in docs/reference/layout.md.
 */
export type { Decoded, Layout, LayoutValue, LayoutValues } from './types.js';
export { compileLayout } from './compile.js';
export { decodePayload } from './decode.js';
export { encodePayload } from './encode.js';
export { explainPayload, type Explanation, type FieldExplanation } from './explain.js';
export { CHECKSUMS, type ChecksumAlgorithm } from './checksums.js';
export { LAYOUT_ERRORS } from './errors.js';
