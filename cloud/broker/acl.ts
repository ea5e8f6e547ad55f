/**
 * Topic ACL for gateways: a gateway writes only yw/v1/gw/{id}/up/{kind} and its retained state
 * topic, and reads only filters inside yw/v1/gw/{id}/down/. Pure functions, tested directly.
 */
import { topics, TOPIC_PREFIX } from '../../proto/topics.js';

const UP_KINDS = new Set(['batch', 'health', 'config-status', 'cmd-result']);

export function mayPublish(gatewayId: string, topic: string, retain: boolean): boolean {
  if (topic === topics.state(gatewayId)) return true;
  const prefix = `${topics.gatewayRoot(gatewayId)}/up/`;
  return !retain && topic.startsWith(prefix) && UP_KINDS.has(topic.slice(prefix.length));
}

/** A filter is allowed only when every topic it can match lies in the gateway's down tree. */
export function maySubscribe(gatewayId: string, filter: string): boolean {
  const own = `${TOPIC_PREFIX}/gw/${gatewayId}/down`;
  if (filter === `${own}/#`) return true;
  if (!filter.startsWith(`${own}/`)) return false;
  const rest = filter.slice(own.length + 1);
  return (
    rest.length > 0 &&
    rest
      .split('/')
      .every(
        (level, i, all) =>
          level.length > 0 &&
          (level === '#' ? i === all.length - 1 : !level.includes('#')) &&
          (level === '+' || !level.includes('+')),
      )
  );
}

/** A claim session (client id `prov-…`) may publish only its own request topic, never retained. */
export function mayProvPublish(session: string, topic: string, retain: boolean): boolean {
  return !retain && topic === topics.provRequest(session);
}

/** …and subscribe only to its own response topic (no wildcards). */
export function mayProvSubscribe(session: string, filter: string): boolean {
  return filter === topics.provResponse(session);
}

/**
 * Whether any client may subscribe to a filter that matches this topic: a gateway's down tree, a
 * claim session's response topic. Everything else (uplinks, state) has no subscriber anywhere, so
 * a cluster keeps it on the node where it arrived (cloud/broker/cluster-mq.ts).
 */
export function maySubscribeTopic(topic: string): boolean {
  const [yw, v1, ns, id, leaf, ...rest] = topic.split('/');
  if (`${yw}/${v1}` !== TOPIC_PREFIX || id === undefined) return false;
  if (ns === 'gw') return leaf === 'down'; // `…/down/#` matches …/down and all below it
  return ns === 'prov' && leaf === 'res' && rest.length === 0 && mayProvSubscribe(id, topic);
}
