/**
 * Runs one device management request against a registered device and shapes its result:
 * Read / Read-Composite values as records, Discover links, Create's location, Observe's first
 * value (also stored as readings), device errors as LWM2M_ERR_DEVICE.
 */
import { isYiwangError } from '../../../../common/errors.js';
import { decodeRecords, parsePath, Lwm2mPath, type Lwm2mRecord, type ModelLookup } from '../core/index.js';
import type { DeviceRequester } from './exchange.js';
import type { ObservationTable } from './observations.js';
import type { Registration } from './registration.js';
import { toCoapCall, type CoapCall, type RequestResult, type RequestSpec } from './requests.js';
import { recordView } from './values.js';
import { serverError } from './errors.js';

export interface DmDeps {
  client: DeviceRequester;
  observations: ObservationTable;
  model: ModelLookup;
  /** Values that arrived with an Observe answer, to be stored as readings. */
  observed(endpoint: string, records: Lwm2mRecord[]): Promise<void>;
}

const fail = (code: string, message: string, coapCode?: string): RequestResult => ({
  ok: false,
  ...(coapCode ? { coapCode } : {}),
  error: { code, message },
});

export async function runRequest(reg: Registration, spec: RequestSpec, d: DmDeps): Promise<RequestResult> {
  let call: CoapCall;
  try {
    call = toCoapCall(spec, reg.contentFormat, d.model);
  } catch (e) {
    return fail(isYiwangError(e) ? e.code : 'LWM2M_ERR_REQUEST', (e as Error).message);
  }
  const composite = spec.op.endsWith('composite');
  const key = composite
    ? (spec.paths ?? []).map((p) => parsePath(p).toString()).join(',')
    : parsePath(spec.path!).toString();
  let token: Buffer | undefined;
  if (spec.op === 'observe' || spec.op === 'observe-composite') token = d.observations.newToken();
  if (spec.op === 'cancel-observe' || spec.op === 'cancel-observe-composite') {
    const o = d.observations.list(reg.endpoint).find((x) => x.key === key);
    if (!o) return fail('LWM2M_ERR_REQUEST', `no observation of ${key}`);
    token = Buffer.from(o.token, 'hex');
  }
  const answer = await d.client.send(reg.peer, reg.rootPath, call, token); // LWM2M_ERR_TIMEOUT propagates: the queue retries
  const coapCode = answer.code;
  if (!coapCode.startsWith('2.')) {
    if (spec.op.startsWith('cancel-observe')) await d.observations.remove(reg.endpoint, key);
    const diag = answer.payload.length ? `: ${answer.payload.subarray(0, 200).toString('utf8')}` : '';
    return fail('LWM2M_ERR_DEVICE', `${reg.endpoint} answered ${coapCode}${diag}`, coapCode);
  }
  const cf = answer.contentFormat ?? reg.contentFormat;
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
        await d.observations.established(reg.endpoint, key, composite, token!);
        if (records.length) await d.observed(reg.endpoint, records);
        return { ok: true, coapCode, records: records.map(recordView) };
      }
      case 'cancel-observe':
      case 'cancel-observe-composite':
        await d.observations.remove(reg.endpoint, key);
        return { ok: true, coapCode };
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
