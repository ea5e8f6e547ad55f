/**
 * The retained-message index (cloud/broker/retained-index.ts) on a real Aedes broker with real
 * MQTT clients: subscribers get exactly the retained messages their filters match, whether the
 * filter is answered from the index (four literal levels) or by the full scan (a wildcard early).
 */
import t from 'tap';
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { until } from '../../helpers/wait.js';
import { indexRetained, topicMatches, type RetainedPersistence } from '../../../cloud/broker/retained-index.js';

t.test('topic filters match like MQTT 3.1.1 §4.7', async (t) => {
  t.ok(topicMatches('yw/v1/gw/a/down/#', 'yw/v1/gw/a/down/config'));
  t.ok(topicMatches('yw/v1/gw/a/down/#', 'yw/v1/gw/a/down'), '# also matches the parent level');
  t.notOk(topicMatches('yw/v1/gw/a/down/#', 'yw/v1/gw/a/state'));
  t.ok(topicMatches('yw/v1/gw/+/state', 'yw/v1/gw/b/state'));
  t.notOk(topicMatches('yw/v1/gw/+/state', 'yw/v1/gw/b/state/x'));
  t.notOk(topicMatches('yw/v1/gw/a', 'yw/v1/gw/a/state'));
  t.notOk(topicMatches('#', '$SYS/x'), 'a leading wildcard never matches $ topics');
  t.notOk(topicMatches('+/x', '$SYS/x'));
});

t.test('retained messages reach the subscribers whose filters match, indexed or not', async (t) => {
  const aedes = await Aedes.createBroker();
  const index = indexRetained((aedes as unknown as { persistence: RetainedPersistence }).persistence);
  const server = createServer(aedes.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(async () => {
    await new Promise<void>((r) => aedes.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  });
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pub = await mqtt.connectAsync(url, { clientId: 'pub', reconnectPeriod: 0 });
  const retained = [
    'yw/v1/gw/a/state',
    'yw/v1/gw/a/down/config',
    'yw/v1/gw/a/down/cmd',
    'yw/v1/gw/b/state',
    'yw/v1/gw/b/down/config',
    'short/topic',
  ];
  for (const topic of retained) await pub.publishAsync(topic, `p:${topic}`, { qos: 1, retain: true });
  await pub.publishAsync('yw/v1/gw/a/down/cmd', '', { qos: 1, retain: true }); // an empty retained payload deletes
  t.equal(index.get('yw/v1/gw/a')?.size, 2, 'the index follows stores and deletes');

  const received = async (filters: string[], expect: number): Promise<string[]> => {
    const c = await mqtt.connectAsync(url, { clientId: `sub-${filters.join(',')}`, reconnectPeriod: 0 });
    const got: string[] = [];
    c.on('message', (topic, payload) => got.push(`${topic}=${payload.toString()}`));
    await c.subscribeAsync(Object.fromEntries(filters.map((f) => [f, { qos: 1 as const }])));
    await until(`${expect} retained for ${filters.join(' ')}`, () => got.length >= expect);
    // one more round trip to the broker: anything unexpected would have come along by now
    await new Promise<void>((resolve) => {
      c.once('packetreceive', (p) => {
        if (p.cmd === 'pingresp') resolve();
      });
      c.stream.write(Buffer.from([0xc0, 0]));
    });
    await c.endAsync();
    return got.sort();
  };
  t.same(
    await received(['yw/v1/gw/a/down/#'], 1),
    ['yw/v1/gw/a/down/config=p:yw/v1/gw/a/down/config'],
    'indexed: only its own down tree, not the deleted one',
  );
  t.same(
    await received(['yw/v1/gw/b/state', 'yw/v1/gw/a/down/config'], 2),
    ['yw/v1/gw/a/down/config=p:yw/v1/gw/a/down/config', 'yw/v1/gw/b/state=p:yw/v1/gw/b/state'],
    'several indexed filters',
  );
  t.same(
    await received(['yw/v1/gw/+/state'], 2),
    ['yw/v1/gw/a/state=p:yw/v1/gw/a/state', 'yw/v1/gw/b/state=p:yw/v1/gw/b/state'],
    'a wildcard filter: full scan',
  );
  t.same(await received(['short/#'], 1), ['short/topic=p:short/topic'], 'a short filter: full scan');
  await pub.endAsync();
});
