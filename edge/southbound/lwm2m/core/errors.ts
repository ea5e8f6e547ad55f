/**
 * Coded errors of the I/O-free LwM2M core (paths, object model, codecs). Every decoder turns
 * malformed device input into one of these; nothing else may escape a decode call.
 * Documented in docs/reference/errors.md ("LwM2M core").
 */
import { defineErrors, YiwangError } from '../../../../common/errors.js';

export const LWM2M_ERRORS = defineErrors({
  LWM2M_ERR_PATH: {
    summary: 'An LwM2M path is malformed (expected /object[/instance[/resource[/resource-instance]]], ids 0-65535).',
    hint: 'Use paths such as /3/0/1 or /3/0/11/2: decimal ids without leading zeros, at most four levels.',
  },
  LWM2M_ERR_FORMAT_UNSUPPORTED: {
    summary: 'The CoAP content format number is not one the LwM2M core can encode or decode.',
    hint: 'Use 0, 42, 60, 110, 112, 1542, 1543, 11542 or 11543; docs/reference/lwm2m-codecs.md lists them.',
  },
  LWM2M_ERR_FORMAT_LEVEL: {
    summary: 'The content format cannot carry a node at this path level (e.g. text/plain for an object instance).',
    hint: 'Pick a format that fits the path: text/opaque/CBOR for one value, TLV/SenML/JSON for instances and objects.',
  },
  LWM2M_ERR_TLV: {
    summary: 'A TLV payload is malformed: truncated header or value, bad length, or bad nesting.',
    hint: 'The device sent broken TLV; capture the payload (hex) and check its firmware, or ask it for SenML instead.',
  },
  LWM2M_ERR_CBOR: {
    summary: 'A CBOR payload is malformed, too deeply nested, or uses CBOR features LwM2M does not allow.',
    hint: 'Capture the payload (hex) and check it with a CBOR diagnostic tool; only definite text strings and tags 0/1 are accepted.',
  },
  LWM2M_ERR_JSON: {
    summary: 'A JSON payload (SenML JSON or LwM2M JSON) is not valid UTF-8 JSON.',
    hint: 'Capture the payload and validate it; the message gives the parser error.',
  },
  LWM2M_ERR_SENML: {
    summary:
      'A SenML or LwM2M JSON pack is valid syntax but not a valid pack (wrong field types, no name, two values in one record).',
    hint: 'Each record needs a name (bn+n) that is an LwM2M path and exactly one value field of the right JSON/CBOR type.',
  },
  LWM2M_ERR_VALUE: {
    summary:
      'A value cannot be read as its resource type (bad integer length, boolean not 0/1, bad UTF-8 or base64, out of range).',
    hint: 'Compare the device payload with the object model (edge/southbound/lwm2m/core/objects) or add a device profile that fixes the type.',
  },
  LWM2M_ERR_STRUCTURE: {
    summary:
      'The payload does not match the request path or the object model (other ids, single vs multiple resource, wrong level).',
    hint: 'Check that the device answered the path that was asked and that the object model matches its firmware.',
  },
  LWM2M_ERR_DUPLICATE: {
    summary: 'The same instance, resource or resource instance appears twice in one payload.',
    hint: 'The device sent an ambiguous payload; report it to the vendor. Timestamped series must be decoded as records.',
  },
  LWM2M_ERR_TOO_LARGE: {
    summary: 'A payload or value exceeds a limit of the LwM2M core (payload size, TLV 24-bit length).',
    hint: 'Split the transfer or raise the limit deliberately; docs/reference/lwm2m-codecs.md lists the limits.',
  },
  LWM2M_ERR_ENCODE: {
    summary: 'A node or value cannot be encoded (value does not fit its type, node id does not match the path).',
    hint: 'Fix the value given by the caller; the message names the path and the expected type.',
  },
  LWM2M_ERR_MODEL: {
    summary:
      'An object model definition is invalid (a DDF XML file that is too large, not well-formed, or has duplicate or out-of-range ids, unknown types or operations); the whole file is refused.',
    hint: 'Fix the DDF file (or definition) named in the message, or remove it from lwm2m.object_dirs; docs/reference/lwm2m-server.md ("Object model") lists the checks.',
  },
  LWM2M_ERR_LINK: {
    summary:
      'A CoRE Link Format payload (content format 40: registration object links, Discover answers) is malformed.',
    hint: 'Links look like </3/0>;ver=1.1 separated by commas; the message names the link. Check the device firmware.',
  },
  LWM2M_ERR_INTERNAL: {
    summary: 'A codec failed in an unexpected way on this input (a bug in the LwM2M core, not in the device).',
    hint: 'Report it with the payload (hex), the content format and the path; the cause is logged with the error.',
  },
});

export type Lwm2mErrorCode = keyof typeof LWM2M_ERRORS;

/**
 * A peer's text for a diagnostic: quoted, at most `max` characters of it, every control character
 * (C0, DEL, C1) escaped, so an answer or a log line never carries a device's control bytes.
 */
export function quote(s: string, max = 40): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Creates a coded LwM2M error; `detail` says what happened this time. */
export function lwm2mError(code: Lwm2mErrorCode, detail: string, cause?: unknown): YiwangError {
  return new YiwangError(code, detail, cause === undefined ? undefined : { cause });
}
