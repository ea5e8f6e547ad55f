/**
 * Runs one device management request against a registered device and shapes its result:
 * Read / Read-Composite values as records, Discover links, Create's location, the value of an
 * Observe's or a cancel's answer (also stored as readings), device errors as LWM2M_ERR_DEVICE.
 *
 * A device that answers a composite request (FETCH: Read-Composite, Observe-Composite and their
 * cancel) with 4.05 Method Not Allowed, 4.02 Bad Option or 5.01 Not Implemented does not support
 * composite operations: its registration is marked (until it registers again), the request fails
 * LWM2M_ERR_NOT_SUPPORTED at once, and later composite requests fail so without being sent.
 * A request to a registration whose address another endpoint took is not sent (LWM2M_ERR_ADDRESS_TAKEN):
 * it waits in the queue for the device's next Register or Update.
 */
import { isYiwangError } from '../../../../common/errors.js';
import { decodeRecords, parsePath, Lwm2mPath, type Lwm2mRecord, type ModelLookup } from '../core/index.js';
import { RESET_ANSWER, type DeviceRequester } from './exchange.js';
import type { ObservationTable } from './observations.js';
import type { Registration } from './registration.js';
import { toCoapCall, type CoapCall, type RequestResult, type RequestSpec } from './requests.js';
import { recordView } from './values.js';
import { serverError } from './errors.js';
import { DeviceTimeout } from './queue.js';

export interface DmDeps {
  client: DeviceRequester;
  observations: ObservationTable;
  model: ModelLookup;
  /** Values that arrived with an Observe answer, to be stored as readings. */
  observed(endpoint: string, records: Lwm2mRecord[]): Promise<void>;
}

/**
 * Answers to a composite request (FETCH, RFC 8132) that mean the device has no composite
 * operations: 4.05 Method Not Allowed (RFC 7252 §5.9.2.6), 4.02 Bad Option (§5.9.2.3: a client
 * that does not know FETCH may reject its options), 5.01 Not Implemented (§5.9.3.2), or a Reset
 * (§4.2: it could not process the request at all).
 */
export const COMPOSITE_UNSUPPORTED_CODES: ReadonlySet<string> = new Set(['4.05', '4.02', '5.01', RESET_ANSWER]);

const fail = (code: string, message: string, coapCode?: string): RequestResult => ({
  ok: false,
  ...(coapCode ? { coapCode } : {}),
  error: { code, message },
});

export async function runRequest(reg: Registration, spec: RequestSpec, d: DmDeps): Promise<RequestResult> {
  if (reg.addressLost)
    throw serverError(
      'LWM2M_ERR_ADDRESS_TAKEN',
      `another endpoint registered from ${reg.peer.address}:${reg.peer.port}, the address of ${reg.endpoint}: not sent until ${reg.endpoint} registers or updates again`,
    );
  const composite = spec.op.endsWith('composite');
  if (composite && reg.noComposite)
    return fail(
      'LWM2M_ERR_NOT_SUPPORTED',
      `${reg.endpoint} does not support composite operations (it refused an earlier FETCH); not sent`,
    );
  const cancel = spec.op === 'cancel-observe' || spec.op === 'cancel-observe-composite';
  let call: CoapCall;
  let key: string;
  let token: Buffer | undefined;
  try {
    key = composite
      ? (spec.paths ?? []).map((p) => parsePath(p).toString()).join(',')
      : parsePath(spec.path!).toString();
    // A cancel (GET with Observe=1, RFC 7641 §3.6) goes with the observation's token and asks for
    // the observation's own content format; its answer is a representation like any read.
    const o = cancel ? d.observations.list(reg.endpoint).find((x) => x.key === key) : undefined;
    if (cancel && !o) return fail('LWM2M_ERR_REQUEST', `no observation of ${key}`);
    call = toCoapCall(spec, o?.format ?? reg.contentFormat, d.model);
    if (o) token = Buffer.from(o.token, 'hex');
  } catch (e) {
    return fail(isYiwangError(e) ? e.code : 'LWM2M_ERR_REQUEST', (e as Error).message);
  }
  if (spec.op === 'observe' || spec.op === 'observe-composite') token = d.observations.newToken();
  const answer = await d.client.send(reg.peer, reg.rootPath, call, token).catch((err: unknown) => {
    // no answer: the queue keeps the request for the next wake of a queue-mode device, sends it again now otherwise
    if (isYiwangError(err, 'LWM2M_ERR_TIMEOUT')) throw new DeviceTimeout(err.message, reg.queueMode, err);
    throw err;
  });
  const coapCode = answer.code;
  if (composite && COMPOSITE_UNSUPPORTED_CODES.has(coapCode)) {
    reg.noComposite = true;
    if (cancel) await d.observations.remove(reg.endpoint, key);
    return fail(
      'LWM2M_ERR_NOT_SUPPORTED',
      `${reg.endpoint} answered ${coapCode} to ${call.method}: it does not support composite operations (Read-Composite, Observe-Composite); later ones fail without being sent until it registers again`,
      coapCode,
    );
  }
  if (!coapCode.startsWith('2.')) {
    if (spec.op.startsWith('cancel-observe')) await d.observations.remove(reg.endpoint, key);
    const diag = answer.payload.length ? `: ${answer.payload.subarray(0, 200).toString('utf8')}` : '';
    return fail('LWM2M_ERR_DEVICE', `${reg.endpoint} answered ${coapCode}${diag}`, coapCode);
  }
  const cf = answer.contentFormat ?? call.accept ?? reg.contentFormat;
  const decode = (): Lwm2mRecord[] => {
    if (answer.payload.length === 0) return [];
    return decodeRecords(cf, answer.payload, composite ? Lwm2mPath.ROOT : parsePath(spec.path!), d.model);
  };
  try {
    switch (spec.op) {
      case 'read':
      case 'read-composite':
        return { ok: true, coapCode, records: decode().map(recordView) };
      case 'observe':
      case 'observe-composite': {
        const records = decode();
        await d.observations.established(reg.endpoint, key, composite, token!, answer.contentFormat ?? call.accept);
        if (records.length) await d.observed(reg.endpoint, records);
        return { ok: true, coapCode, records: records.map(recordView) };
      }
      case 'cancel-observe':
      case 'cancel-observe-composite': {
        await d.observations.remove(reg.endpoint, key); // cancelled whatever the answer carries
        const records = decode();
        if (records.length) await d.observed(reg.endpoint, records);
        return { ok: true, coapCode, records: records.map(recordView) };
      }
      case 'discover':
        return { ok: true, coapCode, links: answer.payload.toString('utf8') };
      case 'create':
        return {
          ok: true,
          coapCode,
          ...(answer.locationPath.length ? { location: `/${answer.locationPath.join('/')}` } : {}),
        };
      default:
        return { ok: true, coapCode };
    }
  } catch (e) {
    if (isYiwangError(e)) return fail(e.code, e.message, coapCode);
    throw serverError('LWM2M_ERR_DEVICE', `answer of ${reg.endpoint} not understood: ${(e as Error).message}`, e);
  }
}
