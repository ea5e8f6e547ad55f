/** Gateway isolation, checked with the real Mosquitto clients against the Aedes broker. */
import t from 'tap';
import { spawn } from 'node:child_process';
import { mayPublish, maySubscribe } from '../../../cloud/broker/acl.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

interface Run {
  code: number | null;
  out: string;
  err: string;
}
function run(cmd: string, args: string[], onStdout?: (s: string) => void): Promise<Run> & { kill: () => void } {
  const p = spawn(cmd, args);
  let out = '',
    err = '';
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    onStdout?.(out);
  });
  p.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<Run>((resolve) => p.on('close', (code) => resolve({ code, out, err })));
  return Object.assign(done, { kill: () => p.kill('SIGTERM') });
}

t.test('ACL rules', async (t) => {
  t.ok(mayPublish('a', 'yw/v1/gw/a/up/batch', false));
  t.ok(mayPublish('a', 'yw/v1/gw/a/state', true));
  t.notOk(mayPublish('a', 'yw/v1/gw/a/up/batch', true), 'no retained batches');
  t.notOk(mayPublish('a', 'yw/v1/gw/b/up/batch', false));
  t.notOk(mayPublish('a', 'yw/v1/gw/a/down/ack', false), 'a gateway cannot forge its own downlinks');
  t.notOk(mayPublish('a', 'yw/v1/gw/a/up/other', false));
  t.notOk(mayPublish('a', '$SYS/x', false));
  t.ok(maySubscribe('a', 'yw/v1/gw/a/down/#'));
  t.ok(maySubscribe('a', 'yw/v1/gw/a/down/ack'));
  t.ok(maySubscribe('a', 'yw/v1/gw/a/down/+'));
  for (const f of [
    '#',
    '+/#',
    'yw/#',
    'yw/v1/gw/+/down/ack',
    'yw/v1/gw/b/down/#',
    'yw/v1/gw/a/up/#',
    '$SYS/#',
    'yw/v1/gw/a/#',
    'yw/v1/gw/a/down',
    'yw/v1/gw/a/down/#/x',
    'yw/v1/gw/a/down/a+',
  ]) {
    t.notOk(maySubscribe('a', f), `deny ${f}`);
  }
});

t.test("a second gateway can neither read nor write the first one's topics", async (t) => {
  const { cloud, logs } = await startCloud();
  t.teardown(() => cloud.stop());
  const port = String(cloud.broker.port);
  const secretA = await cloud.createGateway('gw-a');
  const secretB = await cloud.createGateway('gw-b');
  const base = ['-h', '127.0.0.1', '-p', port];

  // gw-a listens on its own downlinks (positive control); gw-b tries to listen to gw-a's.
  let aGot = '';
  const subA = run(
    'mosquitto_sub',
    [...base, '-i', 'gw-a', '-u', 'gw-a', '-P', secretA, '-q', '1', '-t', 'yw/v1/gw/gw-a/down/#', '-v'],
    (s) => {
      aGot = s;
    },
  );
  const subB = await run('mosquitto_sub', [
    ...base,
    '-i',
    'gw-b',
    '-u',
    'gw-b',
    '-P',
    secretB,
    '-q',
    '1',
    '-t',
    'yw/v1/gw/gw-a/down/#',
    '-t',
    'yw/v1/gw/+/down/ack',
    '-t',
    '#',
    '-t',
    '$SYS/#',
    '-W',
    '3',
  ]);
  t.match(
    subB.out + subB.err,
    /All subscription requests were denied/,
    'every subscription of gw-b is refused by the broker',
  );
  // gw-b has gone and was refused; gw-a's own subscription is in place (SUBACK sent), so its downlink cannot be missed
  const aedesClients = (
    cloud.broker.aedes as unknown as { clients: Record<string, { subscriptions: Record<string, unknown> } | undefined> }
  ).clients;
  await until(
    'gw-a subscribed',
    () =>
      cloud.broker.aedes.connectedClients === 1 &&
      logs.lines.some((l) => l.msg === 'subscription refused') &&
      aedesClients['gw-a']?.subscriptions['yw/v1/gw/gw-a/down/#'] !== undefined,
  );
  await new Promise<void>((r) =>
    cloud.broker.aedes.publish(
      {
        cmd: 'publish',
        topic: 'yw/v1/gw/gw-a/down/cmd',
        payload: Buffer.from('hello-a'),
        qos: 1,
        retain: false,
        dup: false,
      },
      () => r(),
    ),
  );
  await until('gw-a receives its downlink', () => aGot.includes('hello-a'));
  subA.kill();
  await subA;

  // gw-b publishes into gw-a's uplink: the broker drops the connection; nothing is stored.
  const pubB = await run('mosquitto_pub', [
    ...base,
    '-i',
    'gw-b',
    '-u',
    'gw-b',
    '-P',
    secretB,
    '-q',
    '1',
    '-t',
    'yw/v1/gw/gw-a/up/batch',
    '-m',
    'forged',
  ]);
  t.not(pubB.code, 0, 'the forged publish is not acknowledged');
  t.ok(
    logs.withCode('CLOUD_ERR_ACL_DENIED').some((l) => l.topic === 'yw/v1/gw/gw-a/up/batch' && l.gatewayId === 'gw-b'),
    'coded error names gateway and topic',
  );
  // gw-b posing as gw-a by client id
  const pubSpoof = await run('mosquitto_pub', [
    ...base,
    '-i',
    'gw-a',
    '-u',
    'gw-b',
    '-P',
    secretB,
    '-q',
    '1',
    '-t',
    'yw/v1/gw/gw-b/up/health',
    '-m',
    'x',
  ]);
  t.not(pubSpoof.code, 0);
  t.ok(logs.withCode('CLOUD_ERR_CLIENT_ID').length >= 1, 'client id must equal the gateway id');
  const stats = await cloud.store.stats();
  t.equal(stats.readings, 0);
  t.equal(stats.batches, 0);
});

t.test('a wrong password is refused with a coded error and changes nothing', async (t) => {
  const { cloud, logs } = await startCloud();
  t.teardown(() => cloud.stop());
  await cloud.createGateway('gw-a');
  const r = await run('mosquitto_pub', [
    '-h',
    '127.0.0.1',
    '-p',
    String(cloud.broker.port),
    '-i',
    'gw-a',
    '-u',
    'gw-a',
    '-P',
    'Pa55-not-this-one',
    '-q',
    '1',
    '-t',
    'yw/v1/gw/gw-a/up/health',
    '-m',
    'x',
  ]);
  t.not(r.code, 0);
  t.match(r.err, /not authori[sz]ed|bad user name or password/i);
  const failures = logs.withCode('CLOUD_ERR_AUTH_FAILED');
  t.equal(failures.length, 1);
  t.equal(failures[0]?.username, 'gw-a');
  t.notOk(JSON.stringify(logs.lines).includes('Pa55-not-this-one'), 'the password is not logged');
  t.equal((await cloud.store.getGateway('gw-a'))?.online, false);
});
