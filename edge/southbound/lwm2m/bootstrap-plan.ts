/**
 * What the gateway's bootstrap server writes into a device (issue 21 item 3; the server is
 * server/bootstrap.ts): the device's account, from the device registry and the lwm2m.bootstrap_*
 * config. Over DTLS with the device's bootstrap identity (the identity policy checks that), the
 * account is a PSK one: the device's own DTLS identity and key from the registry — made here
 * (16 random bytes, identity = the device id unless another key holds it) and sealed in the
 * registry before they are written to the device, so its next handshake finds them. Over plain
 * CoAP (coap.nosec = "open", a device without keys) it is a NoSec account. Lifetime and binding
 * come from the device's tags `lwm2m_lifetime_s` / `lwm2m_binding` when set, else the config.
 */
import { randomBytes } from 'node:crypto';
import { YiwangError } from '../../../common/errors.js';
import type { IdentityPolicy } from '../dtls/identity-policy.js';
import type { BootstrapPlan } from './server/bootstrap.js';
import type { Peer } from './server/exchange.js';

/** The device keys the plan reads and writes (edge/devices/device-keys.ts). */
export interface BootstrapKeys {
  /** Any key (device or bootstrap) holds this identity: the device, else undefined. */
  deviceOf(identity: string): string | undefined;
  /** The device's own DTLS identity, key (null: sealed under another gateway secret) — undefined when none. */
  deviceKey(deviceId: string): { identity: string; key: Buffer | null } | undefined;
  /** Sets the device's own DTLS key (sealed, committed before it returns). */
  setDeviceKey(deviceId: string, identity: string, key: Buffer): void;
}

export interface BootstrapPlanOptions {
  /** undefined: no identity policy (no DTLS, nosec "open"): anyone gets a NoSec account. */
  policy: IdentityPolicy | undefined;
  keys: BootstrapKeys;
  tagsOf(deviceId: string): Record<string, string> | undefined;
  /** lwm2m.bootstrap_server_uri ('' = derived from the coaps listener); PSK accounts only. */
  serverUri: string;
  /** coaps://host:port of the running coaps listener, undefined without one. */
  coapsUri(): string | undefined;
  /** coap://host:port of the plain CoAP port. */
  coapUri(): string | undefined;
  lifetimeS: number;
  binding: string;
  shortServerId: number;
}

const BINDINGS = new Set(['U', 'UQ']);

function planError(detail: string): YiwangError {
  return new YiwangError('LWM2M_ERR_BOOTSTRAP', detail);
}

/** The lifetime and binding of a device: its tags, else the defaults. */
function serverSettings(tags: Record<string, string> | undefined, o: BootstrapPlanOptions): [number, string] {
  let lifetimeS = o.lifetimeS;
  let binding = o.binding;
  const lt = tags?.lwm2m_lifetime_s;
  if (lt !== undefined) {
    if (!/^\d{1,9}$/.test(lt) || Number(lt) < 60)
      throw planError(`device tag lwm2m_lifetime_s = ${JSON.stringify(lt)} is not a lifetime of 60 s or more`);
    lifetimeS = Number(lt);
  }
  const b = tags?.lwm2m_binding;
  if (b !== undefined) {
    if (!BINDINGS.has(b)) throw planError(`device tag lwm2m_binding = ${JSON.stringify(b)} is not U or UQ`);
    binding = b;
  }
  return [lifetimeS, binding];
}

/** The device's own DTLS key, made now when it has none (or its stored one no longer opens). */
function deviceAccount(deviceId: string, keys: BootstrapKeys): { identity: string; key: Buffer } {
  const held = keys.deviceKey(deviceId);
  if (held?.key) return { identity: held.identity, key: held.key };
  let identity = held?.identity ?? deviceId;
  if (!/^[\x20-\x7e]{1,128}$/.test(identity) || (keys.deviceOf(identity) ?? deviceId) !== deviceId)
    identity = `${deviceId.slice(0, 100)}#${randomBytes(6).toString('hex')}`;
  const key = randomBytes(16);
  keys.setDeviceKey(deviceId, identity, key);
  return { identity, key };
}

/** The `plan` callback of the bootstrap server. */
export function bootstrapPlanner(o: BootstrapPlanOptions): (endpoint: string, peer: Peer) => Promise<BootstrapPlan> {
  return async (endpoint, peer) => {
    const verdict = o.policy ? o.policy.checkBootstrap(endpoint, peer.address) : { security: 'nosec' as const };
    if (verdict instanceof YiwangError) throw verdict;
    const [lifetimeS, binding] = serverSettings(o.tagsOf(endpoint), o);
    // lwm2m.bootstrap_server_uri names the coaps server; a NoSec account always gets the plain port
    const serverUri = verdict.security === 'psk' ? o.serverUri || o.coapsUri() : o.coapUri();
    if (!serverUri)
      throw planError(
        'no LwM2M Server URI to write: set lwm2m.bootstrap_server_uri, or coap.host to the address devices reach',
      );
    return {
      serverUri,
      security: verdict.security === 'psk' ? { mode: 'psk', ...deviceAccount(endpoint, o.keys) } : { mode: 'nosec' },
      shortServerId: o.shortServerId,
      lifetimeS,
      binding,
    };
  };
}
