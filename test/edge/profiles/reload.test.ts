/**
 * The agent picks up profile changes without a restart, as the guide and the reference say: every
 * `profiles.reload_ms` it rescans its directories — a directory created after the start, a file
 * added, changed in place (same size) or removed — and with `reload_ms = 0` it reads them only at start.
 */
import t from 'tap';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../common/log.js';
import { ProfileRuntime } from '../../../edge/profiles/runtime.js';
import { tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { thProfile } from './th-profile.js';
import { PROFILE_BINDINGS } from '../../../edge/profile-bindings.js';

const th = (max: number): string =>
  thProfile({
    model: 'TH-5',
    coapPath: 'acme-th5',
    temperatureMax: max,
    extra: '[[vectors]]\nhex = "00D72D"\nreadings = { temperature = 21.5, humidity = 45 }\n',
  });
const runtime = (dirs: string[], reloadMs: number): ProfileRuntime =>
  new ProfileRuntime({ dirs, bindings: PROFILE_BINDINGS, reloadMs, log: silentLogger(), events: { raise: () => {} } });

t.test("a running agent's profile set follows its directories", async (t) => {
  const dir = tempDir('yw-prof-reload-');
  const overlay = join(dir, 'profiles'); // does not exist yet
  const live = runtime([overlay], 50);
  const once = runtime([overlay], 0);
  await live.start();
  await once.start();
  t.teardown(() => {
    live.stop();
    once.stop();
  });
  t.equal(live.index.size, 0, 'nothing to load at start');

  mkdirSync(join(overlay, 'acme'), { recursive: true });
  writeFileSync(join(overlay, 'acme', 'th-5.toml'), th(85));
  await until(
    'a directory created after the start, and its file, are loaded',
    () => live.index.byId.has('acme/th-5'),
    10_000,
  );
  t.equal(live.index.byId.get('acme/th-5')?.metrics.get('temperature')?.max, 85);
  const generation = live.generation;

  writeFileSync(join(overlay, 'acme', 'th-5.toml'), th(95)); // same size, other content
  await until(
    'a file changed in place is loaded again',
    () => live.index.byId.get('acme/th-5')?.metrics.get('temperature')?.max === 95,
    10_000,
  );
  t.ok(live.generation > generation, 'a new generation: devices are matched anew');
  t.equal(live.profileFor('th-a', { coapPath: 'acme-th5' })?.id, 'acme/th-5', 'and a device gets it');

  rmSync(join(overlay, 'acme', 'th-5.toml'));
  await until('a removed file is unloaded', () => !live.index.byId.has('acme/th-5'), 10_000);
  t.equal(live.profileFor('th-a', { coapPath: 'acme-th5' }), undefined);

  t.equal(once.index.size, 0, 'reload_ms = 0: only what was there at start, whatever changed since');
  t.equal(once.counters.reloads, 1);
});
