/**
 * `yiwang-edge events` (issue 17, item 11) and the backlog figures of `status` (item 12) against a
 * real agent whose cloud is down: a profile's rule alarm is raised and cleared by a raw CoAP
 * sensor; `events` lists the local history (--since, --limit, --device, --json); `status` shows
 * what waits for the cloud as one total with its parts (readings + events = unsent + awaiting ack).
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { OVERHEAT_ALARM, thProfile } from '../profiles/th-profile.js';
import { cli, startAgent, writeConfig, type AgentProcess } from './harness.js';
import type { AgentStatus } from '../../../edge/api/status.js';
import type { HistoryEvent } from '../../../edge/store/event-history.js';

const dir = tempDir('yw-cli-events-');
mkdirSync(join(dir, 'profiles', 'acme'), { recursive: true });
writeFileSync(
  join(dir, 'profiles', 'acme', 'th-2.toml'),
  thProfile({ model: 'TH-2', coapPath: 'acme-th2', extra: OVERHEAT_ALARM }),
);
const config = writeConfig(dir, {
  extra: `[profiles]\nlibrary = false\ndirs = ["${join(dir, 'profiles')}"]\nreload_ms = 0\n`,
});
const run = (...args: string[]): ReturnType<typeof cli> => cli(['--config', config, ...args]);
const th = (deciC: number): Uint8Array => Uint8Array.from([(deciC >> 8) & 0xff, deciC & 0xff, 40]);
let agent: AgentProcess;
t.before(async () => {
  agent = await startAgent(dir, config);
});
t.teardown(() => agent.stop());

type Page = { events: HistoryEvent[]; held: number; raised: number; evicted: number; capRows: number };

t.test('the local alarm history, and the backlog it adds to', async (t) => {
  const empty = await run('events');
  t.equal(empty.code, 0, empty.err);
  t.match(
    empty.out,
    /^no events\n0 shown; the history holds 0 of at most 10000, 0 raised since the store was created\n$/,
  );

  const sensor = new SimSensor('th-9', { host: '127.0.0.1', port: agent.coapPort });
  const before = Date.now();
  for (const deciC of [215, 550, 400]) t.equal((await sensor.sendRaw('acme-th2', th(deciC))).code, '2.04');
  await until(
    'raised and cleared',
    async () => (JSON.parse((await run('--json', 'events')).out) as Page).events.length === 2,
    10_000,
    200,
  );

  const human = await run('events');
  t.equal(human.code, 0, human.err);
  const lines = human.out.trimEnd().split('\n');
  t.match(lines[0], /^time +device +event +severity +state +message$/);
  t.match(lines[1], /^\d{4}-\S+Z +th-9 +overheat +critical +cleared +/, 'newest first: the clear');
  t.match(lines[2], /^\d{4}-\S+Z +th-9 +overheat +critical +raised +overheat raised: temperature = 55 Cel$/);
  t.equal(lines[3], '2 shown; the history holds 2 of at most 10000, 2 raised since the store was created');

  const j = JSON.parse((await run('--json', 'events', '--limit', '1')).out) as Page;
  t.match(j, {
    held: 2,
    raised: 2,
    evicted: 0,
    events: [{ deviceId: 'th-9', type: 'overheat', active: false, severity: 'critical' }],
  });
  t.equal(j.events.length, 1, '--limit');
  t.match((await run('events', '--limit', '1')).out, /^1 shown \(the newest 1; --limit for more\)/m);
  t.equal(
    (JSON.parse((await run('--json', 'events', '--since', new Date(Date.now() + 60_000).toISOString())).out) as Page)
      .events.length,
    0,
    '--since in the future: none',
  );
  t.equal(
    (JSON.parse((await run('--json', 'events', '--since', new Date(before - 1000).toISOString())).out) as Page).events
      .length,
    2,
    '--since an ISO time',
  );
  t.equal(
    (JSON.parse((await run('--json', 'events', '--since', '10m')).out) as Page).events.length,
    2,
    '--since an age',
  );
  t.equal((JSON.parse((await run('--json', 'events', '--device', 'other')).out) as Page).events.length, 0, '--device');
  const bad = await run('events', '--since', 'yesterday');
  t.equal(bad.code, 1);
  t.match(
    bad.err,
    /^error EDGE_ERR_BAD_REQUEST: --since takes a time such as 2024-05-01T08:00 or an age such as 30m, 2h, 7d; not "yesterday"/,
  );

  // status, cloud down: 6 readings and 2 events wait; the screen gives the total and its parts
  const s = JSON.parse((await run('--json', 'status')).out) as AgentStatus;
  const st = s.store;
  t.equal(st.rows, 6, 'three uplinks of two readings');
  t.equal(st.pendingEvents + st.batchedEvents, 2, 'the two events wait too');
  t.equal(
    st.pendingRows,
    st.rows - st.batchedRows + st.pendingEvents,
    'pendingRows counts unsent readings and unsent events: why it differs from rows',
  );
  const screen = (await run('status')).out;
  const unsent = st.rows - st.batchedRows + st.pendingEvents,
    sent = st.batchedRows + st.batchedEvents;
  t.equal(unsent + sent, 8);
  t.match(
    screen,
    new RegExp(
      `^backlog +8 waiting for the cloud = 6 readings \\+ 2 events; ${unsent} not sent yet \\+ ${sent} sent, awaiting ack \\(${st.unackedBatches} batch(es)?\\); oldest reading \\d+ s old$`,
      'm',
    ),
  );
  t.match(
    screen,
    /^store +readings held take \d+\.\d MiB of the \d+\.\d MiB cap \(events are not counted against it\); store file \d+\.\d MiB$/m,
  );
  t.match(screen, /^events +2 raised since the store was created, newest \d+ s ago {2}\(yiwang-edge events\)$/m);
});
