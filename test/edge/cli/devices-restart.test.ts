/**
 * Devices heard before a restart are still listed after it (issue 17, item 11): a real agent
 * process hears a CoAP sensor, stops (SIGTERM) and starts again on the same store; `devices list`
 * and `devices show` still have the sensor with its first/last heard, counts and protocol.
 */
import t from 'tap';
import { tempDir } from '../../helpers/fleet.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { cli, startAgent, writeConfig } from './harness.js';
import type { DeviceDetail, DeviceSummary } from '../../../edge/devices/view.js';
import type { AgentStatus } from '../../../edge/api/status.js';

t.test('a heard sensor survives an agent restart', async (t) => {
  const dir = tempDir('yw-cli-restart-');
  const config = writeConfig(dir);
  const run = (...args: string[]): ReturnType<typeof cli> => cli(['--config', config, ...args]);
  let agent = await startAgent(dir, config);
  t.teardown(() => agent.stop());
  const sensor = new SimSensor('aq-restart-1', { host: '127.0.0.1', port: agent.coapPort });
  t.equal(
    (
      await sensor.sendSenml([
        { n: 'pm2_5', u: 'ug/m3', v: 12 },
        { n: 'pm10', u: 'ug/m3', v: 30 },
      ])
    ).code,
    '2.04',
  );
  const before = (JSON.parse((await run('--json', 'devices', 'list')).out) as { devices: DeviceSummary[] }).devices;
  t.match(before, [
    { id: 'aq-restart-1', state: 'online', protocol: 'coap', uplinks: 1, readings: 2, preRegistered: false },
  ]);
  await agent.stop();

  agent = await startAgent(dir, config);
  const list = await run('--json', 'devices', 'list');
  t.equal(list.code, 0, list.err);
  const after = JSON.parse(list.out) as {
    devices: DeviceSummary[];
    heard: { held: number; cap: number; evicted: number };
  };
  t.match(
    after.devices,
    [
      {
        id: 'aq-restart-1',
        protocol: 'coap',
        uplinks: 1,
        readings: 2,
        firstSeen: before[0]!.firstSeen,
        lastSeen: before[0]!.lastSeen,
      },
    ],
    'still listed, with its figures',
  );
  t.match(after.heard, { held: 1, evicted: 0 });
  const human = await run('devices', 'list');
  t.match(
    human.out,
    /^aq-restart-1 +online +coap +- +\d+ s ago +1 +0$/m,
    'the kind column shows the protocol it was heard over',
  );
  const show = await run('devices', 'show', 'aq-restart-1');
  t.equal(show.code, 0, show.err);
  t.match(show.out, /^pre-registered +no /m);
  t.match(show.out, /^first heard +\d{4}-\d\d-\d\dT/m);
  t.match(show.out, /^last heard +\d+ s ago over coap$/m);
  t.match(show.out, /^uplinks +1 since first heard, carrying 2 readings$/m);
  const detail = JSON.parse((await run('--json', 'devices', 'show', 'aq-restart-1')).out) as DeviceDetail;
  t.equal(detail.lwm2mRegistration, null, 'no LwM2M registration for a CoAP sensor');
  const st = JSON.parse((await run('--json', 'status')).out) as AgentStatus;
  t.match(st.deviceStates, { online: 1 }, 'status counts it too');
  t.match(st.devices, [{ deviceId: 'aq-restart-1', uplinks: 1 }]);
});
