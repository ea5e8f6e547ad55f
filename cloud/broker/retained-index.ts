/**
 * An index over the broker's retained messages by their first four topic levels.
 *
 * Aedes' in-memory persistence answers every SUBSCRIBE by testing the filter against every
 * retained topic, so with one retained Presence per gateway a fleet that (re)connects costs
 * gateways² topic matches (20,000 gateways: 400 million; the fleet took minutes to connect).
 * Gateway and claim-session filters begin with four literal levels (yw/v1/gw/{id}/down/#,
 * yw/v1/prov/{session}/res), so they are answered from that bucket alone; filters with a
 * wildcard in the first four levels still go to the full scan of the persistence.
 *
 * aedes-persistence-redis (a cluster: cluster.redis_url) keeps all retained messages in one hash
 * and answers a wildcard filter by HSCAN over the whole hash (MATCH on the filter's literal head,
 * ten fields a round trip): the same gateways² cost, in Redis round trips. indexRetainedRedis()
 * keeps the same buckets in Redis (a set of topics per root, written with each retained message,
 * shared by every node) and fetches the matching topics by name from the persistence's hash.
 */
import { Readable } from 'node:stream';
import type { Redis } from 'ioredis';

const ROOT_LEVELS = 4;

interface RetainedPacket {
  topic: string;
  payload: Buffer;
  [k: string]: unknown;
}

/** The part of Aedes' persistence this index wraps (aedes-persistence's memory implementation). */
export interface RetainedPersistence {
  storeRetained(packet: RetainedPacket, cb?: (err: Error | null) => void): unknown;
  createRetainedStream(pattern: string): Readable;
  createRetainedStreamCombi(patterns: string[]): Readable;
}

/** MQTT filter match (`+` one level, `#` the rest); topics starting with `$` never match a leading wildcard. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/'),
    t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return !(i === 0 && topic.startsWith('$'));
    if (i >= t.length) return false;
    if (f[i] === '+') {
      if (i === 0 && topic.startsWith('$')) return false;
      continue;
    }
    if (f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** The literal first levels of a filter, or undefined when a wildcard appears among them. */
function literalRoot(filter: string): string | undefined {
  const levels = filter.split('/');
  if (levels.length < ROOT_LEVELS) return undefined;
  const root = levels.slice(0, ROOT_LEVELS);
  return root.some((l) => l === '+' || l === '#') ? undefined : root.join('/');
}

const rootOf = (topic: string): string => topic.split('/').slice(0, ROOT_LEVELS).join('/');

/** Patches the persistence in place (retained messages stored before this call are not indexed: call it first). */
export function indexRetained(p: RetainedPersistence): Map<string, Map<string, RetainedPacket>> {
  const index = new Map<string, Map<string, RetainedPacket>>();
  const store = p.storeRetained.bind(p);
  const stream = p.createRetainedStream.bind(p);
  const combi = p.createRetainedStreamCombi.bind(p);
  p.storeRetained = (packet, cb) => {
    const root = rootOf(packet.topic);
    let bucket = index.get(root);
    if (packet.payload.length === 0) {
      bucket?.delete(packet.topic);
      if (bucket?.size === 0) index.delete(root);
    } else {
      if (!bucket) {
        bucket = new Map();
        index.set(root, bucket);
      }
      bucket.set(packet.topic, { ...packet });
    }
    return store(packet, cb);
  };
  function* matching(patterns: string[]): Generator<RetainedPacket> {
    for (const pattern of patterns) {
      for (const packet of index.get(literalRoot(pattern)!)?.values() ?? [])
        if (topicMatches(pattern, packet.topic)) yield packet;
    }
  }
  p.createRetainedStream = (pattern) =>
    literalRoot(pattern) === undefined ? stream(pattern) : Readable.from(matching([pattern]));
  p.createRetainedStreamCombi = (patterns) =>
    patterns.some((x) => literalRoot(x) === undefined) ? combi(patterns) : Readable.from(matching(patterns));
  return index;
}

/** The Redis commands the Redis index uses (an ioredis connection with the cluster's key prefix). */
export type RedisIndexDb = Pick<Redis, 'sadd' | 'srem' | 'smembers'>;

/** What went wrong in a retained lookup or store of the Redis index (logged and counted by the caller). */
export type RetainedErrorSink = (err: Error, where: 'store' | 'lookup') => void;

/** The Redis key of a root's bucket (the connection adds the cluster's key prefix). */
export const retainedRootKey = (root: string): string => `rr:${root}`;

/**
 * Streams what `source` yields; an error ends the stream early instead of failing it. Aedes pipes
 * the retained stream of a SUBSCRIBE without an error handler, so a failing stream (Redis lost)
 * would be an uncaught error that ends the process.
 */
function neverFailing(source: () => AsyncIterable<RetainedPacket>, onError: RetainedErrorSink): Readable {
  return Readable.from(
    (async function* () {
      try {
        yield* source();
      } catch (err) {
        onError(err as Error, 'lookup');
      }
    })(),
  );
}

/**
 * Patches aedes-persistence-redis in place: a retained message's topic is also added to (removed
 * from, for an empty payload) the Redis set of its root, and filters with four literal levels are
 * answered from their roots' sets (SMEMBERS, then the persistence's own lookup of the matching
 * topics by name: one HGET each). A set member whose message is gone costs one HGET that finds
 * nothing. Retained lookups never fail: an error ends the stream and goes to `onError`.
 */
export function indexRetainedRedis(p: RetainedPersistence, db: RedisIndexDb, onError: RetainedErrorSink): void {
  const store = p.storeRetained.bind(p);
  const combi = p.createRetainedStreamCombi.bind(p);
  p.storeRetained = async (packet: RetainedPacket) => {
    const key = retainedRootKey(rootOf(packet.topic));
    try {
      // the set first when adding, last when deleting: a lookup in between finds at most a name without a message
      if (packet.payload.length > 0) {
        await db.sadd(key, packet.topic);
        await store(packet);
      } else {
        await store(packet);
        await db.srem(key, packet.topic);
      }
    } catch (err) {
      onError(err as Error, 'store');
      throw err;
    }
  };
  async function* matching(patterns: string[]): AsyncGenerator<RetainedPacket> {
    const roots = [...new Set(patterns.map((x) => literalRoot(x)!))];
    const topics = new Set<string>();
    for (const root of roots)
      for (const topic of await db.smembers(retainedRootKey(root)))
        if (patterns.some((x) => topicMatches(x, topic))) topics.add(topic);
    if (topics.size === 0) return;
    // literal topics: the persistence looks each up by name (no scan)
    for await (const packet of combi([...topics]) as AsyncIterable<RetainedPacket>) yield packet;
  }
  p.createRetainedStream = (pattern) => p.createRetainedStreamCombi([pattern]);
  p.createRetainedStreamCombi = (patterns) =>
    patterns.some((x) => literalRoot(x) === undefined)
      ? neverFailing(() => combi(patterns) as AsyncIterable<RetainedPacket>, onError)
      : neverFailing(() => matching(patterns), onError);
}
