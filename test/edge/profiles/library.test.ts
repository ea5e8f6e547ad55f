/** CI: every profile under firmware-profiles/ loads, passes all its vectors and follows the library's rules. */
import t from 'tap';
import { LIBRARY_DIR, lintProfiles, testProfiles } from '../../../edge/profiles/tooling.js';
import { loadProfileDirs } from '../../../edge/profiles/load.js';
import { PROFILE_BINDINGS } from '../../../edge/profile-bindings.js';

t.test('every library profile passes its vectors', async (t) => {
  const reports = await testProfiles([LIBRARY_DIR], PROFILE_BINDINGS);
  t.ok(reports.length >= 13, `${reports.length} profiles`);
  for (const r of reports) {
    t.ok(
      r.ok,
      `${r.id ?? r.file}: ${[...r.errors, ...r.vectors.flatMap((v) => v.problems.map((p) => `${v.vector}: ${p}`))].join('; ') || 'ok'}`,
    );
  }
});

t.test('library conventions: 3+ vectors, a bad frame for binary profiles, metrics, reporting interval', async (t) => {
  const { profiles, errors } = await loadProfileDirs([LIBRARY_DIR], PROFILE_BINDINGS);
  t.same(
    errors.map((e) => e.message),
    [],
    'no load errors',
  );
  for (const p of profiles) {
    t.ok(p.vectors.length >= 3, `${p.id}: ${p.vectors.length} vectors`);
    if (p.layout || p.script || p.wire)
      t.ok(
        p.vectors.some((v) => v.error !== undefined),
        `${p.id}: has a bad-input vector`,
      );
    t.ok(p.metrics.size > 0, `${p.id}: declares metrics`);
    t.ok(p.reportingIntervalS !== undefined, `${p.id}: reporting interval`);
  }
  const lint = await lintProfiles([LIBRARY_DIR], PROFILE_BINDINGS);
  t.ok(
    lint.every((r) => r.ok),
    'lint passes (no duplicate models, no overlapping match rules)',
  );
  const classes = [
    'water-meter',
    'gas-meter',
    'electricity-meter-1p',
    'manhole-cover',
    'air-quality',
    'water-level',
    'smoke',
    'parking',
    'ev-charger',
    'generic-ipso',
  ];
  for (const c of classes)
    t.ok(
      profiles.some((p) => p.id.includes(c) || p.description.toLowerCase().includes(c.replace('-', ' '))),
      `a profile for ${c}`,
    );
  // Issue 10: each device class over its wire protocol, with vectors decoded by the transport's frame decoder.
  const wired: [string, string][] = [
    ['yiwang-ref/air-quality-station-modbus', 'modbus'],
    ['yiwang-ref/water-level-rain-modbus', 'modbus'],
    ['yiwang-ref/electricity-meter-1p-dlt645', 'dlt645'],
    ['yiwang-ref/water-meter-cjt188-rs485', 'cjt188'],
    ['yiwang-ref/wastewater-monitor-hj212', 'hj212'],
  ];
  for (const [id, protocol] of wired) {
    const p = profiles.find((x) => x.id === id);
    t.equal(p?.wire?.protocol, protocol, `${id}: a ${protocol} profile whose vectors are wire frames`);
  }
});
