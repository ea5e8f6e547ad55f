/**
 * A profile's `[transport.lwm2m] observe` bindings in a running agent: when a device with that
 * profile registers, the agent sends Write-Attributes (pmin/pmax) then Observe for each path; the
 * notifications become the profile's metrics. A simulated LwM2M client (real UDP, CoAP) answers.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../common/log.js';
import { EdgeAgent } from '../../../edge/agent.js';
import { val } from '../../../edge/southbound/lwm2m/core/index.js';
import { SimLwm2mDevice } from '../../../edge/profiles/lwm2m-sim-device.js';
import { edgeConfig, tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';

const PROFILE = `
[profile]
vendor = "Acme"
model = "LwM2M TH-3"
reporting_interval_s = 60
[match]
lwm2m_endpoint = "urn:dev:acme-th3-*"
[transport.lwm2m]
observe = [
  { path = "/3303/0/5700", pmin = 5, pmax = 60 },
  { path = "/3/0/9" },
]
[metrics.temperature]
lwm2m = "/3303/0/5700"
unit = "Cel"
min = -40
max = 85
[[vectors]]
lwm2m = { "/3303/0/5700" = 21.5 }
readings = { temperature = 21.5 }
`;

t.test(
  "observe bindings are requested at registration, once, and their notifications are the profile's metrics",
  async (t) => {
    const dir = tempDir('yw-prof-observe-');
    mkdirSync(join(dir, 'profiles', 'acme'), { recursive: true });
    writeFileSync(join(dir, 'profiles', 'acme', 'th-3.toml'), PROFILE);
    const agent = await EdgeAgent.start(
      edgeConfig(dir, 'gw-observe', 'gw-observe-secret', 'mqtt://127.0.0.1:9', {
        profiles: { dirs: [join(dir, 'profiles')], reload_ms: 0 },
      }),
      silentLogger(),
    );
    t.teardown(() => agent.stop());
    const target = { host: '127.0.0.1', port: agent.coap.port };
    const dev = new SimLwm2mDevice({ endpoint: 'urn:dev:acme-th3-0001' }, target);
    const other = new SimLwm2mDevice({ endpoint: 'urn:dev:other-0001' }, target);
    t.teardown(() => {
      dev.close();
      other.close();
    });
    await dev.bind();
    await other.bind();

    t.equal(await dev.register(), '2.01');
    t.equal(await other.register(), '2.01');
    const asked = (d: SimLwm2mDevice): string[] =>
      d.requests.map(
        (r) =>
          `${r.method} ${r.path}${r.query.length ? `?${r.query.join('&')}` : ''}${r.observe !== undefined ? ` observe=${r.observe}` : ''}`,
      );
    await until('the device is asked for its bindings', () => dev.observations.size === 2, 20_000);
    t.same(
      asked(dev),
      ['PUT /3303/0/5700?pmin=5&pmax=60', 'GET /3303/0/5700 observe=0', 'GET /3/0/9 observe=0'],
      'Write-Attributes before Observe; no attributes, no Write-Attributes',
    );
    await until(
      'the agent holds both observations',
      () => agent.lwm2m!.observations.list('urn:dev:acme-th3-0001').length === 2,
      20_000,
    );

    // The initial Observe answers and a notification are stored under the profile's metric name.
    dev.set('/3303/0/5700', val.float(27.5));
    await dev.notify('/3303/0/5700');
    await until(
      'the notification is a temperature reading',
      () => agent.lastReadings.of('urn:dev:acme-th3-0001').some((r) => r.metric === 'temperature' && r.value === 27.5),
      20_000,
    );

    // A device without such a profile is asked nothing: the first request it sees is one we queue.
    const read = await agent.lwm2m!.submit('urn:dev:other-0001', { op: 'read', path: '/3/0/0' });
    t.equal((await read.result).ok, true);
    t.same(asked(other), ['GET /3/0/0'], 'no bindings, no observe requests');

    // Registering again: the server re-establishes its observations; the bindings are not requested twice.
    t.equal(await dev.register(), '2.01');
    await until('the observations are re-established', () => dev.observations.size === 2, 20_000);
    await until('the queue is empty', () => agent.lwm2m!.requests('urn:dev:acme-th3-0001').open.length === 0, 20_000);
    const after = asked(dev).slice(3);
    t.same(
      after.filter((r) => r.startsWith('PUT')),
      [],
      'no second Write-Attributes',
    );
    t.same(
      after.sort(),
      ['GET /3/0/9 observe=0', 'GET /3303/0/5700 observe=0'],
      'each path observed once more (the restore), not twice',
    );
  },
);
