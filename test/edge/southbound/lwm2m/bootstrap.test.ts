/**
 * LwM2M bootstrap on the gateway (issue 21 item 3): a factory-fresh device holding only its
 * bootstrap key does a DTLS handshake with it, asks POST /bs?ep=…, answers the gateway's
 * Bootstrap-Delete, Bootstrap-Discover, Bootstrap-Write and Bootstrap-Finish as a client must
 * (OMA-TS-LightweightM2M_Core 1.1.1 §6.1; the device here is written from the specification: its
 * TLV reading is by hand, byte by byte, not with our codec), and then registers over a new DTLS
 * session with the account it was given. Refusals: the bootstrap key cannot register or post,
 * the device key cannot bootstrap, another device's bootstrap key cannot bootstrap this one,
 * plain CoAP only with nosec "open" (a NoSec account). libcoap's coap-client asks a real
 * Bootstrap-Request. Bounds: bootstraps in progress (5.03 with Max-Age, counted); a device that
 * answers a write with an error fails only its own bootstrap (counted, event).
 */
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import type { ParsedPacket } from 'coap-packet';
import { silentLogger } from '../../../../common/log.js';
import { EdgeAgent } from '../../../../edge/agent.js';
import { Device } from '../../../helpers/dtls-lwm2m-device.js';
import { edgeConfig, tempDir } from '../../../helpers/fleet.js';
import { until } from '../../../helpers/wait.js';

const BS_KEY = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
/** ASCII: libcoap's -k takes the key as text. */
const BS_KEY_2 = Buffer.from('bootstrap-key-m2');

async function startAgent(t: Test, coap: Record<string, unknown> = {}, lwm2m: Record<string, unknown> = {}) {
  const agent = await EdgeAgent.start(
    edgeConfig(tempDir('yw-bs-agent-'), 'gw-bs', 'gw-bs-secret', 'mqtt://127.0.0.1:9', {
      coap: { dtls_enabled: true, dtls_port: 0, ...coap },
      lwm2m: { request_timeout_ms: 1500, ...lwm2m },
    }),
    silentLogger(),
  );
  t.teardown(() => agent.stop());
  agent.registry.add({
    id: 'meter-1',
    kind: 'lwm2m',
    bootstrapIdentity: 'bs-meter-1',
    bootstrapKey: BS_KEY.toString('hex'),
    tags: { lwm2m_lifetime_s: '3600' },
  });
  agent.registry.add({
    id: 'meter-2',
    kind: 'lwm2m',
    bootstrapIdentity: 'bs-meter-2',
    bootstrapKey: BS_KEY_2.toString('hex'),
  });
  return agent;
}

const pathOf = (p: ParsedPacket): string =>
  `/${p.options
    .filter((o) => o.name === 'Uri-Path')
    .map((o) => o.value.toString())
    .join('/')}`;
const optionNumber = (p: ParsedPacket, name: string): number | undefined => {
  const o = p.options.find((x) => x.name === name);
  return o === undefined ? undefined : o.value.length === 0 ? 0 : o.value.readUIntBE(0, o.value.length);
};

/**
 * Resources of a TLV payload (OMA-TS-LightweightM2M_Core 1.1.1 §7.4.3), read by hand: type byte
 * bits 7–6 the identifier type (00 object instance, 11 resource with value), bit 5 the identifier
 * length (8 or 16 bits), bits 4–3 the length type (in bits 2–0, or 8/16/24 bits after the id).
 */
function tlvResources(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let i = 0;
  while (i < buf.length) {
    const type = buf[i++]!;
    const id = type & 0x20 ? buf.readUInt16BE(i) : buf[i]!;
    i += type & 0x20 ? 2 : 1;
    const lt = (type >> 3) & 3;
    const len = lt === 0 ? type & 7 : buf.readUIntBE(i, lt);
    i += lt;
    const value = buf.subarray(i, i + len);
    i += len;
    if (type >> 6 === 0) for (const [k, v] of tlvResources(value)) out.set(k, v);
    else out.set(id, value);
  }
  return out;
}
const int = (b: Buffer | undefined): number => (b === undefined ? Number.NaN : b.readIntBE(0, b.length));

/** Answers a whole bootstrap as a 1.1 client whose bootstrap account is /0/0; returns what was written. */
async function beBootstrapped(d: Device): Promise<{
  security: Map<number, Buffer>;
  server: Map<number, Buffer>;
  paths: string[];
  format: number | undefined;
}> {
  const paths: string[] = [];
  let security = new Map<number, Buffer>();
  let server = new Map<number, Buffer>();
  let format: number | undefined;
  for (;;) {
    const r = await d.request();
    const path = pathOf(r);
    paths.push(`${r.code} ${path}`);
    if (r.code === '0.04') d.answer(r, '2.02');
    else if (r.code === '0.01') {
      // Bootstrap-Discover of /0: the bootstrap account is /0/0 (no ssid)
      d.answer(r, '2.05', [{ name: 'Content-Format', value: Buffer.of(40) }], '</>;lwm2m=1.1,</0/0>');
    } else if (r.code === '0.03') {
      format = optionNumber(r, 'Content-Format');
      if (path.startsWith('/0/')) security = tlvResources(r.payload);
      else server = tlvResources(r.payload);
      d.answer(r, '2.04');
    } else if (r.code === '0.02' && path === '/bs') {
      d.answer(r, '2.04');
      return { security, server, paths, format };
    } else throw new Error(`unexpected ${r.code} ${path}`);
  }
}

const coapsPort = (agent: EdgeAgent): number => agent.coaps!.adapter!.listener.port;

t.test('a factory-fresh device is bootstrapped over DTLS and registers with the account it was given', async (t) => {
  const agent = await startAgent(t);
  const port = coapsPort(agent);
  const d = await Device.open(t, port, 'bs-meter-1', BS_KEY);
  const ack = await d.bootstrapRequest('meter-1');
  t.equal(ack.code, '2.04', 'Bootstrap-Request answered 2.04 Changed');
  const got = await beBootstrapped(d);
  t.same(
    got.paths,
    ['0.04 /0', '0.04 /1', '0.01 /0', '0.03 /0/1', '0.03 /1/0', '0.02 /bs'],
    'Delete /0 and /1, Discover /0, Write /0/1 beside the bootstrap account, Write /1/0, Bootstrap-Finish',
  );
  t.equal(got.format, 11542, 'TLV (no pct asked)');
  const s = got.security;
  t.equal(s.get(0)?.toString(), `coaps://127.0.0.1:${port}`, 'Server URI: the coaps listener');
  t.equal(int(s.get(1)), 0, 'not a bootstrap server account');
  t.equal(int(s.get(2)), 0, 'Security Mode 0: PSK');
  t.equal(int(s.get(10)), 101, 'Short Server ID (lwm2m.bootstrap_short_server_id)');
  const identity = s.get(3)!.toString('utf8');
  const key = s.get(5)!;
  t.equal(key.length, 16, 'a 16-byte PSK');
  t.equal(identity, 'meter-1', 'the identity is the device id');
  t.equal(int(got.server.get(0)), 101, '/1/0/0 Short Server ID');
  t.equal(int(got.server.get(1)), 3600, '/1/0/1 lifetime from the device tag lwm2m_lifetime_s');
  t.equal(got.server.get(7)?.toString(), 'UQ', '/1/0/7 binding UQ (queue mode, the default)');
  t.equal(int(got.server.get(6)), 1, '/1/0/6 notification storing');
  t.equal(agent.registry.get('meter-1')?.pskIdentity, 'meter-1', 'the registry holds the new device key');
  t.ok(agent.registry.keys.keyOf('meter-1')?.equals(key), 'the same key the device was given');
  await until('the bootstrap is counted finished', () => agent.lwm2m!.stats().counters.bootstrapsFinished === 1, 5000);
  t.equal(agent.lwm2m!.stats().counters.bootstrapsFinished, 1, 'counted finished');
  t.equal(agent.lwm2m!.stats().bootstrapsInProgress, 0, 'nothing left in progress');
  t.ok(
    agent.lwm2m!.events('meter-1').some((e) => e.kind === 'bootstrapped'),
    'a bootstrapped event for the device',
  );

  // the bootstrap key may not register; the new key may
  const asBs = await d.register('meter-1');
  t.equal(asBs.code, '4.03', 'the bootstrap key cannot register');
  t.match(asBs.payload.toString(), /DTLS_ERR_IDENTITY_MISMATCH.*bootstrap key/, 'and says why');
  const d2 = await Device.open(t, port, identity, key);
  const reg = await d2.register('meter-1');
  t.equal(reg.code, '2.01', 'registered with the bootstrapped account');
  t.ok(agent.lwm2m!.device('meter-1')?.online, 'online');
  // the device key may not bootstrap
  const again = await d2.bootstrapRequest('meter-1');
  t.equal(again.code, '4.03', "the device's own key cannot ask for a bootstrap");
  t.match(again.payload.toString(), /not its bootstrap key/);
  // a second bootstrap keeps the key (the device may have it already)
  const d3 = await Device.open(t, port, 'bs-meter-1', BS_KEY);
  t.equal((await d3.bootstrapRequest('meter-1', 112)).code, '2.04');
  const second = [];
  for (;;) {
    const r = await d3.request();
    second.push(r);
    if (r.code === '0.03' && pathOf(r).startsWith('/0/')) {
      t.equal(optionNumber(r, 'Content-Format'), 112, 'pct=112: the writes are SenML CBOR');
    }
    d3.answer(r, r.code === '0.04' ? '2.02' : r.code === '0.01' ? '4.04' : '2.04');
    if (r.code === '0.02') break;
  }
  t.ok(
    second.some((r) => r.code === '0.03' && pathOf(r) === '/0/1'),
    'a client without Bootstrap-Discover (4.04) gets the account in /0/1',
  );
  t.ok(agent.registry.keys.keyOf('meter-1')?.equals(key), 're-bootstrapping keeps the device key');
});

t.test('who may ask for a bootstrap', async (t) => {
  const agent = await startAgent(t);
  const port = coapsPort(agent);
  const other = await Device.open(t, port, 'bs-meter-2', BS_KEY_2);
  const r = await other.bootstrapRequest('meter-1');
  t.equal(r.code, '4.03', "another device's bootstrap key cannot bootstrap meter-1");
  t.match(r.payload.toString(), /DTLS_ERR_IDENTITY_MISMATCH/);
  const noEp = await other.call('0.02', [{ name: 'Uri-Path', value: Buffer.from('bs') }]);
  t.equal(noEp.code, '4.00', 'no ep: 4.00');
  t.match(noEp.payload.toString(), /LWM2M_ERR_BOOTSTRAP/);
  const post = await other.call(
    '0.02',
    [
      { name: 'Uri-Path', value: Buffer.from('senml') },
      { name: 'Uri-Path', value: Buffer.from('meter-2') },
    ],
    '[{"n":"x","v":1}]',
  );
  t.equal(post.code, '4.03', 'a bootstrap key cannot post readings');
  await t.rejects(Device.open(t, port, 'bs-meter-1', BS_KEY_2), 'a wrong bootstrap key fails the handshake');
  // plain CoAP: nosec known-devices (the default with DTLS) refuses
  const plain = await Device.open(t, agent.coap.port);
  const p = await plain.bootstrapRequest('meter-9');
  t.equal(p.code, '4.03', 'plain CoAP bootstrap refused under known-devices');
  t.match(p.payload.toString(), /DTLS_ERR_NOSEC_REFUSED/);
  const st = agent.lwm2m!.stats().counters;
  t.equal(st.bootstrapsRefused, 2, 'refusals counted');
  t.equal(st.bootstrapsFinished, 0);
});

t.test('libcoap coap-client asks a Bootstrap-Request with its bootstrap key', async (t) => {
  const agent = await startAgent(t);
  const port = coapsPort(agent);
  const run = (args: string[]): Promise<string> =>
    new Promise((resolve) =>
      execFile('coap-client-openssl', ['-B', '3', ...args], { timeout: 15_000 }, (_e, out, err) =>
        resolve(`${out}${err}`.trim()),
      ),
    );
  const ok = await run([
    '-m',
    'post',
    '-u',
    'bs-meter-2',
    '-k',
    BS_KEY_2.toString(),
    `coaps://127.0.0.1:${port}/bs?ep=meter-2`,
  ]);
  t.notMatch(ok, /\b[45]\.\d\d\b/, `2.04 (${ok})`);
  t.equal(agent.lwm2m!.stats().counters.bootstrapRequests, 1, 'counted');
  const bad = await run([
    '-m',
    'post',
    '-u',
    'bs-meter-2',
    '-k',
    BS_KEY_2.toString(),
    `coaps://127.0.0.1:${port}/bs?ep=meter-1`,
  ]);
  t.match(bad, /\b4\.03\b/, 'another endpoint: 4.03');
});

t.test('plain CoAP under nosec "open": a NoSec account', async (t) => {
  const agent = await startAgent(t, { nosec: 'open' });
  const d = await Device.open(t, agent.coap.port);
  t.equal((await d.bootstrapRequest('sensor-7')).code, '2.04');
  const got = await beBootstrapped(d);
  t.equal(int(got.security.get(2)), 3, 'Security Mode 3: NoSec');
  t.equal(got.security.get(0)?.toString(), `coap://127.0.0.1:${agent.coap.port}`, 'the plain CoAP URI');
  t.equal(got.security.get(5)?.length, 0, 'no key crosses plain CoAP');
  t.equal(agent.registry.get('sensor-7'), undefined, 'no device key made');
  // a keyed device may not take the plain path even under open
  const k = await d.bootstrapRequest('meter-1');
  t.equal(k.code, '4.03', 'a device with keys must use coaps');
  // one source address gets at most 4 bootstraps in progress (the device here never answers)
  const flood = await Device.open(t, agent.coap.port);
  const codes: string[] = [];
  for (let i = 0; i < 5; i++) codes.push((await flood.bootstrapRequest(`spoofed-${i}`)).code);
  t.same(codes, ['2.04', '2.04', '2.04', '2.04', '5.03'], 'the fifth from one address waits');
  // an endpoint whose bootstrap runs from one peer is not taken over from another
  const other = await Device.open(t, agent.coap.port);
  const taken = await other.bootstrapRequest('spoofed-0');
  t.equal(taken.code, '5.03', 'the same endpoint from another peer: 5.03');
  t.match(taken.payload.toString(), /from another address is in progress/);
  t.equal((await flood.bootstrapRequest('spoofed-0')).code, '2.04', 'from its own peer it joins');
});

t.test('bounds: bootstraps in progress; a device that refuses a write fails only its own bootstrap', async (t) => {
  const agent = await startAgent(t, {}, { bootstrap_max_concurrent: 1 });
  const port = coapsPort(agent);
  const silent = await Device.open(t, port, 'bs-meter-1', BS_KEY);
  t.equal(
    (await silent.bootstrapRequest('meter-1')).code,
    '2.04',
    'the first bootstrap starts (the device stays silent)',
  );
  const second = await Device.open(t, port, 'bs-meter-2', BS_KEY_2);
  const busy = await second.bootstrapRequest('meter-2');
  t.equal(busy.code, '5.03', 'the second waits: 5.03');
  t.equal(optionNumber(busy, 'Max-Age'), 30, 'with Max-Age');
  t.match(busy.payload.toString(), /LWM2M_ERR_BOOTSTRAP_BUSY/);
  t.equal(agent.lwm2m!.stats().counters.bootstrapsBusy, 1, 'counted');
  // the silent device's bootstrap times out (lwm2m.request_timeout_ms) and frees its slot
  for (let i = 0; i < 200 && (agent.lwm2m!.stats().counters.bootstrapsFailed ?? 0) < 1; i++)
    await new Promise((r) => setTimeout(r, 25));
  t.equal(agent.lwm2m!.stats().counters.bootstrapsFailed, 1, 'the silent bootstrap failed');
  t.equal((await second.bootstrapRequest('meter-2')).code, '2.04', 'then the second may start');
  for (;;) {
    const r = await second.request();
    if (r.code === '0.03') {
      second.answer(r, '4.13', [], 'no room');
      break;
    }
    second.answer(r, r.code === '0.04' ? '2.02' : '4.04');
  }
  for (let i = 0; i < 100 && (agent.lwm2m!.stats().counters.bootstrapsFailed ?? 0) < 2; i++)
    await new Promise((r) => setTimeout(r, 20));
  t.equal(agent.lwm2m!.stats().counters.bootstrapsFailed, 2, 'a write refused with 4.13 fails the bootstrap');
  const ev = agent.lwm2m!.events('meter-2').find((e) => e.kind === 'bootstrap_failed');
  t.match(
    ev?.detail,
    /LWM2M_ERR_BOOTSTRAP: Bootstrap-Write \/0\/1: the device answered 4\.13/,
    'the event names the step and the answer',
  );
  t.equal(agent.lwm2m!.stats().bootstrapsInProgress, 0);
});
