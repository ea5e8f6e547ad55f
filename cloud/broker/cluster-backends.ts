/**
 * What several `yiwang-cloud serve` nodes share through one Redis (cluster.* options): Aedes' message
 * queue (mqemitter-redis: a message published on one node reaches the subscribers of every node)
 * and its persistence (aedes-persistence-redis: retained messages, subscriptions and queued QoS 1
 * messages of persistent sessions, wills). Aedes closes a client whose id connects to another
 * node: each broker announces a new client on $SYS/<broker id>/new/clients through the shared
 * queue, and the others close their session of that id.
 *
 * Every key and channel carries cluster.redis_prefix:
 * - the queue (cloud/broker/cluster-mq.ts): `<prefix>mq/` before every channel, one channel per
 *   topic subtree (a gateway's downlinks share one), so Redis' cost per message does not grow with
 *   the fleet; topics nobody may subscribe to stay on their node;
 * - the persistence and the retained index (cloud/broker/retained-index.ts): ioredis' keyPrefix
 *   `<prefix>p:` on the connection handed to aedes-persistence-redis (which names its keys without
 *   a prefix of its own).
 *
 * Redis down at start is CLOUD_ERR_CLUSTER. Redis lost while running is logged and counted, never a
 * crash: connection errors have listeners; commands fail at once rather than queueing while the
 * link is down (enableOfflineQueue off after the first connect, so nothing grows meanwhile, and a
 * stopping node waits for nothing); after a reconnect the subscriber connection subscribes again
 * to every channel the queue's listeners need (ioredis restores only what Redis had confirmed);
 * the commands aedes-persistence-redis sends without awaiting them are given a rejection handler
 * (the process would end on an unhandled rejection); the retained streams never fail
 * (retained-index.ts). While Redis is gone, messages published on this node are lost (their
 * publishers' callbacks get the error), and nothing reaches this node's clients.
 */
import { createRequire } from 'node:module';
import { Redis, type RedisOptions } from 'ioredis';
import { YiwangError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { createRoutedMq } from './cluster-mq.js';
import { indexRetainedRedis, type RetainedPersistence } from './retained-index.js';

const require = createRequire(import.meta.url);

export interface ClusterOptions {
  /** redis://…; '' = a single node (no backends). */
  redisUrl: string;
  /** Prefix of every key and channel. */
  prefix: string;
  /** This node's id (the stores' nodeId, cloud/store/open-stores.ts): Aedes' broker id. */
  nodeId: string;
  /** Topics no client may subscribe to: delivered on their node only, never sent to Redis. */
  localOnly?: (topic: string) => boolean;
}

/** The part of mqemitter that Aedes and the broker use. */
export interface ClusterMq {
  on(
    topic: string,
    listener: (packet: { topic: string; payload: unknown }, done: () => void) => void,
    cb?: () => void,
  ): unknown;
  emit(packet: { topic: string; payload: unknown }, cb?: (err?: Error) => void): void;
  close(cb: () => void): void;
}

/** Counters of the cluster link, in /api/v1/stats under `broker`. */
export function newClusterCounters() {
  return {
    /** Errors of the Redis connections (connection lost, refused, command failures reported by the libraries). */
    clusterRedisErrors: 0,
    /** Times a Redis connection was lost after it had been up. */
    clusterRedisDisconnects: 0,
    /** Retained lookups (SUBSCRIBE) ended early and retained stores failed because of Redis. */
    clusterRetainedErrors: 0,
  };
}
export type ClusterCounters = ReturnType<typeof newClusterCounters>;

export interface ClusterBackends {
  readonly nodeId: string;
  /** For Aedes' `mq` option. */
  readonly mq: ClusterMq;
  /** For Aedes' `persistence` option (aedes-persistence-redis, its retained lookups indexed). */
  readonly persistence: unknown;
  /** The persistence's connection (key prefix `<prefix>p:`); for tests and measurements. */
  readonly db: Redis;
  readonly counters: ClusterCounters;
  /**
   * Before Aedes closes: a link that is down stops its reconnect attempts (a reconnect in the
   * middle of the close would subscribe again).
   */
  stopping(): void;
  /** Disconnects from Redis (after Aedes closed: its close ends the queue). */
  close(): Promise<void>;
}

const PREFIX_RE = /^[A-Za-z0-9._:-]{1,64}$/;
/** Aedes' broker id: in $SYS/<id>/… topics and in aedes-persistence-redis keys split at ':'. */
const NODE_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;
/** How long the first connection may take before CLOUD_ERR_CLUSTER. */
const CONNECT_TIMEOUT_MS = 5000;

/** The host part of a Redis URL (never its password) for logs and errors. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparsable redis_url)';
  }
}

type PersistenceFactory = (opts: { conn: Redis; maxSessionDelivery?: number }) => RetainedPersistence;

/**
 * Wraps a connection so that every promise its commands return has a rejection handler: the
 * library sends some commands without awaiting them (lrem/rpush in putWill, delWill, …); whoever
 * awaits a command still sees its rejection.
 */
function noUnhandledRejections(conn: Redis, onError: (err: Error) => void): Redis {
  return new Proxy(conn, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const r: unknown = (v as (...a: unknown[]) => unknown).apply(target, args);
        if (r instanceof Promise) r.catch(onError);
        return r;
      };
    },
  });
}

/**
 * Connects to Redis and builds the queue and the persistence. Throws CLOUD_ERR_CLUSTER when Redis
 * cannot be reached within 5 s or the prefix or node id is not usable.
 */
export async function createClusterBackends(
  o: ClusterOptions,
  log: Logger,
  counters: ClusterCounters = newClusterCounters(),
): Promise<ClusterBackends> {
  if (!PREFIX_RE.test(o.prefix))
    throw new YiwangError(
      'CLOUD_ERR_CLUSTER',
      `cluster.redis_prefix ${JSON.stringify(o.prefix)}: 1-64 letters, digits or . _ : - (it is a Redis key and channel prefix)`,
    );
  const nodeId = o.nodeId;
  if (!NODE_ID_RE.test(nodeId))
    throw new YiwangError(
      'CLOUD_ERR_CLUSTER',
      `cluster.node_id ${JSON.stringify(nodeId)}: 1-64 letters, digits or . _ - (it names the node in topics and keys)`,
    );
  const clog = log.child({ component: 'cluster', nodeId });
  const base: RedisOptions = {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionName: `yiwang-${nodeId}`.replace(/[^A-Za-z0-9._:-]/g, '_'),
  };
  // commands in flight when the link drops fail then (not resent after the reconnect: a stale downlink
  // late), and no auto-pipelining (a pipeline caught by the drop would hold every later command back
  // until the reconnect attempts run out)
  const failFast: RedisOptions = { ...base, autoResendUnfulfilledCommands: false, enableAutoPipelining: false };
  const sub = new Redis(o.redisUrl, failFast);
  const pub = new Redis(o.redisUrl, failFast);
  const raw = new Redis(o.redisUrl, { ...failFast, keyPrefix: `${o.prefix}p:` });
  const conns = [
    ['subscriber', sub],
    ['publisher', pub],
    ['persistence', raw],
  ] as const;
  let started = false;
  let closing = false;
  const lastLogged = new Map<string, string>();
  for (const [name, c] of conns) {
    let up = false;
    c.on('error', (err: Error) => {
      counters.clusterRedisErrors++;
      // one line per change of error (a lost link repeats the same error at every reconnect attempt)
      if (started && lastLogged.get(name) !== err.message) {
        lastLogged.set(name, err.message);
        clog.error({ code: 'CLOUD_ERR_CLUSTER', connection: name, err: err.message }, 'redis connection error');
      }
    });
    c.on('close', () => {
      if (!started || closing || !up) return;
      up = false;
      counters.clusterRedisDisconnects++;
      clog.warn({ code: 'CLOUD_ERR_CLUSTER', connection: name }, 'redis connection lost; reconnecting');
    });
    c.on('ready', () => {
      up = true;
      if (!started) return;
      lastLogged.delete(name);
      clog.info({ connection: name }, 'redis connection up again');
    });
  }
  const disconnectAll = (): void => {
    for (const [, c] of conns) c.disconnect();
  };
  try {
    await Promise.all(conns.map(([, c]) => c.connect()));
  } catch (err) {
    disconnectAll();
    throw new YiwangError(
      'CLOUD_ERR_CLUSTER',
      `cluster.redis_url ${where(o.redisUrl)}: cannot connect to Redis (${(err as Error).message})`,
    );
  }
  started = true;
  // from now on a command fails at once while the link is down (nothing queues meanwhile)
  for (const [, c] of conns) c.options.enableOfflineQueue = false;
  const db = noUnhandledRejections(raw, () => {
    counters.clusterRedisErrors++;
  });

  // the queue's own commands (QUIT at close, after a write failed: "Connection is closed") must not
  // reject unhandled either: that ended a node on SIGTERM (bench cluster)
  const countError = (): void => {
    counters.clusterRedisErrors++;
  };
  const mq = createRoutedMq(
    `${o.prefix}mq/`,
    noUnhandledRejections(sub, countError),
    noUnhandledRejections(pub, countError),
    o.localOnly,
  );
  const state = (mq as unknown as { state: { on(e: 'error', f: (err: Error) => void): void } }).state;
  state.on('error', (err) => {
    // failed publishes of the queue also land here (besides the callers' callbacks)
    counters.clusterRedisErrors++;
    clog.debug({ err: err.message }, 'message queue error');
  });
  // a (un)subscribe while the link is down fails (mqemitter-redis still counts it); ioredis resubscribes
  // what Redis had confirmed, this adds what the queue's listeners need now
  sub.on('ready', () => {
    for (const { pattern, name } of mq.wanted()) {
      const done = (err?: Error | null): void => {
        if (err) counters.clusterRedisErrors++;
      };
      if (pattern) sub.psubscribe(name, done);
      else sub.subscribe(name, done);
    }
  });
  // mqemitter-redis closes with QUIT and waits for both connections to end, which never happens
  // while Redis is unreachable: then it disconnects them instead
  const mqClose = mq.close.bind(mq);
  const mqBaseClose = (mq as unknown as { _close(cb: () => void): void })._close.bind(mq);
  let mqClosed = false;
  mq.close = (cb) => {
    if (mqClosed) return cb();
    mqClosed = true;
    closing = true;
    if (sub.status === 'ready' && pub.status === 'ready') return mqClose(cb);
    sub.disconnect();
    pub.disconnect();
    mqBaseClose(cb);
  };

  const redisPersistence = require('aedes-persistence-redis') as PersistenceFactory;
  const persistence = redisPersistence({ conn: db });
  indexRetainedRedis(persistence, db, (err, at) => {
    counters.clusterRetainedErrors++;
    clog.warn({ code: 'CLOUD_ERR_CLUSTER', err: err.message, at }, 'retained message store or lookup failed');
  });
  clog.info({ redis: where(o.redisUrl), prefix: o.prefix }, 'cluster backends up');

  return {
    nodeId,
    mq,
    persistence,
    db: raw,
    counters,
    stopping() {
      closing = true;
      for (const [, c] of conns) if (c.status !== 'ready') c.disconnect();
    },
    async close() {
      closing = true;
      // Aedes does not destroy its persistence; its subscriptions to the queue ended with the queue
      await new Promise<void>((r) => mq.close(r));
      raw.disconnect();
    },
  };
}
