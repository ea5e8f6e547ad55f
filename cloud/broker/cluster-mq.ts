/**
 * The message queue several nodes share (Aedes' `mq` option): mqemitter-redis, with the Redis
 * channels chosen so that a city of gateways costs Redis a constant amount per message.
 *
 * mqemitter-redis names a Redis channel after each subscription's MQTT filter: a gateway's
 * `yw/v1/gw/<id>/down/#` became one PSUBSCRIBE pattern per gateway. Redis tests every PUBLISH
 * against every pattern, so with 20,000 gateways each message (each connect announcement, each
 * subscription broadcast, each downlink) cost 20,000 pattern matches in Redis' one thread, and
 * connects slowed from 300/s to 40/s as the fleet came up (bench cluster, session 8). Here:
 *
 * - a message is published on the channel of its topic's first five levels
 *   (`yw/v1/gw/<id>/down` for every downlink of a gateway), the full topic inside the message;
 * - a filter whose first five levels hold no wildcard SUBSCRIBEs that one channel (no pattern);
 *   a filter with a wildcard among them PSUBSCRIBEs a glob that matches at least every channel of
 *   its topics (a `+` level becomes `*`; `#` ends the glob with `*`). The few patterns left are the
 *   broker's own (`$SYS/*​/new/clients`, …);
 * - every message is then matched exactly, on its full topic, by mqemitter's own matcher: a
 *   channel or glob wider than the filter costs a message nobody takes, never a wrong delivery;
 * - channel names percent-encode `%` and glob metacharacters, so a channel never reads as a
 *   pattern and literal parts of a glob match only themselves;
 * - topics no client of the cluster may subscribe to (`localOnly`, from the broker's ACL: a
 *   gateway's uplinks and state) are delivered on this node only and never sent to Redis: a
 *   batch is ingested where it arrives and need not cross the network again. `$SYS/…` (the
 *   brokers' messages to each other) always goes to Redis.
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { ClusterMq } from './cluster-backends.js';

const require = createRequire(import.meta.url);

/** Levels of a topic that name its Redis channel. */
export const CHANNEL_LEVELS = 5;

const encodeLevel = (level: string): string =>
  level.replace(/[%*?[\]\\^-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** The channel (without the cluster prefix) a message of this topic is published on. */
export function channelOf(topic: string): string {
  return topic.split('/').slice(0, CHANNEL_LEVELS).map(encodeLevel).join('/');
}

/** What a subscription to this MQTT filter listens to in Redis (without the cluster prefix). */
export function subscriptionOf(filter: string): { pattern: boolean; name: string } {
  const levels = filter.split('/');
  const out: string[] = [];
  for (let i = 0; i < Math.min(levels.length, CHANNEL_LEVELS); i++) {
    const l = levels[i]!;
    // `a/#` also matches `a` (MQTT-4.7.1-2): the glob ends right after the literal part
    if (l === '#') return { pattern: true, name: `${out.join('/')}*` };
    out.push(l === '+' ? '*' : encodeLevel(l));
  }
  const name = out.join('/');
  return { pattern: out.includes('*'), name };
}

type MqOptions = { subConn: Redis; pubConn: Redis; matchEmptyLevels: boolean };
type MqBase = new (
  opts: MqOptions,
) => ClusterMq & {
  _subTopic(topic: string): string;
  _containsWildcard(topic: string): boolean;
  _emit(msg: { topic: string; payload: unknown }, cb?: (err?: Error) => void): void;
};

/** Redis channels and patterns the queue's listeners need now, for resubscribing after a reconnect. */
export interface RoutedMq extends ClusterMq {
  wanted(): { pattern: boolean; name: string }[];
}

/**
 * The queue over two Redis connections (the subscriber's channels and the publisher's messages
 * carry `prefix`). `localOnly(topic)`: delivered on this node only.
 */
export function createRoutedMq(
  prefix: string,
  subConn: Redis,
  pubConn: Redis,
  localOnly: (topic: string) => boolean = () => false,
): RoutedMq {
  const MQEmitterRedis = require('mqemitter-redis') as MqBase;
  // mqemitter-redis publishes on the message's topic: its publisher connection maps that topic to the channel
  const routedPub = new Proxy(pubConn, {
    get(target, prop, receiver) {
      if (prop === 'publish')
        return (topic: string, payload: Buffer) => target.publish(prefix + channelOf(topic), payload);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  class Routed extends MQEmitterRedis {
    /** The Redis name a listener of this filter subscribes (mqemitter-redis counts listeners per name). */
    override _subTopic(topic: string): string {
      return prefix + subscriptionOf(topic).name;
    }
    override _containsWildcard(topic: string): boolean {
      return subscriptionOf(topic).pattern;
    }
    override emit(msg: { topic: string; payload: unknown }, cb?: (err?: Error) => void): void {
      // $SYS/… are the brokers' own messages to each other (new clients, subscriptions, heartbeats)
      if (!msg.topic.startsWith('$SYS/') && localOnly(msg.topic)) return this._emit(msg, cb);
      super.emit(msg, cb);
    }
    wanted(): { pattern: boolean; name: string }[] {
      const topics = (this as unknown as { _topics: Record<string, number> })._topics;
      // a channel never holds an unencoded `*`; a pattern always does
      return Object.keys(topics).map((name) => ({ pattern: name.includes('*'), name }));
    }
  }
  return new Routed({ subConn, pubConn: routedPub as Redis, matchEmptyLevels: true });
}
