/**
 * The MQTT topic tree (docs/reference/topics.md). Everything lives under one versioned prefix;
 * a gateway owns yw/v1/gw/{gatewayId}/… and nothing else.
 */
export const TOPIC_PREFIX = 'yw/v1';

export type UpKind = 'batch' | 'health' | 'config-status' | 'cmd-result';
export type DownKind = 'ack' | 'config' | 'cmd';

export const topics = {
  gatewayRoot: (gw: string): string => `${TOPIC_PREFIX}/gw/${gw}`,
  up: (gw: string, kind: UpKind): string => `${TOPIC_PREFIX}/gw/${gw}/up/${kind}`,
  down: (gw: string, kind: DownKind): string => `${TOPIC_PREFIX}/gw/${gw}/down/${kind}`,
  /** Retained Presence; the MQTT will sets online=false. */
  state: (gw: string): string => `${TOPIC_PREFIX}/gw/${gw}/state`,
  /** Everything a gateway may subscribe to. */
  downFilter: (gw: string): string => `${TOPIC_PREFIX}/gw/${gw}/down/#`,
  /** Provisioning namespace: a claim session (MQTT client id `prov-…`) owns only these two topics. */
  provRequest: (session: string): string => `${TOPIC_PREFIX}/prov/${session}/req`,
  provResponse: (session: string): string => `${TOPIC_PREFIX}/prov/${session}/res`,
};

/** Client ids of claim sessions: `prov-` and 16–64 letters/digits chosen by the gateway (no gateway id starts with `prov-`). */
export const PROV_SESSION_RE = /^prov-[A-Za-z0-9]{16,64}$/;
/** MQTT username of claim sessions (the token itself travels in the ClaimRequest). */
export const PROV_USERNAME = '$claim';

/**
 * Valid gateway ids: safe as one topic level and as a file name, and never in the provisioning
 * namespace (`prov-…`), so no claim session can share a client id with a gateway.
 */
export const GATEWAY_ID_RE = /^(?![Pp][Rr][Oo][Vv]-)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** GATEWAY_ID_RE in words, for error messages. */
export const GATEWAY_ID_RULE =
  'a gateway id is 1–64 of A-Z a-z 0-9 _ . - starting with a letter or digit, and does not start with prov- (the provisioning namespace)';

export interface ParsedTopic {
  gatewayId: string;
  dir: 'up' | 'down' | 'state';
  kind?: string;
}

/** Splits a gateway topic; undefined when the topic is not in the gateway tree. */
export function parseGatewayTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts.length < 4 || `${parts[0]}/${parts[1]}` !== TOPIC_PREFIX || parts[2] !== 'gw') return undefined;
  const gatewayId = parts[3]!; // length checked above
  if (parts.length === 5 && parts[4] === 'state') return { gatewayId, dir: 'state' };
  if (parts.length === 6 && (parts[4] === 'up' || parts[4] === 'down'))
    return { gatewayId, dir: parts[4], kind: parts[5]! };
  return undefined;
}
