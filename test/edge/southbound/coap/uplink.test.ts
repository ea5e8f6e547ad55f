/** CoAP uplinks through a real libcoap client (coap-client-notls) and hand-built CON packets. */
import t from 'tap';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, parse } from 'coap-packet';
import { edgeConfig, startEdge, tempDir } from '../../../helpers/fleet.js';
import { BUILTIN_LAYOUTS } from '../../../../edge/profiles/builtin-layouts.js';
import { encodePayload } from '../../../../edge/profiles/layout/index.js';
import { ClockQuality } from '../../../../proto/index.js';

const exec = promisify(execFile);
const payloadDir = tempDir('yw-coap-payload-');
let payloads = 0;
/** POSTs with coap-client-notls; returns what it prints (empty for a 2.xx without payload, `4.00 CODE: …` otherwise). */
async function coapPost(port: number, path: string, ct: number, payload: string | Buffer): Promise<string> {
  const file = join(payloadDir, `p${payloads++}`);
  writeFileSync(file, payload);
  const { stdout, stderr } = await exec('coap-client-notls', [
    '-B',
    '10',
    '-m',
    'post',
    '-t',
    String(ct),
    '-f',
    file,
    `coap://127.0.0.1:${port}${path}`,
  ]);
  return (stdout + stderr).trim();
}

/** Sends one CON POST with a chosen message id from `sock`; resolves with the response packet. */
function conPost(
  sock: ReturnType<typeof createSocket>,
  port: number,
  messageId: number,
  path: string[],
  payload: string,
  token = Buffer.from([messageId & 0xff]),
): Promise<ReturnType<typeof parse>> {
  return new Promise((resolve) => {
    sock.once('message', (msg) => resolve(parse(msg)));
    sock.send(
      generate({
        messageId,
        token,
        code: '0.02',
        confirmable: true,
        options: path.map((p) => ({ name: 'Uri-Path', value: Buffer.from(p) })),
        payload: Buffer.from(payload),
      }),
      port,
      '127.0.0.1',
    );
  });
}

const noCloud = 'mqtt://127.0.0.1:9'; // nothing listens: readings stay buffered

t.test('SenML and raw uplinks are stored; a malformed one is refused with a code and disturbs nothing', async (t) => {
  const dir = tempDir();
  const { agent, logs } = await startEdge(edgeConfig(dir, 'gw-t', 's3cret', noCloud));
  t.teardown(() => agent.stop());
  const port = agent.coap.port;

  t.equal(
    await coapPost(
      port,
      '/senml/urn:imei:861234567890123',
      110,
      '[{"bn":"","bt":1700000000,"n":"temperature","u":"Cel","v":21.5},{"n":"humidity","u":"%RH","v":40,"t":60}]',
    ),
    '',
    '2.04 without payload',
  );
  t.equal(await coapPost(port, '/senml', 110, '[{"bn":"urn:dev:ops:aq-1:","n":"pm2_5","u":"ug/m3","v":12}]'), '');

  const bad = await coapPost(port, '/senml/dev-bad', 110, '[{"n":"temperature","v":"hot"}]');
  t.match(bad, /^4\.00 EDGE_ERR_SENML: record 0: v must be a finite number/);
  t.match(await coapPost(port, '/senml/dev-bad', 110, '{"not":"a pack"'), /^4\.00 EDGE_ERR_SENML: not JSON/);
  t.match(await coapPost(port, '/nowhere', 110, '[]'), /^4\.04 EDGE_ERR_COAP_NOT_FOUND/);
  t.match(await coapPost(port, '/senml/x', 42, 'abc'), /^4\.15 EDGE_ERR_CONTENT_FORMAT/);

  const aq = BUILTIN_LAYOUTS.get('air-quality-v1')!;
  const frame = Buffer.from(
    encodePayload(aq, {
      pm2_5: 9,
      pm10: 9,
      so2: 3,
      no2: 17,
      co: 300,
      o3: 89,
      temperature: -0.5,
      pressure: 1024.5,
      dew_point: -21.4,
      rain: 0,
      wind_direction: 337.5,
      wind_speed: 5.7,
    }),
  );
  t.equal(await coapPost(port, '/raw/air-quality-v1/aq-dongsi', 42, frame), '');
  const { pm10: _absent, ...partial } = {
    pm2_5: 9,
    pm10: 9,
    so2: 3,
    no2: 17,
    co: 300,
    o3: 89,
    temperature: -0.5,
    pressure: 1024.5,
    dew_point: -21.4,
    rain: 0,
    wind_direction: 337.5,
    wind_speed: 5.7,
  };
  t.equal(
    await coapPost(port, '/raw/air-quality-v1/aq-tiantan', 42, Buffer.from(encodePayload(aq, partial))),
    '',
    'a field sent as "no value" is left out',
  );
  const broken = Buffer.from(frame);
  broken[3]! ^= 0x40;
  t.match(
    await coapPost(port, '/raw/air-quality-v1/aq-dongsi', 42, broken),
    /^4\.00 EDGE_ERR_PAYLOAD: air-quality-v1: PROFILE_ERR_CHECKSUM/,
  );
  t.match(await coapPost(port, '/raw/no-such-layout/aq-dongsi', 42, frame), /^4\.04 EDGE_ERR_UNKNOWN_LAYOUT/);

  t.equal(logs.withCode('EDGE_ERR_SENML').length, 2, 'malformed SenML logged with its code');
  t.equal(logs.withCode('EDGE_ERR_PAYLOAD').length, 1);
  const s = agent.status();
  t.equal(s.store.rows, 2 + 1 + 12 + 11, 'exactly the good readings are stored');
  t.equal(s.coap.rejected, 6);
  const b = agent.store.sealBatch('gw-t', 100)!;
  const { decodeBatch } = await import('../../../../proto/batch-codec.js');
  const got = decodeBatch(b.payload).readings;
  const temp = got.find((r) => r.metric === 'temperature' && r.deviceId === 'urn:imei:861234567890123')!;
  t.same([temp.ts, temp.value, temp.unit, temp.clock], [1_700_000_000_000, 21.5, 'Cel', ClockQuality.CLOCK_DEVICE]);
  t.equal(got.find((r) => r.metric === 'humidity')!.ts, 1_700_000_060_000);
  t.equal(got.find((r) => r.deviceId === 'urn:dev:ops:aq-1')!.value, 12, 'device from bn');
  t.notOk(
    got.some((r) => r.deviceId === 'aq-tiantan' && r.metric === 'pm10'),
    'no reading for the absent field',
  );
  const dongsi = Object.fromEntries(got.filter((r) => r.deviceId === 'aq-dongsi').map((r) => [r.metric, r.value]));
  t.same([dongsi.temperature, dongsi.pressure, dongsi.wind_direction, dongsi.co], [-0.5, 1024.5, 337.5, 300]);
});

t.test('a retransmitted CON is acknowledged again but stored once, also across an agent restart', async (t) => {
  const dir = tempDir();
  const cfg = edgeConfig(dir, 'gw-t', 's3cret', noCloud);
  let { agent } = await startEdge(cfg);
  const port = agent.coap.port;
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  t.teardown(() => sock.close());
  const body = '[{"n":"volume_total","u":"m3","v":1234.5,"t":1700000000}]';
  const a1 = await conPost(sock, port, 0x1234, ['senml', 'meter-1'], body);
  const a2 = await conPost(sock, port, 0x1234, ['senml', 'meter-1'], body);
  t.same([a1.code, a1.ack, a2.code, a2.ack], ['2.04', true, '2.04', true]);
  t.equal(agent.status().store.rows, 1);
  await agent.stop();
  ({ agent } = await startEdge({ ...cfg, coap: { ...cfg.coap, port } }));
  t.teardown(() => agent.stop());
  const a3 = await conPost(sock, port, 0x1234, ['senml', 'meter-1'], body);
  t.equal(a3.code, '2.04', 'the restarted agent acknowledges the retransmission');
  t.equal(agent.status().store.rows, 1, 'without storing it again');
  t.equal(agent.status().coap.duplicates, 1);
  const a4 = await conPost(sock, port, 0x1235, ['senml', 'meter-1'], body);
  t.equal(a4.code, '2.04');
  t.equal(agent.status().store.rows, 2, 'a new message id is a new uplink');
  // A device that rebooted restarts its message ids (same source port behind a NAT), but draws a new token.
  const a5 = await conPost(
    sock,
    port,
    0x1234,
    ['senml', 'meter-1'],
    '[{"n":"volume_total","u":"m3","v":1240.0,"t":1700000600}]',
    Buffer.from([0xbe, 0xef]),
  );
  t.equal(a5.code, '2.04');
  t.equal(agent.status().store.rows, 3, 'same message id with a new token is a new uplink, not a duplicate');
  t.equal(agent.status().coap.duplicates, 1);
});

t.test('no ACK promises delivery when the commit fails', async (t) => {
  const dir = tempDir();
  const { agent, logs } = await startEdge(edgeConfig(dir, 'gw-t', 's3cret', noCloud));
  t.teardown(() => agent.stop().catch(() => {}));
  const port = agent.coap.port;
  // make every commit fail: the database goes read-only underneath the store
  (agent.store as unknown as { db: { pragma(s: string): void } }).db.pragma('query_only = ON');
  const r = await coapPost(port, '/senml/dev-1', 110, '[{"n":"t","v":1}]');
  t.match(r, /^5\.03 EDGE_ERR_STORE: not stored, retry later/);
  t.equal(logs.withCode('EDGE_ERR_STORE').length, 1);
  (agent.store as unknown as { db: { pragma(s: string): void } }).db.pragma('query_only = OFF');
  t.equal(await coapPost(port, '/senml/dev-1', 110, '[{"n":"t","v":1}]'), '', 'and it recovers');
});
