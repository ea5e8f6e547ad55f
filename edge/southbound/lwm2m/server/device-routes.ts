/**
 * Where a device's request goes: Register, Update and De-register (/rd) to the registration
 * interface (registrar.ts), Send (/dp) to Information Reporting (reporting.ts), Bootstrap-Request
 * (/bs) to the bootstrap server (bootstrap.ts) when there is one. Before the registrar sees a
 * Register, Update or De-register, `admit` says whether the peer may act as that endpoint
 * (identity binding over DTLS, coap.nosec: dtls/identity-policy.ts); an Update or De-register is
 * checked as the endpoint that holds the registration. A request refused with a coded error is
 * answered with its CoAP code and a diagnostic `CODE: detail` (Max-Age when the device should
 * retry later), counted and logged a few lines a minute.
 */
import { isYiwangError, type YiwangError } from '../../../../common/errors.js';
import type { LogLimiter } from '../../../../common/log-limiter.js';
import { quote } from '../core/index.js';
import { uintBuffer, type WireReply, type WireRequest } from './exchange.js';
import { Lwm2mRefusal } from './errors.js';
import type { BootstrapServer } from './bootstrap.js';
import type { Registrar } from './registrar.js';
import type { Reporting } from './reporting.js';

/** Whether the peer at `address` may `what` ("register", "update", "de-register") as `endpoint`: a coded error (answered 4.03) when not. */
export type Admission = (endpoint: string, address: string, what: string) => YiwangError | undefined;

export interface DeviceRoutesDeps {
  registrar: Registrar;
  reporting: Reporting;
  bootstrap?: BootstrapServer;
  admit?: Admission;
  /** Refused device requests: counted by code, a few log lines per minute. */
  refusals: LogLimiter;
  /** Where refused requests are counted (the server's counters object). */
  counters: { rejected: number };
}

/** CoAP answer to a device request refused with a coded error. */
function coapCodeOf(err: YiwangError): string {
  if (err instanceof Lwm2mRefusal) return err.coapCode;
  return err.code === 'LWM2M_ERR_NOT_REGISTERED' ? '4.04' : err.code === 'EDGE_ERR_STORE' ? '5.03' : '4.00';
}

/** A refusal of `admit`, answered 4.03 (an identity acting as another device, or plain CoAP where nosec forbids it). */
class AdmissionRefused extends Error {
  constructor(readonly err: YiwangError) {
    super(err.message);
  }
}

const reply = (code: string, err?: YiwangError | string): WireReply =>
  err === undefined ? { code } : { code, payload: typeof err === 'string' ? err : `${err.code}: ${err.message}` };

export class DeviceRoutes {
  constructor(private readonly d: DeviceRoutesDeps) {}

  /** Throws when the peer may not act as `endpoint` (unknown endpoint: the registrar answers). */
  private admit(endpoint: string | undefined, req: WireRequest, what: string): void {
    if (endpoint === undefined || !this.d.admit) return;
    const denied = this.d.admit(endpoint, req.peer.address, what);
    if (denied) throw new AdmissionRefused(denied);
  }

  /** Answers one (reassembled) device request to /rd, /dp or /bs. */
  async handle(req: WireRequest): Promise<WireReply> {
    try {
      const [root, id, ...rest] = req.path;
      if (root === 'rd' && id === undefined && req.method === '0.02') {
        const ep = req.query.find((q) => q.startsWith('ep='))?.slice(3);
        this.admit(ep, req, 'register');
        return await this.d.registrar.register(req);
      }
      if (root === 'rd' && id !== undefined && rest.length === 0) {
        if (req.method === '0.02') {
          this.admit(this.d.registrar.endpointOf(id), req, 'update');
          return await this.d.registrar.update(id, req);
        }
        if (req.method === '0.04') {
          this.admit(this.d.registrar.endpointOf(id), req, 'de-register');
          return await this.d.registrar.deregister(id);
        }
      }
      if (root === 'dp' && id === undefined && req.method === '0.02') return await this.d.reporting.send(req);
      if (root === 'bs') {
        if (!this.d.bootstrap) return reply('4.04', 'no bootstrap server here (lwm2m.bootstrap is off)');
        return await this.d.bootstrap.handle(req);
      }
      return reply(
        root === 'rd' || root === 'dp' ? '4.05' : '4.04',
        `no ${req.method} on ${quote(`/${req.path.join('/')}`, 60)}`,
      );
    } catch (err) {
      // counted and logged by the identity policy
      if (err instanceof AdmissionRefused) return reply('4.03', err.err);
      if (!isYiwangError(err)) throw err;
      this.d.counters.rejected++;
      this.d.refusals.log(
        'warn',
        err.code,
        {
          code: err.code,
          peer: `${req.peer.address}:${req.peer.port}`,
          path: quote(`/${req.path.join('/')}`, 60),
          err: err.message,
        },
        'lwm2m request rejected',
      );
      const answer = reply(coapCodeOf(err), err);
      if (err instanceof Lwm2mRefusal && err.maxAgeS !== undefined)
        answer.options = [{ name: 'Max-Age', value: uintBuffer(err.maxAgeS) }];
      return answer;
    }
  }
}
