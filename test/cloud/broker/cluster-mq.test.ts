/**
 * The cluster's message queue (cloud/broker/cluster-mq.ts) against the machine's Redis: channels
 * by topic subtree (no pattern per gateway), exact MQTT matching after Redis' coarse routing,
 * node-local topics kept off Redis. A Redis channel prefix of its own per run.
 */
import t from 'tap';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { captureLog } from '../../helpers/log-capture.js';
import { until } from '../../helpers/wait.js';
import { channelOf, subscriptionOf } from '../../../cloud/broker/cluster-mq.js';
import { createClusterBackends, type ClusterBackends } from '../../../cloud/broker/cluster-backends.js';
import { maySubscribe, maySubscribeTopic } from '../../../cloud/broker/acl.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `ywtest-${randomBytes(4).toString('hex')}:`;

/** MQTT topic matching (MQTT 3.1.1 §4.7, `a/#` matches `a`), written from the spec for the test. */
function mqttMatch(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const tl = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= tl.length) return false;
    if (f[i] !== '+' && f[i] !== tl[i]) return false;
  }
  return f.length === tl.length;
}

/** Redis glob matching for the globs subscriptionOf makes (`*` the only metacharacter in them). */
function globMatch(glob: string, s: string): boolean {
  const re = glob
    .split('*')
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`, 's').test(s);
}

const level = fc.oneof(
  fc.constantFrom('yw', 'v1', 'gw', 'down', 'up', 'a', 'b', '', '$SYS'),
  fc.string({ unit: fc.constantFrom('a', '*', '?', '[', ']', '\\', '%', '-', '^', 'z'), maxLength: 4 }),
);
const topicArb = fc.array(level, { minLength: 1, maxLength: 9 }).map((ls) => ls.join('/'));
/** A filter that matches the topic: some levels replaced by `+`, maybe cut with `#`. */
const matchingFilter = (topic: string) =>
  fc
    .tuple(fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), fc.integer({ min: 0, max: 10 }))
    .map(([plus, cut]) => {
      const ls = topic.split('/').map((l, i) => (plus[i] ? '+' : l));
      return cut < ls.length ? [...ls.slice(0, cut), '#'].join('/') : ls.join('/');
    });

t.test('every filter listens to the channel of every topic it matches (property)', async (t) => {
  fc.assert(
    fc.property(
      topicArb.chain((topic) => fc.tuple(fc.constant(topic), matchingFilter(topic))),
      ([topic, filter]) => {
        if (!mqttMatch(filter, topic)) return true; // '#' cut at 0 of a 1-level topic etc. stay matching; guard anyway
        const sub = subscriptionOf(filter);
        const ch = channelOf(topic);
        return sub.pattern ? globMatch(sub.name, ch) : sub.name === ch;
      },
    ),
    { numRuns: 3000 },
  );
  // a channel never reads as a glob; literal glob parts match only themselves
  t.equal(channelOf('a*b/c?/[x]/d\\/%'), 'a%2Ab/c%3F/%5Bx%5D/d%5C/%25');
  t.same(subscriptionOf('yw/v1/gw/g-1/down/#'), { pattern: false, name: 'yw/v1/gw/g%2D1/down' });
  t.same(subscriptionOf('yw/v1/gw/+/up/batch'), { pattern: true, name: 'yw/v1/gw/*/up' });
  t.same(subscriptionOf('$SYS/+/new/clients'), { pattern: true, name: '$SYS/*/new/clients' });
  t.same(subscriptionOf('a/#'), { pattern: true, name: 'a*' });
  t.same(subscriptionOf('#'), { pattern: true, name: '*' });
  t.equal(channelOf('yw/v1/gw/g1/down/config'), 'yw/v1/gw/g1/down', 'a gateway’s downlinks share one channel');
});

t.test('a topic anyone may subscribe to is never node-local (property over the ACL)', async (t) => {
  const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,10}$/);
  fc.assert(
    fc.property(id, topicArb, fc.integer({ min: 0, max: 3 }), (gw, tail, how) => {
      const topic =
        how === 0 ? `yw/v1/gw/${gw}/down` : how === 1 ? `yw/v1/gw/${gw}/down/${tail}` : `yw/v1/gw/${gw}/${tail}`;
      const filters = [`yw/v1/gw/${gw}/down/#`, topic];
      const subscribable = filters.some((f) => maySubscribe(gw, f) && mqttMatch(f, topic));
      return !subscribable || maySubscribeTopic(topic);
    }),
    { numRuns: 2000 },
  );
  t.equal(maySubscribeTopic('yw/v1/gw/g1/up/batch'), false, 'uplinks stay on their node');
  t.equal(maySubscribeTopic('yw/v1/gw/g1/state'), false, 'so does the retained state');
  t.equal(maySubscribeTopic('yw/v1/gw/g1/down/cmd'), true);
  t.equal(maySubscribeTopic('yw/v1/prov/prov-0123456789abcdef/res'), true);
  t.equal(maySubscribeTopic('yw/v1/prov/prov-0123456789abcdef/req'), false);
});

t.test('two nodes on Redis: exact delivery, one channel per gateway, no pattern per gateway', async (t) => {
  const log = captureLog().log;
  const local = (topic: string): boolean => !maySubscribeTopic(topic);
  const a = await createClusterBackends({ redisUrl: REDIS_URL, prefix: PREFIX, nodeId: 'mq-a', localOnly: local }, log);
  const b = await createClusterBackends({ redisUrl: REDIS_URL, prefix: PREFIX, nodeId: 'mq-b', localOnly: local }, log);
  const spy = new Redis(REDIS_URL);
  const admin = new Redis(REDIS_URL);
  t.teardown(async () => {
    for (const n of [a, b] as ClusterBackends[]) await n.close();
    spy.disconnect();
    admin.disconnect();
  });
  const on = (n: ClusterBackends, filter: string, got: string[]): Promise<void> =>
    new Promise((r) =>
      n.mq.on(
        filter,
        (p, done) => {
          got.push(`${filter} <- ${p.topic}`);
          done();
        },
        () => r(),
      ),
    );
  // what reaches Redis at all, whatever the channel
  const onWire: string[] = [];
  await spy.psubscribe(`${PREFIX}mq/*`);
  spy.on('pmessage', (_p, channel) => onWire.push(channel.slice(`${PREFIX}mq/`.length)));

  const GATEWAYS = 2000;
  const gotB: string[] = [];
  for (let i = 0; i < GATEWAYS; i++) await on(b, `yw/v1/gw/gw${i}/down/#`, gotB);
  await on(b, 'yw/v1/gw/gw7/down/config', gotB); // a second filter on the same channel
  await on(b, '$SYS/+/new/clients', gotB);
  const gotA: string[] = [];
  await on(a, 'yw/v1/gw/+/up/#', gotA); // nobody may subscribe so, but a node-local listener still hears

  // Redis' view of node B's subscriber connection
  const clients = (await admin.client('LIST')) as string;
  const line = clients.split('\n').find((l) => l.includes('name=yiwang-mq-b ') && /\bsub=[1-9]/.test(l));
  t.ok(line, 'node B’s subscriber connection is listed');
  const subs = Number(/\bsub=(\d+)/.exec(line ?? '')?.[1]);
  const psubs = Number(/\bpsub=(\d+)/.exec(line ?? '')?.[1]);
  t.equal(subs, GATEWAYS, 'one channel per gateway (two filters of gw7 share one)');
  t.ok(psubs <= 3, `patterns do not grow with the fleet (${psubs})`);

  const emit = (n: ClusterBackends, topic: string): Promise<void> =>
    new Promise((r, j) => n.mq.emit({ topic, payload: Buffer.from('x') }, (e) => (e ? j(e) : r())));
  await emit(a, 'yw/v1/gw/gw7/down/config');
  await emit(a, 'yw/v1/gw/gw7/down/cmd');
  await emit(a, 'yw/v1/gw/gw1999/down');
  await emit(a, 'yw/v1/gw/gw2000/down/cmd'); // nobody on B subscribed it
  await emit(a, '$SYS/mq-a/new/clients');
  await emit(a, 'yw/v1/gw/gw7/up/batch'); // node-local
  await emit(b, 'yw/v1/gw/gw8/up/health'); // node-local on B: A never hears it
  await until('the deliveries', () => gotB.length >= 5 && gotA.length >= 1, 5000);
  await new Promise((r) => setTimeout(r, 200)); // anything extra would have arrived by now
  t.same(gotB.sort(), [
    '$SYS/+/new/clients <- $SYS/mq-a/new/clients',
    'yw/v1/gw/gw1999/down/# <- yw/v1/gw/gw1999/down',
    'yw/v1/gw/gw7/down/# <- yw/v1/gw/gw7/down/cmd',
    'yw/v1/gw/gw7/down/# <- yw/v1/gw/gw7/down/config',
    'yw/v1/gw/gw7/down/config <- yw/v1/gw/gw7/down/config',
  ]);
  t.same(gotA, ['yw/v1/gw/+/up/# <- yw/v1/gw/gw7/up/batch'], 'node A hears its own uplink, B’s never');
  t.notOk(
    onWire.some((c) => c.includes('/up')),
    'uplinks never reach Redis',
  );
  t.ok(onWire.includes('yw/v1/gw/gw7/down'), 'downlinks go out on their gateway’s channel');
});
