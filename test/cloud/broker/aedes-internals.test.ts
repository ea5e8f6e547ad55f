/**
 * aedes-internals.ts against a real Aedes broker and real MQTT clients: the instance's `clients`
 * and `persistence` (items 1, 2 there) are where they were and behave as the broker assumes. An Aedes
 * upgrade that moves one of them fails here.
 */
import t, { type Test } from 'tap';
import { createServer, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Aedes, type Client } from 'aedes';
import mqtt from 'mqtt';
import { until } from '../../helpers/wait.js';
import {
  aedesProblems,
  assertAedesInternals,
  connectedClient,
  retainedPersistenceOf,
} from '../../../cloud/broker/aedes-internals.js';

async function broker(
  t: Test,
  opts: ConstructorParameters<typeof Aedes>[0] = {},
): Promise<{ aedes: Aedes; url: string }> {
  const aedes = await Aedes.createBroker(opts);
  const server = createServer(aedes.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(async () => {
    await new Promise<void>((r) => aedes.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { aedes, url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

t.test('the aedes version checked is the one installed', async (t) => {
  // aedes' exports map leaves out package.json: read it next to its main file
  const main = createRequire(import.meta.url).resolve('aedes');
  const version = (JSON.parse(readFileSync(join(dirname(main), 'package.json'), 'utf8')) as { version: string })
    .version;
  t.match(
    version,
    /^1\.2\./,
    `aedes-internals.ts was checked against aedes 1.2.x (installed: ${version}); re-check every item there before changing this`,
  );
});

t.test('a broker has clients and a persistence with the retained-message methods', async (t) => {
  const { aedes } = await broker(t);
  t.same(aedesProblems(aedes), []);
  t.doesNotThrow(() => assertAedesInternals(aedes));
  t.throws(() => assertAedesInternals({} as Aedes), /Aedes internals changed/, 'a broker without them is reported');
  t.throws(() => retainedPersistenceOf({} as Aedes), /persistence without/);
});

t.test(
  '1: clients holds a session from authentication on, not during its own authentication, and drops it at the end',
  async (t) => {
    const during: (Client | undefined)[] = [];
    let aedesRef: Aedes | undefined;
    const { aedes, url } = await broker(t, {
      authenticate: (client, _u, _p, done) => {
        during.push(connectedClient(aedesRef!, client.id));
        done(null, true);
      },
    });
    aedesRef = aedes;
    const registered: Client[] = [];
    aedes.on('client', (c) => registered.push(c));
    const a = await mqtt.connectAsync(url, { clientId: 'gw-a', reconnectPeriod: 0 });
    t.equal(during[0], undefined, 'a connecting session is not in clients while it authenticates');
    await until('registered', () => registered.length === 1, 5000);
    t.equal(connectedClient(aedes, 'gw-a'), registered[0], 'clients[id] is the Client of the session');
    t.equal(typeof connectedClient(aedes, 'gw-a')?.close, 'function');
    t.equal(connectedClient(aedes, 'gw-b'), undefined, 'unknown ids: undefined');
    t.equal(connectedClient(aedes, '__proto__'), undefined, 'not an inherited property');

    // a second connection with the same id sees the first one during its authentication (before the take-over)
    const a2 = await mqtt.connectAsync(url, { clientId: 'gw-a', reconnectPeriod: 0 });
    t.equal(during[1], registered[0], "the connected session is visible in the newcomer's authenticate");
    await until(
      'taken over',
      () => connectedClient(aedes, 'gw-a') !== registered[0] && connectedClient(aedes, 'gw-a') !== undefined,
      5000,
    );
    await a2.endAsync();
    await a.endAsync().catch(() => undefined);
    await until('dropped at disconnect', () => connectedClient(aedes, 'gw-a') === undefined, 5000);
    t.pass('a closed session leaves clients');
  },
);

t.test(
  '2: retained messages are stored through persistence.storeRetained(packet) and a SUBSCRIBE reads createRetainedStreamCombi()',
  async (t) => {
    const { aedes, url } = await broker(t);
    const p = retainedPersistenceOf(aedes);
    const stores: { topic: string; withCallback: boolean; thenable: boolean }[] = [];
    const combis: string[][] = [];
    const store = p.storeRetained.bind(p);
    const combi = p.createRetainedStreamCombi.bind(p);
    p.storeRetained = (packet, cb) => {
      const result = store(packet, cb);
      stores.push({
        topic: packet.topic,
        withCallback: cb !== undefined,
        thenable: typeof (result as { then?: unknown } | undefined)?.then === 'function',
      });
      return result;
    };
    p.createRetainedStreamCombi = (patterns) => {
      combis.push(patterns);
      return combi(patterns);
    };

    const pub = await mqtt.connectAsync(url, { clientId: 'pub', reconnectPeriod: 0 });
    t.teardown(() => pub.endAsync());
    await pub.publishAsync('yw/v1/gw/a/state', 'online', { qos: 1, retain: true });
    t.same(
      stores,
      [{ topic: 'yw/v1/gw/a/state', withCallback: false, thenable: true }],
      'called with the packet alone; Aedes waits on the promise it returns',
    );

    const stream = p.createRetainedStream('yw/v1/gw/+/state');
    t.ok(
      stream instanceof Readable || typeof (stream as Readable).on === 'function',
      'createRetainedStream() gives a stream',
    );
    const packets: { topic: string; payload: Buffer }[] = [];
    for await (const packet of stream) packets.push(packet as { topic: string; payload: Buffer });
    t.same(
      packets.map((x) => [x.topic, x.payload.toString()]),
      [['yw/v1/gw/a/state', 'online']],
      'of the retained packets with topic and payload',
    );

    const sub = await mqtt.connectAsync(url, { clientId: 'sub', reconnectPeriod: 0 });
    t.teardown(() => sub.endAsync());
    const got: string[] = [];
    sub.on('message', (topic, payload) => got.push(`${topic}=${payload.toString()}`));
    await sub.subscribeAsync(['yw/v1/gw/a/#', 'other/+'], { qos: 1 });
    await until('retained delivered', () => got.length === 1, 5000);
    t.same(combis, [['yw/v1/gw/a/#', 'other/+']], "a SUBSCRIBE's filters go to createRetainedStreamCombi() together");
    t.same(got, ['yw/v1/gw/a/state=online'], 'and what its stream yields is delivered');
  },
);
