/**
 * What a CONNECT may ask for, checked before the broker keeps anything for the client
 * (docs/reference/topics.md, "Rules"). Aedes authorizes a will only when it fires, so a will is
 * judged here, at connect time. Pure functions, tested directly.
 * - Sessions are clean: the broker keeps no session state (queued messages, subscriptions) for
 *   anyone; gateways resend by themselves and get their config again at each connect.
 * - A gateway's will may only be its own retained state topic (Presence), at most QoS 1, small.
 * - A provisioning session has no will.
 */
import { topics } from '../../proto/topics.js';

/** Largest will payload (a Presence is a few dozen bytes). */
export const MAX_WILL_BYTES = 1024;
/** Largest payload on a gateway's retained state topic (the broker keeps one per gateway). */
export const MAX_STATE_BYTES = 1024;

export interface WillFacts {
  topic: string;
  payload: Buffer | string;
  qos: number;
  retain: boolean;
}
export interface ConnectFacts {
  clientId: string;
  clean: boolean;
  will: WillFacts | null | undefined;
}
export interface ConnectRefusal {
  code: 'CLOUD_ERR_PERSISTENT_SESSION' | 'CLOUD_ERR_WILL_REFUSED';
  reason: string;
  /** CONNACK return code: 2 identifier rejected, 5 not authorized. */
  rc: 2 | 5;
}

function sessionRefusal(f: ConnectFacts): ConnectRefusal | undefined {
  if (f.clean) return undefined;
  return {
    code: 'CLOUD_ERR_PERSISTENT_SESSION',
    reason: `client ${f.clientId} asked for a persistent session (clean session 0); the broker keeps no session state`,
    rc: 2,
  };
}

/** Why a gateway's CONNECT is refused, or undefined. */
export function gatewayConnectRefusal(gatewayId: string, f: ConnectFacts): ConnectRefusal | undefined {
  const s = sessionRefusal(f);
  if (s) return s;
  const w = f.will;
  if (!w) return undefined;
  const size = Buffer.byteLength(w.payload);
  if (w.topic !== topics.state(gatewayId))
    return {
      code: 'CLOUD_ERR_WILL_REFUSED',
      reason: `will topic ${JSON.stringify(w.topic.slice(0, 200))} is not the gateway's state topic ${topics.state(gatewayId)}`,
      rc: 5,
    };
  if (w.qos > 1) return { code: 'CLOUD_ERR_WILL_REFUSED', reason: `will QoS ${w.qos}: at most 1`, rc: 5 };
  if (size > MAX_WILL_BYTES)
    return {
      code: 'CLOUD_ERR_WILL_REFUSED',
      reason: `will payload of ${size} bytes: at most ${MAX_WILL_BYTES}`,
      rc: 5,
    };
  return undefined;
}

/** Why a provisioning session's CONNECT is refused, or undefined. */
export function provConnectRefusal(f: ConnectFacts): ConnectRefusal | undefined {
  const s = sessionRefusal(f);
  if (s) return s;
  if (f.will) return { code: 'CLOUD_ERR_WILL_REFUSED', reason: 'a provisioning session may not have a will', rc: 5 };
  return undefined;
}
