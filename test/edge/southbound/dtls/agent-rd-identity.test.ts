/**
 * Identity binding of LwM2M Update and De-register over DTLS (issue 21 item 2): `/rd/{regId}`
 * names a registration, not a device, so the agent checks the peer against the endpoint that holds
 * it. Another device's session (which may well learn or guess the short registration id) can
 * neither move the registration to itself nor end it; the owner can do both.
 */
import t from 'tap';
import { silentLogger } from '../../../../common/log.js';
import { EdgeAgent } from '../../../../edge/agent.js';
import { Device } from '../../../helpers/dtls-lwm2m-device.js';
import { edgeConfig, tempDir } from '../../../helpers/fleet.js';

const KEY_A = Buffer.from('key-of-device-a!');
const KEY_B = Buffer.from('key-of-device-b!');

t.test('Update and De-register of a registration are refused to another device and allowed to its owner', async (t) => {
  const agent = await EdgeAgent.start(
    edgeConfig(tempDir('yw-rd-id-'), 'gw-rd', 'gw-rd-secret', 'mqtt://127.0.0.1:9', {
      coap: { dtls_enabled: true, dtls_port: 0 },
    }),
    silentLogger(),
  );
  t.teardown(() => agent.stop());
  agent.registry.add({ id: 'dev-a', kind: 'lwm2m', pskIdentity: 'id-a', pskKey: KEY_A.toString('hex') });
  agent.registry.add({ id: 'dev-b', kind: 'lwm2m', pskIdentity: 'id-b', pskKey: KEY_B.toString('hex') });
  const port = agent.coaps!.adapter!.listener.port;
  const a = await Device.open(t, port, 'id-a', KEY_A);
  const b = await Device.open(t, port, 'id-b', KEY_B);
  const reg = await a.register('dev-a');
  t.equal(reg.code, '2.01', 'dev-a registered');
  const location = reg.options.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString());
  t.equal(location[0], 'rd', 'Location-Path /rd/<regId>');
  const peerOfA = agent.lwm2m!.device('dev-a')!.peer;

  const upd = await b.registration('update', location);
  t.equal(upd.code, '4.03', "another device's Update: 4.03");
  t.match(upd.payload.toString(), /DTLS_ERR_IDENTITY_MISMATCH.*may not update as dev-a/, 'with the code and why');
  t.same(agent.lwm2m!.device('dev-a')!.peer, peerOfA, 'the registration did not move');
  const del = await b.registration('de-register', location);
  t.equal(del.code, '4.03', "another device's De-register: 4.03");
  t.ok(agent.lwm2m!.device('dev-a')!.online, 'the registration is still online');
  t.equal(agent.status().coaps?.refused.identityMismatch, 2, 'both refusals counted');

  t.equal((await a.registration('update', location)).code, '2.04', 'the owner may update');
  t.equal((await a.registration('de-register', location)).code, '2.02', 'and de-register');
  t.notOk(agent.lwm2m!.device('dev-a')!.online, 'offline after its own De-register');
  // an unknown registration id answers 4.04 as before (nothing to check the identity against)
  t.equal((await b.registration('update', ['rd', 'nope'])).code, '4.04', 'unknown registration: 4.04');
});
