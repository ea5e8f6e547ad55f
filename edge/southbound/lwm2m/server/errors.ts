/**
 * Coded errors of the LwM2M server (registration, queue, device management). Documented in
 * docs/reference/errors.md ("LwM2M server"); the CoAP answer to a device carries `CODE: detail`.
 */
import { defineErrors, YiwangError } from '../../../../common/errors.js';

export const LWM2M_SERVER_ERRORS = defineErrors({
  LWM2M_ERR_REGISTRATION: {
    summary:
      'A Register or Update request is malformed (no or bad endpoint name, lifetime, binding, version or object links) or too large (endpoint name over lwm2m.max_endpoint_length, object links over lwm2m.max_link_bytes).',
    hint: 'The device gets 4.00 (4.13 when too large) with the reason; fix its LwM2M client settings (ep, lt, b, lwm2m). Other devices are not affected.',
  },
  LWM2M_ERR_NOT_REGISTERED: {
    summary:
      'An Update, De-register or Send names a registration the server does not have (expired, deleted or never made).',
    hint: 'The device gets 4.04 and must Register again; LwM2M clients do this by themselves.',
  },
  LWM2M_ERR_BLOCK: {
    summary:
      'A blockwise transfer failed: a Block1 upload out of order, too large or incomplete, or the further blocks of a large (Block2) notification could not be fetched.',
    hint: 'Uploads: the device gets 4.08 or 4.13 and should restart from block 0 (lwm2m.max_upload_bytes bounds them). Notifications: not acknowledged, so the device sends it again.',
  },
  LWM2M_ERR_REQUEST: {
    summary:
      'A device management request is invalid (unknown operation, bad path, value that does not fit the resource type).',
    hint: 'Fix the request body; docs/reference/lwm2m-server.md lists operations and value forms.',
  },
  LWM2M_ERR_OPERATION: {
    summary:
      'A Write or Execute was refused before it was queued: the object model does not allow the operation on the resource (a Write to a resource whose operations lack W, an Execute on one whose operations lack E).',
    hint: 'Check the resource in the object model (docs/reference/lwm2m-server.md); objects and resources the model does not know are not checked.',
  },
  LWM2M_ERR_UNKNOWN_DEVICE: {
    http: 404,
    summary: 'No device with this endpoint name has ever registered with this agent.',
    hint: 'Check the endpoint name (e.g. urn:imei:…); GET /v1/lwm2m/devices lists the known devices.',
  },
  LWM2M_ERR_QUEUE_FULL: {
    http: 429,
    summary: 'The downlink queue of the device holds the most open requests, or request bytes, allowed per device.',
    hint: 'Wait for the device to wake and drain its queue, or raise lwm2m.queue_max_per_device / lwm2m.queue_max_bytes_per_device.',
  },
  LWM2M_ERR_QUEUE_TOTAL: {
    http: 503,
    summary:
      'The downlink queues of all devices together hold the most open requests, or request bytes, allowed (lwm2m.queue_max_total, lwm2m.queue_max_total_bytes).',
    hint: 'Requests wait for sleeping devices; many devices that never wake (or a registration flood) fill the queues. Check GET /v1/lwm2m/devices for pending requests, wait for expiries, or raise the budget.',
  },
  LWM2M_ERR_OBSERVATIONS_FULL: {
    http: 429,
    summary:
      'An observation was refused: the device, or all devices together, hold the most observations allowed (lwm2m.max_observations_per_device, lwm2m.max_observations).',
    hint: 'Cancel observations that are no longer needed or raise the limit; a device whose observation was refused gets a Reset for its notifications and stops sending them.',
  },
  LWM2M_ERR_REGISTRATIONS_FULL: {
    summary:
      'A Register from a new endpoint was refused because the server holds the most registrations (lwm2m.max_registrations) or registration bytes (lwm2m.max_registrations_bytes) allowed and none is offline to make room.',
    hint: 'The device gets 5.03 with Max-Age and tries again later; devices already registered are not affected. Check for fake endpoints (GET /v1/lwm2m/devices) or raise the limits if the gateway really serves that many devices.',
  },
  LWM2M_ERR_RATE_LIMITED: {
    summary:
      'A Register from a new endpoint was refused because its source address registered too many new endpoints recently (lwm2m.new_endpoints_per_s, lwm2m.new_endpoints_burst).',
    hint: 'The device gets 4.29 with Max-Age and tries again later; registrations and updates of endpoints already known are never rate-limited. Raise the limits when many new devices share one NAT address.',
  },
  LWM2M_ERR_EXPIRED: {
    summary: 'A queued request was not delivered before its time to live ran out (the device did not wake in time).',
    hint: 'Check that the device still reports; resubmit with a longer ttl_ms if its wake interval is long.',
  },
  LWM2M_ERR_SUPERSEDED: {
    summary: 'A queued write was replaced by a later write to the same resource before it was sent (coalescing).',
    hint: 'Nothing to do: the later write carries the newest value; follow its request id.',
  },
  LWM2M_ERR_TIMEOUT: {
    summary: 'The device did not answer a request in time (asleep, out of coverage or gone).',
    hint: 'Queue-mode devices get the request again on their next wake, other devices at once, up to lwm2m.request_attempts sends (or until the request expires); check coverage and battery.',
  },
  LWM2M_ERR_DEVICE: {
    summary:
      'The device answered a request with a CoAP error (4.xx or 5.xx), e.g. 4.04 for an object it does not have.',
    hint: 'The message holds the CoAP code and diagnostic; compare the request with the objects the device registered.',
  },
  LWM2M_ERR_NOT_SUPPORTED: {
    summary:
      'A composite request (Read-Composite, Observe-Composite or their cancel: CoAP FETCH) to a device that does not support composite operations: it answered 4.05, 4.02, 5.01 or a Reset to one, so this one failed at once, and later ones fail without being sent until it registers again.',
    hint: 'Use single-path requests (read, observe) with this device; a firmware that supports LwM2M 1.1 composite operations is learnt again at its next Register.',
  },
  LWM2M_ERR_ADDRESS_TAKEN: {
    summary:
      'A queued request was not sent: another endpoint registered or updated from the address of this device (carrier NAT gave the address to another device), so the address no longer reaches it.',
    hint: 'Nothing to do: the request waits in the queue until the device registers or updates again from its own address (LwM2M clients update within their lifetime), or fails LWM2M_ERR_EXPIRED at its TTL; the counter addressTakenOver and a warning naming both endpoints show the takeover.',
  },
  LWM2M_ERR_BOOTSTRAP: {
    summary:
      'An LwM2M bootstrap failed or was refused: a Bootstrap-Request without an endpoint name (4.00), or a device that answered one of the bootstrap writes (Delete /0 and /1, Write /0/x and /1/0, Bootstrap-Finish) with an error or not at all.',
    hint: 'The device event (GET /v1/devices/<id>, events "bootstrap_failed") names the step and the answer; an LwM2M client retries its bootstrap by itself. Check that the device supports the content format it asked for (pct) and has room for a Security and a Server instance.',
  },
  LWM2M_ERR_BOOTSTRAP_BUSY: {
    summary:
      'A Bootstrap-Request was refused because lwm2m.bootstrap_max_concurrent bootstraps are in progress (a batch of devices powered on together, or a flood).',
    hint: 'The device gets 5.03 with Max-Age and asks again later; raise lwm2m.bootstrap_max_concurrent if many devices are installed at once.',
  },
  LWM2M_ERR_OBSERVATION: {
    summary:
      'A notification could not be turned into readings (undecodable payload) or the device ended an observation.',
    hint: 'The payload is logged (hex) with its content format; re-observe after fixing the device or its profile.',
  },
});

export type Lwm2mServerErrorCode = keyof typeof LWM2M_SERVER_ERRORS;

export function serverError(code: Lwm2mServerErrorCode, detail: string, cause?: unknown): YiwangError {
  return new YiwangError(code, detail, cause === undefined ? undefined : { cause });
}

/** A device request refused by a limit: answered with `coapCode` (and Max-Age when the device may retry later). */
export class Lwm2mRefusal extends YiwangError {
  constructor(
    code: Lwm2mServerErrorCode,
    detail: string,
    readonly coapCode: string,
    readonly maxAgeS?: number,
  ) {
    super(code, detail);
  }
}
