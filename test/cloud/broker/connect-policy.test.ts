/**
 * What a CONNECT may ask for (issue 16): a will of `#`, on another gateway's topic or retained
 * elsewhere was accepted (Aedes authorizes a will only when it fires); persistent sessions kept
 * state for any client. Now both are refused at CONNECT with a CONNACK code and a coded warning.
 */
import t from 'tap';
import mqtt from 'mqtt';
import { gatewayConnectRefusal, provConnectRefusal } from '../../../cloud/broker/connect-policy.js';
import { pb } from '../../../proto/index.js';
import { topics } from '../../../proto/topics.js';
import { startCloud } from '../../helpers/fleet.js';

const presence = Buffer.from(pb.Presence.encode({ online: false }).finish());

t.test('rules', async (t) => {
  const will = (topic: string, qos = 1, payload: Buffer = presence) => ({ topic, payload, qos, retain: true });
  t.equal(gatewayConnectRefusal('gw-a', { clientId: 'gw-a', clean: true, will: null }), undefined);
  t.equal(
    gatewayConnectRefusal('gw-a', { clientId: 'gw-a', clean: true, will: will(topics.state('gw-a')) }),
    undefined,
    'own state topic',
  );
  for (const topic of [
    '#',
    'yw/v1/gw/gw-b/state',
    'yw/v1/gw/gw-a/up/batch',
    'yw/v1/gw/gw-a/down/config',
    '$SYS/x',
    'yw/v1/gw/gw-a/state/x',
  ]) {
    t.equal(
      gatewayConnectRefusal('gw-a', { clientId: 'gw-a', clean: true, will: will(topic) })?.code,
      'CLOUD_ERR_WILL_REFUSED',
      `will on ${topic}`,
    );
  }
  t.equal(
    gatewayConnectRefusal('gw-a', { clientId: 'gw-a', clean: true, will: will(topics.state('gw-a'), 2) })?.code,
    'CLOUD_ERR_WILL_REFUSED',
    'QoS 2 will',
  );
  t.equal(
    gatewayConnectRefusal('gw-a', {
      clientId: 'gw-a',
      clean: true,
      will: will(topics.state('gw-a'), 1, Buffer.alloc(2000)),
    })?.code,
    'CLOUD_ERR_WILL_REFUSED',
    'large will',
  );
  t.equal(gatewayConnectRefusal('gw-a', { clientId: 'gw-a', clean: false, will: null })?.rc, 2, 'persistent session');
  t.equal(provConnectRefusal({ clientId: 'prov-x', clean: false, will: null })?.code, 'CLOUD_ERR_PERSISTENT_SESSION');
  t.equal(
    provConnectRefusal({ clientId: 'prov-x', clean: true, will: will('yw/v1/prov/prov-x/res') })?.code,
    'CLOUD_ERR_WILL_REFUSED',
  );
  t.equal(provConnectRefusal({ clientId: 'prov-x', clean: true, will: null }), undefined);
});

t.test("a gateway's CONNECT with a will outside its state topic, or a persistent session, is refused", async (t) => {
  const { cloud, logs, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  const secretA = await cloud.createGateway('gw-a');
  await cloud.createGateway('gw-b');
  const connect = async (o: mqtt.IClientOptions): Promise<number> => {
    try {
      const c = await mqtt.connectAsync(mqttUrl, {
        clientId: 'gw-a',
        username: 'gw-a',
        password: secretA,
        protocolVersion: 4,
        reconnectPeriod: 0,
        ...o,
      });
      await c.endAsync(true);
      return 0;
    } catch (err) {
      return (err as { code?: number }).code ?? -1;
    }
  };
  t.equal(await connect({ will: { topic: '#', payload: presence, qos: 1, retain: true } }), 5, 'will on # → CONNACK 5');
  t.equal(
    await connect({ will: { topic: topics.state('gw-b'), payload: presence, qos: 1, retain: true } }),
    5,
    "will on another gateway's state → CONNACK 5",
  );
  t.equal(
    await connect({ will: { topic: 'yw/v1/elsewhere', payload: presence, qos: 0, retain: true } }),
    5,
    'retained will elsewhere → CONNACK 5',
  );
  t.equal(await connect({ clean: false }), 2, 'persistent session → CONNACK 2');
  t.equal(cloud.broker.counters.willRefused, 3);
  t.equal(cloud.broker.counters.persistentSessionRefused, 1);
  t.ok(
    logs.withCode('CLOUD_ERR_WILL_REFUSED').some((l) => typeof l.reason === 'string' && l.reason.includes('"#"')),
    'the warning names the topic',
  );
  t.equal(
    await connect({ will: { topic: topics.state('gw-a'), payload: presence, qos: 1, retain: true } }),
    0,
    'the will the edge sets is accepted',
  );
  t.equal(await connect({}), 0, 'no will is fine');
});

t.test(
  'QoS 2 publishes and oversized state messages are refused (no per-client state until PUBREL, one small retained message per gateway)',
  async (t) => {
    const { cloud, mqttUrl } = await startCloud();
    t.teardown(() => cloud.stop());
    const secret = await cloud.createGateway('gw-a');
    const attempt = async (topic: string, payload: Buffer, qos: 1 | 2, retain: boolean): Promise<'kept' | 'closed'> => {
      const c = await mqtt.connectAsync(mqttUrl, {
        clientId: 'gw-a',
        username: 'gw-a',
        password: secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
      const closed = new Promise<'closed'>((r) => c.once('close', () => r('closed')));
      // QoS 1 and 2: the broker acknowledges (PUBACK, PUBCOMP) only a publish it allowed; a denied one closes the connection first
      const kept = c.publishAsync(topic, payload, { qos, retain }).then(
        () => 'kept' as const,
        () => 'closed' as const,
      );
      const out = await Promise.race([closed, kept]);
      await c.endAsync(true);
      return out;
    };
    const denied = cloud.broker.counters.aclDenied;
    t.equal(
      await attempt(topics.up('gw-a', 'health'), Buffer.alloc(0), 2, false),
      'closed',
      'QoS 2 closes the connection',
    );
    t.equal(
      await attempt(topics.state('gw-a'), Buffer.alloc(2000), 1, true),
      'closed',
      'a 2 KB state message closes the connection',
    );
    t.equal(cloud.broker.counters.aclDenied, denied + 2);
    t.equal(
      await attempt(topics.state('gw-a'), Buffer.from(pb.Presence.encode({ online: true }).finish()), 1, true),
      'kept',
      'a Presence is fine',
    );
  },
);
