/**
 * Profile-driven HJ 212 instruments in the running agent: an MN not in the instrument file is
 * bound to the wastewater profile whose `[match] hj212_mn` glob it satisfies (an overlay copy of
 * the library profile), counts as registered, and its uploads — the bytes of the profile's own
 * test vectors, over TCP — become exactly the vectors' readings, with the profile's alarms; an
 * instrument listed with `profile = …` takes its factor map and PW from that profile; an MN
 * matching no profile is refused when registration is required.
 */
import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgeConfig, startEdge, tempDir } from '../../../helpers/fleet.js';
import { until } from '../../../helpers/wait.js';
import { LIBRARY_DIR } from '../../../../edge/profiles/tooling.js';
import { loadProfileFile } from '../../../../edge/profiles/load.js';
import type { Hj212Server } from '../../../../edge/southbound/hj212/server.js';
import { SimInstrument, nextQn, uploadFrame } from '../../../../scripts/sim/hj212-instrument.js';
import { PROFILE_BINDINGS } from '../../../../edge/profile-bindings.js';

const WW = 'yiwang-ref/wastewater-monitor-hj212';
const MN_MATCHED = '33010000000001'; // the MN of the profile's vectors
const MN_LISTED = '44030000000002';

t.test('instruments bound to the wastewater profile by MN rule and by the instrument file', async (t) => {
  const library = join(LIBRARY_DIR, `${WW}.toml`);
  const profile = loadProfileFile(library, PROFILE_BINDINGS);
  const dir = tempDir('yw-hj212-profiles-');
  // The integrator's overlay: the library profile plus the site's MN prefix.
  mkdirSync(join(dir, 'overlay', 'yiwang-ref'), { recursive: true });
  writeFileSync(
    join(dir, 'overlay', `${WW}.toml`),
    readFileSync(library, 'utf8').replace('[transport.hj212]', '[match]\nhj212_mn = "330100*"\n\n[transport.hj212]'),
  );
  const instruments = join(dir, 'instruments.toml');
  writeFileSync(
    instruments,
    `[[instrument]]\nmn = "${MN_LISTED}"\npw = "654321"\nid = "ww-outlet-2"\nprofile = "${WW}"\n`,
  );
  const edge = await startEdge(
    edgeConfig(dir, 'gw-hj212-p', 'secret', 'mqtt://127.0.0.1:1', {
      hj212: { enabled: true, host: '127.0.0.1', port: 0, devices_file: instruments, require_registered: true },
      profiles: { dirs: [join(dir, 'overlay')], reload_ms: 0 },
      lwm2m: { enabled: false },
      cameras: { enabled: false },
    }),
  );
  t.teardown(() => edge.agent.stop());
  const hj = edge.agent.adapters.find((a) => a.name === 'hj212') as Hj212Server;
  const inst = await SimInstrument.connect('127.0.0.1', hj.port);
  t.teardown(() => inst.close());

  // The vectors' frames, as the instrument sends them.
  const realtime = profile.vectors.find((v) => /COD over the limit/.test(v.name))!;
  const minute = profile.vectors.find((v) => /minute data/.test(v.name))!;
  for (const v of [realtime, minute]) {
    const bytes = Buffer.from(v.hex!, 'hex');
    const qn = /QN=(\d+)/.exec(bytes.toString('latin1'))![1]!;
    await inst.write(bytes);
    t.equal((await inst.reply(qn, 20_000)).cn, '9014', `${v.name}: confirmed`);
  }
  const id = `hj212:${MN_MATCHED}`;
  t.equal(
    edge.agent.profiles.profileFor(id)?.file,
    `overlay/${WW}.toml`,
    'the unlisted MN is bound to the overlay profile by its hj212_mn rule',
  );
  const last = Object.fromEntries(edge.agent.lastReadings.of(id).map((r) => [r.metric, r.value]));
  t.same(last, { ...realtime.readings, ...minute.readings }, "the stored readings are the vectors' readings");
  const units = Object.fromEntries(edge.agent.lastReadings.of(id).map((r) => [r.metric, r.unit]));
  t.equal(units.cod, 'mg/L', 'unit');
  const events = edge.agent.profileEvents.list({ deviceId: id }).map((e) => `${e.type}:${e.active ? 'on' : 'off'}`);
  t.same(events, ['cod_over_limit:on', 'ph_out_of_range:on'], "the profile's alarms: COD above 100 mg/L, pH above 9");

  // Listed with `profile = …`: PW from the instrument file, factor map from the profile, bound to it.
  const qn = nextQn();
  await inst.write(
    uploadFrame({
      cn: '2011',
      mn: MN_LISTED,
      pw: '654321',
      qn,
      dataTime: '20250301130000',
      factors: { w01018: { Rtd: '40.5', Flag: 'D' }, w01001: { Rtd: '5.5', Flag: 'N' } },
    }),
  );
  t.equal((await inst.reply(qn, 20_000)).cn, '9014');
  t.same(Object.fromEntries(edge.agent.lastReadings.of('ww-outlet-2').map((r) => [r.metric, r.value])), {
    cod: 40.5,
    cod_flag: 'D',
    ph: 5.5,
    ph_flag: 'N',
  });
  t.equal(edge.agent.profiles.profileFor('ww-outlet-2')?.id, WW);
  t.same(
    edge.agent.profileEvents.list({ deviceId: 'ww-outlet-2' }).map((e) => e.type),
    ['analyser_fault', 'ph_out_of_range'],
    'the analyser fault flag D, then pH below 6 (reading order)',
  );

  // An MN no profile matches is not registered: refused with QnRtn 4, nothing stored.
  const rejectedBefore = hj.counters.rejected;
  const q3 = nextQn();
  await inst.write(
    uploadFrame({
      cn: '2011',
      mn: '33020000000009',
      pw: '123456',
      qn: q3,
      dataTime: '20250301130000',
      factors: { w01018: { Rtd: '1', Flag: 'N' } },
    }),
  );
  const r3 = await inst.reply(q3, 20_000);
  t.match(r3.cp.flat(), [['QnRtn', '4']], 'MN error');
  await until('rejection counted', () => hj.counters.rejected === rejectedBefore + 1);
  t.same(edge.agent.lastReadings.of('hj212:33020000000009'), []);
  t.notOk(inst.closed, 'the connection stays open');
});
