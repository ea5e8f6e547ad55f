/**
 * coaps in a running agent (issue 21): libcoap's OpenSSL and GnuTLS clients post SenML uplinks
 * and register LwM2M endpoints over DTLS PSK through the agent's normal CoAP pipeline; identity
 * binding refuses a device acting as another (4.03, nothing stored); coap.nosec known-devices
 * refuses plain CoAP for keyed and unknown devices; a wrong key leaves no session.
 */
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../../common/log.js';
import { EdgeAgent } from '../../../../edge/agent.js';
import { MemoryPskDirectory } from '../../../../edge/southbound/dtls/psk-directory.js';
import { edgeConfig, tempDir } from '../../../helpers/fleet.js';

const KEY_A = 'secret-key-of-a';
const directory = (): MemoryPskDirectory =>
  new MemoryPskDirectory([
    { identity: 'id-a', deviceId: 'dev-a', key: Buffer.from(KEY_A) },
    { identity: 'id-b', deviceId: 'dev-b', key: Buffer.from('secret-key-of-b') },
  ]);

let files = 0;
const dir = tempDir('yw-coaps-');

/** Runs a libcoap client; resolves with its output (stdout + stderr, trimmed) and exit code. */
function libcoap(binary: string, args: string[], payload?: string): Promise<{ out: string; code: number }> {
  const extra: string[] = [];
  if (payload !== undefined) {
    const file = join(dir, `p${files++}`);
    writeFileSync(file, payload);
    extra.push('-f', file);
  }
  return new Promise((resolve) => {
    execFile(binary, ['-B', '8', ...extra, ...args], { timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({
        out: `${stdout}${stderr}`.trim(),
        code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1,
      }),
    );
  });
}

async function startAgent(t: Test, coap: Record<string, unknown> = {}): Promise<EdgeAgent> {
  const agent = await EdgeAgent.start(
    edgeConfig(tempDir('yw-coaps-agent-'), 'gw-coaps', 'gw-coaps-secret', 'mqtt://127.0.0.1:9', {
      coap: { dtls_enabled: true, dtls_port: 0, ...coap },
    }),
    silentLogger(),
    undefined,
    { pskDirectory: directory() },
  );
  t.teardown(() => agent.stop());
  return agent;
}

const SENML = '[{"n":"temperature","u":"Cel","v":21.5,"t":1700000000}]';
const coapsPort = (agent: EdgeAgent): number => agent.coaps!.adapter!.listener.port;

for (const binary of ['coap-client-openssl', 'coap-client-gnutls']) {
  t.test(`${binary}: a SenML uplink over DTLS is stored once; another device's id is refused`, async (t) => {
    const agent = await startAgent(t);
    const url = (path: string): string => `coaps://127.0.0.1:${coapsPort(agent)}${path}`;
    const own = await libcoap(
      binary,
      ['-m', 'post', '-t', '110', '-u', 'id-a', '-k', KEY_A, url('/senml/dev-a')],
      SENML,
    );
    t.equal(own.out, '', 'answered 2.04 (no diagnostic)');
    t.equal(agent.status().store.rows, 1, 'the reading is stored (the answer came after the commit)');
    const other = await libcoap(
      binary,
      ['-m', 'post', '-t', '110', '-u', 'id-a', '-k', KEY_A, url('/senml/dev-b')],
      SENML,
    );
    t.match(other.out, /4\.03.*DTLS_ERR_IDENTITY_MISMATCH/, 'another device id: 4.03 with the code');
    // SenML naming another device inside the pack (bn) is refused the same way
    const bn = await libcoap(
      binary,
      ['-m', 'post', '-t', '110', '-u', 'id-a', '-k', KEY_A, url('/senml')],
      '[{"bn":"dev-b","n":"temperature","u":"Cel","v":1,"t":1700000000}]',
    );
    t.match(bn.out, /4\.03.*DTLS_ERR_IDENTITY_MISMATCH/, 'a pack naming another device: 4.03');
    const s = agent.status();
    t.equal(s.store.rows, 1, 'nothing more stored');
    t.equal(s.coap.rejectedBy.DTLS_ERR_IDENTITY_MISMATCH, 2, 'refusals counted by code');
    t.equal(s.coaps?.refused.identityMismatch, 2, 'and in the coaps figures');
    t.equal(s.coaps?.handshakesCompleted, 3, 'three handshakes (one per client run)');
    t.equal(s.coaps?.sessions, 0, 'each client closed its session on exit (close_notify)');
    t.equal(s.coaps?.sendDropped, 0, 'every answer found its session');
    t.equal(s.coaps?.datagramsIn, 3, 'one CoAP request per session');
  });

  t.test(`${binary}: LwM2M Register over DTLS as itself 2.01, as another endpoint 4.03`, async (t) => {
    const agent = await startAgent(t);
    const url = (query: string): string => `coaps://127.0.0.1:${coapsPort(agent)}/rd?${query}`;
    const links = '</1/0>,</3/0>,</3303/0>';
    const ok = await libcoap(
      binary,
      ['-m', 'post', '-t', '40', '-u', 'id-a', '-k', KEY_A, url('ep=dev-a&lt=300&lwm2m=1.1&b=U')],
      links,
    );
    t.notMatch(ok.out, /\b[45]\.\d\d\b/, `registered (${ok.out})`);
    t.ok(agent.lwm2m!.device('dev-a')?.online, 'the registration is held');
    t.ok(
      agent.lwm2m!.devices().some((d) => d.endpoint === 'dev-a'),
      'and listed',
    );
    const bad = await libcoap(
      binary,
      ['-m', 'post', '-t', '40', '-u', 'id-a', '-k', KEY_A, url('ep=dev-b&lt=300&lwm2m=1.1&b=U')],
      links,
    );
    t.match(bad.out, /4\.03.*DTLS_ERR_IDENTITY_MISMATCH/, 'another endpoint name: 4.03 with the code');
    t.equal(agent.lwm2m!.device('dev-b'), undefined, 'not registered');
  });

  t.test(`${binary}: a wrong key leaves no session and stores nothing`, async (t) => {
    const agent = await startAgent(t);
    const r = await libcoap(
      binary,
      [
        '-m',
        'post',
        '-t',
        '110',
        '-u',
        'id-a',
        '-k',
        'not-the-key',
        `coaps://127.0.0.1:${coapsPort(agent)}/senml/dev-a`,
      ],
      SENML,
    );
    t.notMatch(r.out, /\b2\.0\d\b/, 'no answer');
    const s = agent.status();
    t.equal(s.store.rows, 0, 'nothing stored');
    t.equal(s.coaps?.handshakesCompleted, 0, 'no handshake completed');
    t.ok((s.coaps?.handshakesFailed ?? 0) >= 1, 'failure counted');
    t.equal((s.coaps?.sessions ?? 0) + (s.coaps?.handshakes ?? 0), 0, 'no session or handshake left');
  });
}

t.test(
  'coap.nosec known-devices (the default with DTLS): plain CoAP only for known devices without a key',
  async (t) => {
    const agent = await startAgent(t);
    agent.registry.add({ id: 'plain-1', kind: 'coap' });
    agent.registry.add({ id: 'dev-a', kind: 'coap' });
    t.equal(agent.status().coaps?.nosec, 'known-devices', 'auto resolves to known-devices with DTLS on');
    const plain = (path: string, payload = SENML) =>
      libcoap('coap-client-notls', ['-m', 'post', '-t', '110', `coap://127.0.0.1:${agent.coap.port}${path}`], payload);
    t.equal((await plain('/senml/plain-1')).out, '', 'a known device without a key: 2.04');
    t.match((await plain('/senml/dev-a')).out, /4\.03.*DTLS_ERR_NOSEC_REFUSED.*has a PSK/, 'a keyed device: 4.03');
    t.match(
      (await plain('/senml/stranger')).out,
      /4\.03.*DTLS_ERR_NOSEC_REFUSED.*not in the device registry/,
      'unknown: 4.03',
    );
    const reg = await libcoap(
      'coap-client-notls',
      ['-m', 'post', '-t', '40', `coap://127.0.0.1:${agent.coap.port}/rd?ep=dev-a&lt=300&lwm2m=1.1&b=U`],
      '</3/0>',
    );
    t.match(reg.out, /4\.03.*DTLS_ERR_NOSEC_REFUSED/, 'a plain Register of a keyed endpoint: 4.03');
    const s = agent.status();
    t.equal(s.store.rows, 1, 'only the accepted uplink is stored');
    t.equal(s.coaps?.refused.nosec, 3, 'refusals counted');
  },
);

t.test('coap.nosec off refuses every plain uplink; open accepts any', async (t) => {
  const off = await startAgent(t, { nosec: 'off' });
  off.registry.add({ id: 'plain-1', kind: 'coap' });
  const r = await libcoap(
    'coap-client-notls',
    ['-m', 'post', '-t', '110', `coap://127.0.0.1:${off.coap.port}/senml/plain-1`],
    SENML,
  );
  t.match(r.out, /4\.03.*DTLS_ERR_NOSEC_REFUSED.*off/, 'off: even a known unkeyed device is refused');
  t.equal(off.status().store.rows, 0);
  const open = await startAgent(t, { nosec: 'open' });
  const o = await libcoap(
    'coap-client-notls',
    ['-m', 'post', '-t', '110', `coap://127.0.0.1:${open.coap.port}/senml/dev-a`],
    SENML,
  );
  t.equal(o.out, '', 'open: even a keyed device may post in plain');
  t.equal(open.status().store.rows, 1);
});

t.test('without dtls_enabled nothing changes: no coaps listener, nosec open', async (t) => {
  const agent = await EdgeAgent.start(
    edgeConfig(tempDir('yw-coaps-off-'), 'gw-coaps', 'gw-coaps-secret', 'mqtt://127.0.0.1:9'),
    silentLogger(),
  );
  t.teardown(() => agent.stop());
  t.equal(agent.coaps?.adapter, undefined, 'no listener');
  t.equal(agent.coaps?.policy, undefined, 'no policy');
  t.equal(agent.status().coaps, undefined, 'no coaps figures');
  const r = await libcoap(
    'coap-client-notls',
    ['-m', 'post', '-t', '110', `coap://127.0.0.1:${agent.coap.port}/senml/anyone`],
    SENML,
  );
  t.equal(r.out, '', 'plain uplink for an unknown device accepted as before');
  t.equal(agent.status().store.rows, 1);
});

t.test('an unknown coap.nosec is refused with the option named', async (t) => {
  t.throws(
    () =>
      edgeConfig(tempDir('yw-coaps-nosec-'), 'gw-coaps', 'gw-coaps-secret', 'mqtt://127.0.0.1:9', {
        coap: { nosec: 'sometimes' },
      }),
    /nosec/,
  );
});

t.test('the keys in the device registry (sealed at rest) are what the agent uses by default', async (t) => {
  const agent = await EdgeAgent.start(
    edgeConfig(tempDir('yw-coaps-registry-'), 'gw-coaps', 'gw-coaps-secret', 'mqtt://127.0.0.1:9', {
      coap: { dtls_enabled: true, dtls_port: 0 },
    }),
    silentLogger(),
  );
  t.teardown(() => agent.stop());
  const url = `coaps://127.0.0.1:${coapsPort(agent)}/senml/meter-7`;
  const args = ['-m', 'post', '-t', '110', '-u', 'meter-7-id', '-k', 'k7-0123456789abcdef', url];
  const before = await libcoap('coap-client-openssl', args, SENML);
  t.not(before.code === 0 && before.out === '', true, 'no key yet: the handshake fails');
  t.equal(agent.status().store.rows, 0, 'nothing stored');
  // what `yiwang-edge devices import-keys` hands the running agent
  const report = agent.registry.importPskKeys([
    {
      line: 2,
      deviceId: 'meter-7',
      identity: 'meter-7-id',
      key: Buffer.from('k7-0123456789abcdef').toString('hex'),
    },
  ]);
  t.match(report, { imported: 1 }, 'the key is imported');
  const after = await libcoap('coap-client-openssl', args, SENML);
  t.equal(after.out, '', 'now answered 2.04 over DTLS, without a restart');
  t.equal(agent.status().store.rows, 1, 'and stored');
});
