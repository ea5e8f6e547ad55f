/**
 * Profiles in a running agent, end to end on loopback (real Aedes cloud, real CoAP): a profile
 * written by an integrator at run time is picked up without a restart and its device's readings
 * reach the cloud; rule alarms raise events; an escape-hatch script with an endless loop or a
 * memory bomb is stopped while the agent keeps serving other devices.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgeConfig, startCloud, startEdge, tempDir } from '../helpers/fleet.js';
import { until } from '../helpers/wait.js';
import { SimSensor } from '../../scripts/sim/coap-sensors.js';

const TH_PROFILE = `
[profile]
vendor = "Acme"
model = "TH-1"
reporting_interval_s = 600
[match]
coap_path = "acme-th"
[transport.coap]
raw = true
[layout]
length = 3
fields = [
  { name = "t", type = "i16", scale = 0.1, unit = "Cel" },
  { name = "rh", type = "u8", unit = "%RH" },
]
[metrics.temperature]
from = "t"
unit = "Cel"
min = -40
max = 85
[metrics.humidity]
from = "rh"
unit = "%RH"
max = 100
[[alarms]]
metric = "temperature"
above = 50
clear = 45
event = "overheat"
severity = "critical"
[[vectors]]
hex = "00D72D"
readings = { temperature = 21.5, humidity = 45 }
`;

const SCRIPT_PROFILE = `
[profile]
vendor = "Acme"
model = "Odd-1"
[match]
coap_path = "acme-odd"
[script]
file = "odd-1.js"
timeout_ms = 50
memory_mb = 8
[metrics.level]
unit = "m"
[[vectors]]
hex = "0007"
readings = { level = 0.7 }
`;

const SCRIPT = `
function decodeUplink(input) {
  var b = input.bytes;
  if (b[0] === 1) { for (;;) {} }
  if (b[0] === 2) { var hog = []; for (;;) hog.push(new Array(100000).fill(b[1])); }
  return { data: { level: b[1] / 10 } };
}
`;

t.test('a profile added at run time is used without restart; scripts are contained', async (t) => {
  const cloud = await startCloud();
  t.teardown(() => cloud.cloud.stop());
  const secret = await cloud.cloud.createGateway('gw-prof');
  const dir = tempDir('yw-prof-e2e-');
  const overlay = join(dir, 'profiles');
  mkdirSync(overlay);
  const edge = await startEdge(
    edgeConfig(dir, 'gw-prof', secret, cloud.mqttUrl, { profiles: { dirs: [overlay], reload_ms: 50 } }),
  );
  t.teardown(() => edge.agent.stop());
  const sensor = new SimSensor('th-0001', { host: '127.0.0.1', port: edge.agent.coap.port });
  const odd = new SimSensor('odd-0001', { host: '127.0.0.1', port: edge.agent.coap.port });
  t.teardown(() => {
    sensor.close();
    odd.close();
  });
  t.ok(edge.agent.profiles.index.size > 5, 'the bundled library is loaded');

  const before = await sensor.sendRaw('acme-th', Uint8Array.from([0x00, 0xd7, 0x2d]));
  t.match(`${before.code} ${before.payload}`, /^4\.04 EDGE_ERR_UNKNOWN_LAYOUT/, 'no profile yet: the path is unknown');

  mkdirSync(join(overlay, 'acme'));
  writeFileSync(join(overlay, 'acme', 'th-1.toml'), TH_PROFILE);
  await until('the running agent loads acme/th-1', () => edge.agent.profiles.index.byId.has('acme/th-1'), 10_000);

  const ok = await sensor.sendRaw('acme-th', Uint8Array.from([0x00, 0xd7, 0x2d]));
  t.equal(ok.code, '2.04', 'decoded by the new profile and stored');
  const hot = await sensor.sendRaw('acme-th', Uint8Array.from([0x02, 0x26, 0x1e])); // 55.0 Cel
  t.equal(hot.code, '2.04');
  const bad = await sensor.sendRaw('acme-th', Uint8Array.from([0x03, 0xe8, 0x1e])); // 100.0 Cel: out of range
  t.equal(bad.code, '2.04', 'an out-of-range value is rejected, the rest stored');

  await until(
    'readings in the cloud',
    async () => (await cloud.cloud.store.readings({ deviceId: 'th-0001', limit: 10 })).length >= 5,
    30_000,
    50,
  );
  const got = await cloud.cloud.store.readings({ deviceId: 'th-0001', limit: 10 });
  t.same(
    got.map((r) => [r.metric, r.value, r.unit]).sort(),
    [
      ['humidity', 30, '%RH'],
      ['humidity', 30, '%RH'],
      ['humidity', 45, '%RH'],
      ['temperature', 21.5, 'Cel'],
      ['temperature', 55, 'Cel'],
    ],
    'profile metric names, units and values reach the cloud; 100 Cel was rejected',
  );
  const events = edge.agent.profileEvents.list({ deviceId: 'th-0001' });
  t.same(
    events.map((e) => [e.type, e.active]),
    [
      ['overheat', true],
      ['out_of_range', true],
    ],
    'the alarm rule and the range check raised events',
  );
  const cloudEvents = async (): Promise<{ deviceId: string; type: string }[]> =>
    (await cloud.cloud.store.listEvents({})).filter((e) => e.deviceId === 'th-0001');
  await until('the events reach the cloud in batches', async () => (await cloudEvents()).length >= 2, 30_000, 50);
  t.same((await cloudEvents()).map((e) => e.type).sort(), ['out_of_range', 'overheat'], 'each once, as cloud alarms');

  // The escape hatch: a script profile added at run time, then a loop and a memory bomb.
  writeFileSync(join(overlay, 'acme', 'odd-1.js'), SCRIPT);
  writeFileSync(join(overlay, 'acme', 'odd-1.toml'), SCRIPT_PROFILE);
  await until('the running agent loads acme/odd-1', () => edge.agent.profiles.sandboxes.has('acme/odd-1'), 10_000);
  t.equal((await odd.sendRaw('acme-odd', Uint8Array.from([0, 7]))).code, '2.04', 'the script decodes');
  const t0 = performance.now();
  const loop = await odd.sendRaw('acme-odd', Uint8Array.from([1, 7]));
  t.match(
    `${loop.code} ${loop.payload}`,
    /^4\.00 EDGE_ERR_PAYLOAD: acme-odd: PROFILE_ERR_SANDBOX_TIMEOUT/,
    'an endless loop is stopped',
  );
  t.ok(performance.now() - t0 < 1000, 'and answered promptly');
  const rssBefore = process.memoryUsage().rss;
  const bomb = await odd.sendRaw('acme-odd', Uint8Array.from([2, 7]));
  t.match(
    `${bomb.code} ${bomb.payload}`,
    /^4\.00 EDGE_ERR_PAYLOAD: acme-odd: PROFILE_ERR_SANDBOX_MEMORY/,
    'a memory bomb is stopped',
  );
  t.ok(process.memoryUsage().rss - rssBefore < 64 * 2 ** 20, 'the agent did not grow by the bomb');
  t.equal(
    (await sensor.sendRaw('acme-th', Uint8Array.from([0x00, 0xc8, 0x28]))).code,
    '2.04',
    'other devices are still served',
  );
  t.equal((await odd.sendRaw('acme-odd', Uint8Array.from([0, 9]))).code, '2.04', 'the script itself works again');
  await until(
    'all readings in the cloud',
    async () => (await cloud.cloud.store.readings({ deviceId: 'odd-0001', limit: 10 })).length >= 2,
    30_000,
    50,
  );
  t.same(
    (await cloud.cloud.store.readings({ deviceId: 'odd-0001', limit: 10 })).map((r) => [r.metric, r.value, r.unit]),
    [
      ['level', 0.7, 'm'],
      ['level', 0.9, 'm'],
    ],
  );
});
