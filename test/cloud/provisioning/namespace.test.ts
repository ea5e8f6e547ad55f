/**
 * The provisioning namespace is separate from gateway ids (issue 16, finding 7): a gateway whose id
 * matched `prov-[A-Za-z0-9]{16,64}` was kicked by an unauthenticated `$claim` session, which with
 * clean=false also received the gateway's queued signed config. Now no gateway id starts with
 * `prov-`, a provisioning session never takes over a connected client id, and it keeps no state
 * (clean sessions only, no will).
 */
import t from 'tap';
import { connect } from 'node:net';
import mqtt from 'mqtt';
import { pb } from '../../../proto/index.js';
import { GATEWAY_ID_RE, PROV_SESSION_RE, topics } from '../../../proto/topics.js';
import { hashSecret, newSecret } from '../../../cloud/registry/secrets.js';
import { claimIdentity } from '../../../edge/provisioning/claim-client.js';
import { newX25519 } from '../../../common/seal.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const P = 'prov-0123456789abcdef';

t.test('no gateway id lies in the provisioning namespace', async (t) => {
  t.ok(PROV_SESSION_RE.test(P));
  for (const id of [P, 'prov-x', 'PROV-0123456789abcdef', 'Prov-1'])
    t.notOk(GATEWAY_ID_RE.test(id), `${id} is not a gateway id`);
  for (const id of ['gw-1', 'prov', 'provider-7', 'prov_1', 'x-prov-1'])
    t.ok(GATEWAY_ID_RE.test(id), `${id} is a gateway id`);
});

t.test('gateways add, claims and the broker refuse prov- gateway ids', async (t) => {
  const { cloud, logs, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  const res = await fetch(`http://127.0.0.1:${cloud.api.port}/api/v1/gateways`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: P }),
  });
  t.equal(res.status, 400, '`gateways add prov-…` is refused');
  t.equal(await cloud.store.getGateway(P), undefined);

  const { token } = await cloud.provisioning.createClaim({ uses: 2 });
  const keys = newX25519();
  const answer = pb.ClaimResponse.decode(
    await cloud.provisioning.claim(
      Buffer.from(pb.ClaimRequest.encode({ token, publicKey: keys.publicRaw, requestedId: P }).finish()),
      'prov-sessionaaaaaaaaaaaa',
    ),
  );
  t.equal(answer.errorCode, 'CLOUD_ERR_CLAIM_INVALID', 'a claim may not ask for a prov- id');
  t.match(answer.detail, /prov-/);

  // a registry row from before the rule cannot log in as a gateway either
  const secret = newSecret();
  await cloud.store.createGateway(P, await hashSecret(secret));
  const err = await mqtt
    .connectAsync(mqttUrl, { clientId: P, username: P, password: secret, protocolVersion: 4, reconnectPeriod: 0 })
    .then(
      (c) => {
        void c.endAsync(true);
        return 0;
      },
      (e: { code?: number }) => e.code,
    );
  t.equal(err, 4, 'refused: CONNACK 4');
  t.ok(logs.withCode('CLOUD_ERR_AUTH_FAILED').some((l) => l.username === P));
});

t.test('a provisioning session never takes over a connected client id and keeps no state', async (t) => {
  const { cloud, logs, mqttUrl } = await startCloud();
  t.teardown(() => cloud.stop());
  const prov = (o: mqtt.IClientOptions = {}): Promise<mqtt.MqttClient> =>
    mqtt.connectAsync(mqttUrl, { clientId: P, username: '$claim', protocolVersion: 4, reconnectPeriod: 0, ...o });
  const code = (p: Promise<mqtt.MqttClient>): Promise<number> =>
    p.then(
      (c) => {
        void c.endAsync(true);
        return 0;
      },
      (e: { code?: number }) => e.code ?? -1,
    );

  t.equal(
    await code(prov({ clientId: `prov-${'a'.repeat(65)}` })),
    2,
    'a client id over 69 characters is refused (CONNACK 2)',
  );
  t.equal(await code(prov({ clean: false })), 2, 'clean=false is refused (CONNACK 2)');
  t.equal(
    await code(prov({ will: { topic: topics.provResponse(P), payload: Buffer.from('x'), qos: 0, retain: true } })),
    5,
    'a will is refused (CONNACK 5)',
  );
  t.equal(cloud.broker.counters.persistentSessionRefused, 1);
  t.equal(cloud.broker.counters.willRefused, 1);

  const first = await prov();
  let firstClosed = false;
  first.on('close', () => {
    firstClosed = true;
  });
  t.equal(await code(prov()), 2, 'a second session with the same id is refused (CONNACK 2)');
  t.equal(cloud.broker.counters.clientIdInUse, 1);
  t.ok(logs.withCode('CLOUD_ERR_CLIENT_ID_IN_USE').length >= 1);
  t.notOk(firstClosed, 'the first session was not kicked');

  // the first session still completes its claim
  const { token } = await cloud.provisioning.createClaim({});
  const keys = newX25519();
  const answered = new Promise<Buffer>((resolve) => first.on('message', (_t, payload) => resolve(payload)));
  await first.subscribeAsync(topics.provResponse(P), { qos: 1 });
  await first.publishAsync(
    topics.provRequest(P),
    Buffer.from(pb.ClaimRequest.encode({ token, publicKey: keys.publicRaw }).finish()),
    { qos: 1 },
  );
  t.ok(pb.ClaimResponse.decode(await answered).ok, 'the first session got its identity');
  await first.endAsync(true);
  await until('session id free again', async () => (await code(prov())) === 0);

  // an ordinary claim still works
  const id = await claimIdentity({
    url: mqttUrl,
    token: (await cloud.provisioning.createClaim({})).token,
    timeoutMs: 5000,
  });
  t.match(id.gatewayId, /^gw-/);
});

t.test(
  'a provisioning session stays an unauthenticated connection: its slot, its small packet limit, the connect timeout',
  async (t) => {
    const { cloud, mqttUrl } = await startCloud(undefined, {
      mqtt: { max_unauthenticated: 2, connect_timeout_ms: 1500 },
    });
    t.teardown(() => cloud.stop());
    const prov = (id: string): Promise<mqtt.MqttClient> =>
      mqtt.connectAsync(mqttUrl, { clientId: id, username: '$claim', protocolVersion: 4, reconnectPeriod: 0 });
    const a = await prov('prov-aaaaaaaaaaaaaaaa');
    const b = await prov('prov-bbbbbbbbbbbbbbbb');
    const closedA = new Promise<void>((r) => a.once('close', () => r()));
    const closedB = new Promise<void>((r) => b.once('close', () => r()));
    t.equal(cloud.broker.counters.unauthenticated, 2, 'two provisioning sessions hold the two slots');
    const third = connect(cloud.broker.port, '127.0.0.1');
    third.on('error', () => {});
    await new Promise<void>((r) => third.once('close', () => r()));
    t.equal(cloud.broker.counters.unauthenticatedRefused, 1, 'a third connection is refused at accept');
    a.publish(topics.provRequest('prov-aaaaaaaaaaaaaaaa'), Buffer.alloc(10_000), { qos: 1 });
    await closedA;
    t.equal(
      cloud.broker.counters.connectTooLarge,
      1,
      'a 10 KB request is over the 4 KB limit of unauthenticated connections',
    );
    await closedB;
    t.equal(cloud.broker.counters.connectTimeouts, 1, 'an idle provisioning session is closed at the connect timeout');
    await until('slots free', () => cloud.broker.counters.unauthenticated === 0);
    const id = await claimIdentity({
      url: mqttUrl,
      token: (await cloud.provisioning.createClaim({})).token,
      timeoutMs: 5000,
    });
    t.match(id.gatewayId, /^gw-/, 'a claim completes within the limits');
  },
);
