/**
 * Rule alarm state survives agent restarts (a table in the store file), and profile events are
 * raised only after the readings they derive from are committed.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClockQuality, type Event } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { silentLogger } from '../../../common/log.js';
import { SqliteAlarmState } from '../../../edge/profiles/alarm-state.js';
import { ProfileRuntime } from '../../../edge/profiles/runtime.js';
import { EdgeAgent } from '../../../edge/agent.js';
import { edgeConfig, tempDir } from '../../helpers/fleet.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { until } from '../../helpers/wait.js';
import { OVERHEAT_ALARM, thProfile } from './th-profile.js';
import { PROFILE_BINDINGS } from '../../../edge/profile-bindings.js';

const PROFILE = thProfile({
  model: 'TH-2',
  coapPath: 'acme-th2',
  temperatureMax: 85,
  extra: `${OVERHEAT_ALARM}[[alarms]]
metric = "humidity"
on_change = true
event = "humidity_changed"
[[vectors]]
hex = "00D72D"
readings = { temperature = 21.5, humidity = 45 }
`,
});

/** Temperature (0.1 °C) and humidity as the TH-2 payload. */
const payload = (deciC: number, rh: number): Uint8Array => Uint8Array.from([(deciC >> 8) & 0xff, deciC & 0xff, rh]);

function profileDir(): string {
  const dir = tempDir('yw-alarm-state-');
  mkdirSync(join(dir, 'profiles', 'acme'), { recursive: true });
  writeFileSync(join(dir, 'profiles', 'acme', 'th-2.toml'), PROFILE);
  return dir;
}

const reading = (metric: string, value: number, unit: string): Reading => ({
  deviceId: 'th-a',
  metric,
  unit,
  value,
  ts: Date.now(),
  clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
  priority: 0,
});

t.test('the engine keeps hysteresis and last values across a reopened store file', async (t) => {
  const dir = profileDir();
  const dbFile = join(dir, 'state.db');
  const runtime = (db: Database.Database, events: Event[]): ProfileRuntime =>
    new ProfileRuntime({
      bindings: PROFILE_BINDINGS,
      dirs: [join(dir, 'profiles')],
      reloadMs: 0,
      log: silentLogger(),
      events: { raise: (e) => events.push(e) },
      alarmState: new SqliteAlarmState(db),
    });

  let db = new Database(dbFile);
  let events: Event[] = [];
  let rt = runtime(db, events);
  await rt.start();
  t.equal(
    rt.profileFor('th-a', { coapPath: 'acme-th2' })?.id,
    'acme/th-2',
    'the device gets its profile as from a raw CoAP uplink',
  );
  rt.process([reading('temperature', 55, 'Cel'), reading('humidity', 40, '%RH')]);
  t.same(
    events.map((e) => [e.type, e.active]),
    [['overheat', true]],
    'raised once',
  );
  rt.stop();
  db.close();

  db = new Database(dbFile);
  events = [];
  rt = runtime(db, events);
  await rt.start();
  rt.profileFor('th-a', { coapPath: 'acme-th2' });
  rt.process([reading('temperature', 56, 'Cel'), reading('humidity', 40, '%RH')]);
  t.same(events, [], 'after the restart: still active (not raised again), humidity unchanged');
  rt.process([reading('temperature', 47, 'Cel')]);
  t.same(events, [], 'inside the hysteresis band: still active');
  rt.process([reading('temperature', 44, 'Cel'), reading('humidity', 60, '%RH')]);
  t.same(
    events.map((e) => [e.type, e.active]),
    [
      ['overheat', false],
      ['humidity_changed', true],
    ],
    'cleared below the clear level; the change rule remembered 40',
  );
  t.same(
    db.prepare('SELECT count(*) AS n FROM profile_alarm_state').get(),
    { n: 1 },
    "only the change rule's last value is stored once the alarm cleared",
  );
  rt.stop();
  db.close();
});

t.test('check() raises nothing until committed(); an uncommitted batch leaves the state alone', async (t) => {
  const dir = profileDir();
  const events: Event[] = [];
  const rt = new ProfileRuntime({
    bindings: PROFILE_BINDINGS,
    dirs: [join(dir, 'profiles')],
    reloadMs: 0,
    log: silentLogger(),
    events: { raise: (e) => events.push(e) },
    alarmState: new SqliteAlarmState(new Database(join(dir, 's.db'))),
  });
  await rt.start();
  rt.profileFor('th-a', { coapPath: 'acme-th2' });
  const hot = rt.check([reading('temperature', 60, 'Cel'), reading('temperature', 99, 'Cel')]);
  t.same(
    hot.readings.map((r) => r.value),
    [60],
    'the out-of-range reading is rejected at once',
  );
  t.same(events, [], 'no event before the commit');
  // the store refused that batch: committed() is never called; the next batch is the first the rule sees
  const again = rt.check([reading('temperature', 61, 'Cel')]);
  again.committed();
  t.same(
    events.map((e) => [e.type, e.active]),
    [['overheat', true]],
    'raised by the committed batch only',
  );
  rt.stop();
});

t.test('in the agent: events follow the commit, and an active alarm is not raised again after a restart', async (t) => {
  const dir = profileDir();
  const config = edgeConfig(dir, 'gw-alarm', 'gw-alarm-secret', 'mqtt://127.0.0.1:9', {
    profiles: { dirs: [join(dir, 'profiles')], reload_ms: 0 },
  });
  let agent = await EdgeAgent.start(config, silentLogger());
  t.teardown(() => agent.stop());
  // At the moment each event is raised, the readings it comes from must be in the store file.
  const seenAtRaise: number[] = [];
  const watch = (a: EdgeAgent): void => {
    const sink = (a.profiles as unknown as { o: { events: { raise(e: Event): void } } }).o.events;
    const raise = sink.raise.bind(sink);
    // a connection of its own: what is in the store file (the outbox no longer hands out its handle)
    const file = new Database(a.config.store.path, { readonly: true });
    t.teardown(() => file.close());
    const count = file.prepare('SELECT count(*) AS n FROM readings WHERE device = ? AND metric = ? AND num = ?');
    sink.raise = (e: Event): void => {
      seenAtRaise.push((count.get(e.deviceId, e.attributes?.metric, Number(e.attributes?.value)) as { n: number }).n);
      raise(e);
    };
  };
  watch(agent);
  const sensor = (port: number): SimSensor => new SimSensor('th-agent', { host: '127.0.0.1', port });
  let s = sensor(agent.coap.port);
  t.equal((await s.sendRaw('acme-th2', payload(552, 40))).code, '2.04');
  const listed = (): [string, boolean][] =>
    agent.profileEvents.list({ deviceId: 'th-agent' }).map((e) => [e.type, e.active]);
  await until('the overheat event', () => listed().length >= 1, 20_000);
  t.same(listed(), [['overheat', true]]);
  t.same(seenAtRaise, [1], 'the 55.2 Cel reading was committed when its event was raised');
  s.close();
  await agent.stop();

  agent = await EdgeAgent.start(config, silentLogger());
  watch(agent);
  s = sensor(agent.coap.port);
  t.teardown(() => s.close());
  t.equal((await s.sendRaw('acme-th2', payload(560, 40))).code, '2.04');
  t.equal((await s.sendRaw('acme-th2', payload(470, 40))).code, '2.04');
  t.same(listed(), [['overheat', true]], 'still active after the restart: not raised a second time');
  t.equal((await s.sendRaw('acme-th2', payload(440, 40))).code, '2.04');
  await until('the clearing event', () => listed().length >= 2, 20_000);
  t.same(
    listed(),
    [
      ['overheat', true],
      ['overheat', false],
    ],
    'cleared below 45 Cel, as the hysteresis says',
  );
  t.same(seenAtRaise, [1, 1], 'each event after its reading was committed');
});

t.test(
  'a reload forgets the states of removed rules and profiles, but not of a profile that failed to load',
  async (t) => {
    const dir = profileDir();
    const file = join(dir, 'profiles', 'acme', 'th-2.toml');
    const db = new Database(join(dir, 'state.db'));
    t.teardown(() => db.close());
    const events: Event[] = [];
    const rt = new ProfileRuntime({
      bindings: PROFILE_BINDINGS,
      dirs: [join(dir, 'profiles')],
      reloadMs: 0,
      log: silentLogger(),
      events: { raise: (e) => events.push(e) },
      alarmState: new SqliteAlarmState(db),
    });
    t.teardown(() => rt.stop());
    await rt.start();
    const stored = (): string[] =>
      (db.prepare('SELECT key FROM profile_alarm_state ORDER BY key').all() as { key: string }[]).map((r) =>
        r.key.split('\u0000').join(' '),
      );
    rt.profileFor('th-a', { coapPath: 'acme-th2' });
    rt.process([reading('temperature', 55, 'Cel'), reading('humidity', 40, '%RH')]);
    const overheat = stored().find((k) => k.includes(' temperature'))!;
    t.equal(overheat, 'th-a acme/th-2 temperature_0', 'rules without a name are named metric_index');
    t.equal(stored().length, 2, "the active overheat alarm and the change rule's last value");

    writeFileSync(file, thProfile({ model: 'TH-2', coapPath: 'acme-th2', temperatureMax: 85, extra: OVERHEAT_ALARM }));
    await rt.reload();
    t.same(stored(), [overheat], 'the humidity change rule is gone from the profile: its state is forgotten');
    t.equal(rt.alarms.size, 1);

    writeFileSync(file, '[profile\nvendor = "Acme"');
    await rt.reload();
    t.ok(rt.errors.length > 0, 'the half-edited profile does not load');
    t.same(stored(), [overheat], 'while a profile file fails to load, no state is forgotten');

    writeFileSync(file, thProfile({ model: 'TH-2', coapPath: 'acme-th2', temperatureMax: 85, extra: OVERHEAT_ALARM }));
    await rt.reload();
    rt.profileFor('th-a', { coapPath: 'acme-th2' });
    rt.process([reading('temperature', 56, 'Cel')]);
    t.same(
      events.map((e) => [e.type, e.active]),
      [['overheat', true]],
      'fixed again: the alarm is still active, not raised twice',
    );

    rmSync(file);
    await rt.reload();
    t.same(rt.errors, [], 'every remaining profile file loaded');
    t.same(stored(), [], 'the profile is gone: its states are forgotten');
    t.equal(rt.alarms.size, 0);
  },
);
