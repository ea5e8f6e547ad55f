/**
 * Identity binding on the agent's CoAP endpoint (issue 21): who may post an uplink or register an
 * LwM2M endpoint for a device id. A peer that came over DTLS (a virtual peer, coaps-listener.ts)
 * acts only as the device its PSK identity belongs to; a plain peer is subject to coap.nosec:
 *  - "open": as before DTLS, anyone may post and register as anyone;
 *  - "known-devices": only devices in the registry that have no PSK (a keyed device must use coaps);
 *  - "off": every plain uplink and Register is refused (the plain port stays bound, as it is the
 *    socket the coaps side is fed into, but nothing gets in through it).
 * A bootstrap identity (an LwM2M bootstrap key, psk-directory.ts PskRole) acts as nobody: it may
 * only ask for its own device's bootstrap (`checkBootstrap`), which a device's own identity may not.
 * Plain CoAP may ask for a bootstrap only under nosec "open", for a device without keys (it then
 * gets a NoSec account: no key ever crosses plain CoAP).
 * Refusals are coded errors (DTLS_ERR_IDENTITY_MISMATCH, DTLS_ERR_NOSEC_REFUSED), answered 4.03 by
 * the callers, counted here.
 */
import { YiwangError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import { LogLimiter } from '../../../common/log-limiter.js';
import type { PskDirectory } from './psk-directory.js';

export const NOSEC_MODES = ['off', 'known-devices', 'open'] as const;
export type NosecMode = (typeof NOSEC_MODES)[number];

export interface IdentityPolicyOptions {
  nosec: NosecMode;
  directory: PskDirectory | undefined;
  /** The PSK identity behind a peer address (a DTLS session), undefined for a plain peer. */
  identityOf(address: string): string | undefined;
  /** The device is in the device registry. */
  isKnownDevice(deviceId: string): boolean;
  /** Where refused registrations are logged, rate-limited (uplink refusals are logged by the uplink server). */
  log?: Logger;
  logPerMinute?: number;
}

export interface IdentityRefusals {
  /** A DTLS peer acting as another device. */
  identityMismatch: number;
  /** Plain uplinks and registrations refused by coap.nosec. */
  nosec: number;
}

export class IdentityPolicy {
  readonly refused: IdentityRefusals = { identityMismatch: 0, nosec: 0 };
  private readonly limited: LogLimiter | undefined;

  constructor(private readonly opts: IdentityPolicyOptions) {
    this.limited = opts.log
      ? new LogLimiter(opts.log.child({ component: 'coaps' }), {
          what: 'lwm2m registrations refused',
          perWindow: opts.logPerMinute ?? 10,
        })
      : undefined;
    if (opts.nosec === 'known-devices' && opts.directory && typeof opts.directory.deviceHasKey !== 'function')
      throw new YiwangError(
        'CONFIG_ERR_INVALID',
        'coap.nosec = "known-devices" needs a PSK directory that can tell keyed devices (deviceHasKey)',
      );
  }

  get nosec(): NosecMode {
    return this.opts.nosec;
  }

  /**
   * Why the peer at `address` may not act as `deviceId` (`what`: "post", "register", "update",
   * "de-register", for the message), or undefined when it may.
   */
  check(deviceId: string, address: string, what: string): YiwangError | undefined {
    const err = this.verdict(deviceId, address, what);
    if (err && what !== 'post')
      this.limited?.log(
        'warn',
        err.code,
        { code: err.code, peer: address, err: err.message },
        'lwm2m register refused',
      );
    return err;
  }

  /** Stops the log limiter's summary timer. */
  close(): void {
    this.limited?.close();
  }

  /**
   * How the peer at `address` may ask for the LwM2M bootstrap of `deviceId`: 'psk' over DTLS with
   * the device's bootstrap identity, 'nosec' over plain CoAP (nosec "open", a device without
   * keys); else a coded error (logged, counted).
   */
  checkBootstrap(deviceId: string, address: string): { security: 'psk' | 'nosec'; identity?: string } | YiwangError {
    const v = this.bootstrapVerdict(deviceId, address);
    if (v instanceof YiwangError)
      this.limited?.log('warn', v.code, { code: v.code, peer: address, err: v.message }, 'lwm2m bootstrap refused');
    return v;
  }

  private bootstrapVerdict(
    deviceId: string,
    address: string,
  ): { security: 'psk' | 'nosec'; identity?: string } | YiwangError {
    const identity = this.opts.identityOf(address);
    if (identity !== undefined) {
      const own = this.opts.directory?.deviceOf(identity);
      const role = this.opts.directory?.roleOf?.(identity) ?? 'device';
      if (own === deviceId && role === 'bootstrap') return { security: 'psk', identity };
      this.refused.identityMismatch++;
      return new YiwangError(
        'DTLS_ERR_IDENTITY_MISMATCH',
        own === undefined
          ? `PSK identity ${JSON.stringify(identity)} belongs to no device any more`
          : own !== deviceId
            ? `PSK identity ${JSON.stringify(identity)} is a key of device ${own}: it may not bootstrap ${deviceId}`
            : `PSK identity ${JSON.stringify(identity)} is ${deviceId}'s own key, not its bootstrap key: bootstrap with the bootstrap key`,
      );
    }
    let why: string | undefined;
    if (this.opts.nosec !== 'open')
      why = `a bootstrap over plain CoAP needs coap.nosec = "open" (it is "${this.opts.nosec}"): use coaps with the bootstrap key`;
    else if (this.opts.directory?.deviceHasKey?.(deviceId)) why = `device ${deviceId} has keys: it must use coaps`;
    if (why === undefined) return { security: 'nosec' };
    this.refused.nosec++;
    return new YiwangError('DTLS_ERR_NOSEC_REFUSED', `may not bootstrap ${deviceId} over plain CoAP: ${why}`);
  }

  private verdict(deviceId: string, address: string, what: string): YiwangError | undefined {
    const identity = this.opts.identityOf(address);
    if (identity !== undefined) {
      const own = this.opts.directory?.deviceOf(identity);
      if (own === deviceId && (this.opts.directory?.roleOf?.(identity) ?? 'device') === 'bootstrap') {
        this.refused.identityMismatch++;
        return new YiwangError(
          'DTLS_ERR_IDENTITY_MISMATCH',
          `PSK identity ${JSON.stringify(identity)} is ${deviceId}'s bootstrap key: it may only ask for its bootstrap (/bs), not ${what}`,
        );
      }
      if (own === deviceId) return undefined;
      this.refused.identityMismatch++;
      return new YiwangError(
        'DTLS_ERR_IDENTITY_MISMATCH',
        own === undefined
          ? `PSK identity ${JSON.stringify(identity)} belongs to no device any more`
          : `PSK identity ${JSON.stringify(identity)} is device ${own}: it may not ${what} as ${deviceId}`,
      );
    }
    const nosec = this.opts.nosec;
    if (nosec === 'open') return undefined;
    let why: string | undefined;
    if (nosec === 'off') why = 'plain CoAP is off (coap.nosec = "off"): use coaps';
    else if (this.opts.directory?.deviceHasKey?.(deviceId)) why = `device ${deviceId} has a PSK: it must use coaps`;
    else if (!this.opts.isKnownDevice(deviceId))
      why = `device ${deviceId} is not in the device registry (coap.nosec = "known-devices")`;
    if (why === undefined) return undefined;
    this.refused.nosec++;
    return new YiwangError('DTLS_ERR_NOSEC_REFUSED', `may not ${what} as ${deviceId} over plain CoAP: ${why}`);
  }
}
