/**
 * An index over the broker's retained messages by their first four topic levels.
 *
 * Aedes' in-memory persistence answers every SUBSCRIBE by testing the filter against every
 * retained topic, so with one retained Presence per gateway a fleet that (re)connects costs
 * gateways² topic matches (20,000 gateways: 400 million; the fleet took minutes to connect).
 * Gateway and claim-session filters begin with four literal levels (yw/v1/gw/{id}/down/#,
 * yw/v1/prov/{session}/res), so they are answered from that bucket alone; filters with a
 * wildcard in the first four levels still go to the full scan of the persistence.
 */
import { Readable } from 'node:stream';

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
