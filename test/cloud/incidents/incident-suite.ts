/**
 * The incident engine and service on a real store pair (health events + incident store), run
 * for SQLite and PostgreSQL: routing end to end, repeats linked, the state machine, SLA
 * escalation on a controllable clock with signed webhooks to a real receiver, the durable cursor
 * across restarts, and the bounds (notes, linked alarms) with their counters.
 */
import { ALARM_ATTEMPTS } from '../../../cloud/incidents/incident-engine.js';
import type { Test } from 'tap';
import { silentLogger } from '../../../common/log.js';
import type { NewEvent } from '../../../cloud/health/types.js';
import { Incidents } from '../../../cloud/incidents/incident-wiring.js';
import type { IncidentStore } from '../../../cloud/incidents/incident-store.js';
import type { CloudStore } from '../../../cloud/store/cloud-store.js';
import { until } from '../../helpers/wait.js';
import { startReceiver } from './webhook-receiver.js';

export interface Backend {
  events: CloudStore;
  incidents: IncidentStore;
  /** The raw stored department row's secret column (to see it sealed). */
  rawSecret(id: string): Promise<string>;
}

const SECRET = 'roads-secret-0123456789';
const PLACES: Record<string, { district: string; group: string }> = {
  'gw-east': { district: 'east', group: 'covers' },
  'gw-west': { district: 'west', group: 'covers' },
};

export function incidentSuite(t: Test, open: (t: Test) => Promise<Backend>): void {
  const setup = async (t: Test, lookbackIds = 0) => {
    const b = await open(t);
    for (const id of [...Object.keys(PLACES), 'gw-broken']) await b.events.createGateway(id, 'x');
    let now = Date.UTC(2026, 0, 1, 8);
    const clock = { now: () => now, advance: (ms: number) => (now += ms) };
    const rx = await startReceiver(SECRET, () => clock.now() / 1000);
    t.teardown(() => rx.close());
    const sealer = {
      seal: (s: string) => `sealed:${Buffer.from(s).toString('base64')}`,
      open: (s: string) => Buffer.from(s.slice(7), 'base64').toString(),
    };
    const make = () =>
      new Incidents({
        store: b.incidents,
        events: b.events,
        placeOf: async (id) => {
          if (id === 'gw-broken') throw new Error('place lookup failed'); // one alarm that always fails
          return PLACES[id];
        },
        sealer,
        isLeader: () => true,
        log: silentLogger(),
        now: clock.now,
        lookbackIds,
        webhooks: { baseDelayMs: 10 },
      });
    const inc = make();
    t.teardown(() => inc.stop());
    let n = 0;
    const raise = async (gatewayId: string, type: string, severity: NewEvent['severity'], deviceId = 'dev-1') =>
      (
        await b.events.addEvents(
          [
            {
              gatewayId,
              deviceId,
              type,
              severity,
              tsMs: clock.now(),
              message: `${type} ${++n}`,
              attributes: {},
              active: true,
              sourceId: '',
            },
          ],
          clock.now(),
        )
      )[0]!;
    return { b, clock, rx, inc, make, raise, sealer };
  };

  const configure = async (inc: Incidents, url: string) => {
    await inc.config.createDepartment({ id: 'roads', name: 'Roads', webhookUrl: url, secret: SECRET });
    await inc.config.createDepartment({ id: 'water', name: 'Water' });
    await inc.config.createRule({
      id: 'east-cover',
      position: 10,
      eventType: 'cover_*',
      minSeverity: 'critical',
      district: 'east',
      departmentId: 'roads',
      slaMinutes: 30,
      priority: 1,
    });
    await inc.config.createRule({
      id: 'any-cover',
      position: 20,
      eventType: 'cover_*',
      departmentId: 'water',
      slaMinutes: 120,
    });
  };

  t.test('an alarm that keeps failing is retried, then given up: it never holds the later ones back', async (t) => {
    const { inc, raise, rx } = await setup(t);
    await inc.engine.tick(); // first start: the cursor begins at the newest event
    await configure(inc, rx.url);
    const bad = await raise('gw-broken', 'cover_open', 'critical');
    await raise('gw-east', 'cover_open', 'critical');
    await inc.engine.tick();
    t.equal(inc.engine.counters.alarmsFailed, 1, 'the first pass fails on it');
    t.equal((await inc.service.list({})).length, 0, 'and the alarm after it waits (in order)');
    t.equal(inc.engine.counters.cursor, bad.id - 1, 'the cursor stops before it');
    await inc.engine.tick();
    t.equal((await inc.service.list({})).length, 0, 'second pass: still waiting');
    await inc.engine.tick();
    t.equal(inc.engine.counters.alarmsFailed, ALARM_ATTEMPTS, `failed ${ALARM_ATTEMPTS} passes`);
    t.equal(inc.engine.counters.alarmsSkipped, 1, 'then given up, counted');
    t.same(
      (await inc.service.list({})).map((i) => i.gatewayId),
      ['gw-east'],
      'and the next alarm opened its incident in the same pass',
    );
  });

  t.test(
    'routing: the engine opens incidents by the first matching rule; repeats are linked and counted',
    async (t) => {
      const { b, inc, raise, rx } = await setup(t);
      await inc.engine.tick(); // first start: the cursor begins at the newest event
      await configure(inc, rx.url);
      t.match(await b.rawSecret('roads'), /^sealed:/, 'the secret is stored sealed');
      t.notOk(JSON.stringify(await inc.config.departments()).includes(SECRET), 'and never answered');
      const a1 = await raise('gw-east', 'cover_open', 'critical');
      const a2 = await raise('gw-east', 'cover_open', 'warning', 'dev-2');
      const a3 = await raise('gw-west', 'cover_open', 'critical');
      await raise('gw-east', 'level_high', 'critical'); // no rule
      await raise('gw-east', 'cover_open', 'info', 'dev-3'); // not an alarm
      const r = await inc.engine.tick();
      t.equal(r.handled, 4, 'four alarms read (the info event is not an alarm)');
      const list = await inc.service.list({});
      t.same(list.map((i) => [i.departmentId, i.ruleId, i.district, i.priority, i.slaMinutes]).reverse(), [
        ['roads', 'east-cover', 'east', 1, 30],
        ['water', 'any-cover', 'east', 3, 120],
        ['water', 'any-cover', 'west', 3, 120],
      ]);
      const first = list.at(-1)!;
      t.equal(first.deadlineMs - first.createdMs, 30 * 60_000, 'deadline from the rule\u2019s SLA');
      t.same(
        (await inc.service.detail(first.id)).alarms.map((a) => a.eventId),
        [a1.id],
      );
      t.same(
        [
          (await inc.service.detail(list[1]!.id)).alarms.map((a) => a.eventId),
          (await inc.service.detail(list[0]!.id)).alarms.map((a) => a.eventId),
        ],
        [[a2.id], [a3.id]],
        'the other two incidents link their own alarm',
      );
      // a repeat on the same device and type: linked, counted, no new incident
      const a4 = await raise('gw-east', 'cover_open', 'critical');
      await inc.engine.tick();
      t.equal((await inc.service.list({})).length, 3, 'no new incident');
      const d = await inc.service.detail(first.id);
      t.equal(d.alarmCount, 2);
      t.same(
        d.alarms.map((a) => a.eventId),
        [a1.id, a4.id],
      );
      t.equal(inc.service.counters.repeatsLinked, 1);
      // filters
      t.equal((await inc.service.list({ departmentId: 'water' })).length, 2);
      t.equal((await inc.service.list({ district: 'west' })).length, 1);
      t.equal((await inc.service.list({ priority: 1 })).length, 1);
      const page = await inc.service.list({ limit: 2 });
      t.equal(page.length, 2);
      t.equal((await inc.service.list({ beforeId: page[1]!.id })).length, 1, 'paged by id');
      await until('the opened webhook reached roads', () => rx.good().length === 1);
      t.equal(rx.got[0]!.body.kind, 'incident.opened');
    },
  );

  t.test('state machine through the service', async (t) => {
    const { inc, raise, rx } = await setup(t);
    await inc.engine.tick();
    await configure(inc, rx.url);
    await raise('gw-west', 'cover_open', 'warning');
    await inc.engine.tick();
    const [i] = await inc.service.list({});
    const id = i!.id;
    t.equal(i!.state, 'open');
    t.equal((await inc.service.ack(id, 'li')).state, 'acknowledged');
    await t.rejects(inc.service.ack(id, 'li'), { code: 'CLOUD_ERR_INCIDENT_STATE' }, 'acknowledged once');
    const as = await inc.service.assign(id, 'li', { assignee: 'wang', departmentId: 'roads' });
    t.equal(as.assignee, 'wang');
    t.equal(as.departmentId, 'roads');
    await until('the new department is told', () => rx.good().some((g) => g.body.kind === 'incident.reassigned'));
    await t.rejects(inc.service.assign(id, 'li', { departmentId: 'nope' }), { code: 'CLOUD_ERR_NOT_FOUND' });
    await inc.service.note(id, 'wang', 'on site, cover lifted by a truck');
    await t.rejects(inc.service.resolve(id, 'wang', ' '), { code: 'CLOUD_ERR_BAD_REQUEST' }, 'a resolution is needed');
    const rs = await inc.service.resolve(id, 'wang', 'cover replaced');
    t.equal(rs.state, 'resolved');
    t.equal(rs.resolvedBy, 'wang');
    const cl = await inc.service.close(id, 'li');
    t.equal(cl.state, 'closed');
    await t.rejects(inc.service.note(id, 'li', 'late'), { code: 'CLOUD_ERR_INCIDENT_STATE' });
    await t.rejects(inc.service.close(id, 'li'), { code: 'CLOUD_ERR_INCIDENT_STATE' });
    const d = await inc.service.detail(id);
    t.same(
      d.notes.map((n) => [n.author, n.text]),
      [
        ['li', 'acknowledged'],
        ['li', 'assigned: department roads, assignee wang'],
        ['wang', 'on site, cover lifted by a truck'],
        ['wang', 'resolved: cover replaced'],
        ['li', 'closed'],
      ],
    );
    // a new alarm on the same device after close opens a new incident
    await raise('gw-west', 'cover_open', 'warning');
    await inc.engine.tick();
    t.equal((await inc.service.list({ active: true })).length, 1);
    // an open incident closed directly needs a resolution
    const [j] = await inc.service.list({ active: true });
    await t.rejects(inc.service.close(j!.id, 'li'), { code: 'CLOUD_ERR_BAD_REQUEST' });
    t.equal((await inc.service.close(j!.id, 'li', 'false alarm')).resolution, 'false alarm');
  });

  t.test('SLA escalation on a controllable clock: level 1, then 2, a signed webhook each time', async (t) => {
    const { inc, raise, rx, clock } = await setup(t);
    await inc.engine.tick();
    await configure(inc, rx.url);
    await raise('gw-east', 'cover_open', 'critical');
    await inc.engine.tick();
    const [i] = await inc.service.list({});
    // each delivery is awaited before the clock moves on (the receiver checks the timestamp against it)
    await until('opened: told', () => rx.got.length === 1);
    clock.advance(29 * 60_000);
    t.equal((await inc.engine.tick()).escalated, 0, 'before the deadline: nothing');
    t.same(await inc.service.counts(() => true), { open: 1, acknowledged: 0, overdue: 0 });
    clock.advance(60_000);
    t.same(await inc.service.counts(() => true), { open: 1, acknowledged: 0, overdue: 1 }, 'overdue counted');
    t.same(
      await inc.service.counts((p) => p.district === 'west'),
      { open: 0, acknowledged: 0, overdue: 0 },
      'by place',
    );
    t.equal((await inc.engine.tick()).escalated, 1, 'at the deadline: escalated');
    let e = await inc.service.get(i!.id);
    t.equal(e.escalationLevel, 1);
    t.equal(e.deadlineMs, clock.now() + 30 * 60_000, 'a new deadline one SLA period on');
    t.equal((await inc.engine.tick()).escalated, 0, 'not again before the new deadline');
    await until('level 1: told', () => rx.got.length === 2);
    await inc.service.ack(i!.id, 'li'); // acknowledged: the clock still runs until resolved
    clock.advance(30 * 60_000);
    await inc.engine.tick();
    e = await inc.service.get(i!.id);
    t.equal(e.escalationLevel, 2);
    await until('three webhooks: opened, level 1, level 2', () => rx.good().length === 3);
    t.same(
      rx.got.map((g) => [g.body.kind, g.body.level, g.verified]),
      [
        ['incident.opened', 0, true],
        ['incident.escalated', 1, true],
        ['incident.escalated', 2, true],
      ],
    );
    t.ok(
      (await inc.service.detail(i!.id)).notes.some((n) => n.text.startsWith('escalated to level 2')),
      'an escalated note',
    );
    await inc.service.resolve(i!.id, 'li', 'done');
    clock.advance(600 * 60_000);
    t.equal((await inc.engine.tick()).escalated, 0, 'resolved: no more escalation');
    t.equal(inc.service.counters.escalations, 2);
  });

  t.test('webhook retried while the department answers 500', async (t) => {
    const { inc, raise, rx } = await setup(t);
    await inc.engine.tick();
    await configure(inc, rx.url);
    rx.answers.push(500, 500);
    await raise('gw-east', 'cover_open', 'critical');
    await inc.engine.tick();
    await until('delivered on the third attempt', () => rx.good().length === 1);
    t.same(
      rx.got.map((g) => g.status),
      [500, 500, 200],
    );
    t.equal(inc.webhooks.counters.retried, 2);
  });

  t.test('durable cursor: a restart neither misses nor repeats an alarm', async (t) => {
    const { b, inc, make, raise, rx } = await setup(t, 50);
    await raise('gw-west', 'cover_old', 'critical'); // before the first start: not turned into an incident
    await inc.engine.tick();
    await configure(inc, rx.url);
    await raise('gw-west', 'cover_open', 'critical', 'd1');
    await raise('gw-west', 'cover_open', 'critical', 'd2');
    await inc.engine.tick();
    await inc.stop();
    t.equal((await inc.service.list({})).length, 2);
    // while stopped: two more alarms
    await raise('gw-west', 'cover_open', 'critical', 'd3');
    await raise('gw-west', 'cover_open', 'critical', 'd4');
    const again = make();
    t.teardown(() => again.stop());
    const r = await again.engine.tick();
    t.equal(r.handled, 2, 'only the two new ones (the lookback skips alarms linked already)');
    t.same(
      (await again.service.list({})).map((i) => i.deviceId).sort(),
      ['d1', 'd2', 'd3', 'd4'],
      'nothing missed, nothing twice',
    );
    // a crash after handling but before the cursor moved: handled again, nothing changes
    const cur = (await b.incidents.getCursor('alarms'))!;
    await b.incidents.setCursor('alarms', cur - 4);
    const third = make();
    t.teardown(() => third.stop());
    await third.engine.tick();
    const all = await third.service.list({});
    t.equal(all.length, 4, 'no incident opened twice');
    t.ok(
      all.every((i) => i.alarmCount === 1),
      'no alarm linked twice',
    );
    t.equal(await b.incidents.getCursor('alarms'), cur);
  });

  t.test('bounds: 200 notes, 1000 linked alarms; refusals counted', async (t) => {
    const { b, inc, raise, rx, clock } = await setup(t);
    await inc.engine.tick();
    await configure(inc, rx.url);
    await raise('gw-east', 'cover_open', 'critical');
    await inc.engine.tick();
    const [i] = await inc.service.list({});
    for (let k = 0; k < 200; k++)
      await b.incidents.addNote(i!.id, { atMs: clock.now(), author: 'x', text: `n${k}` }, 200);
    await t.rejects(inc.service.note(i!.id, 'li', 'one more'), { code: 'CLOUD_ERR_INCIDENT_LIMIT' });
    t.equal(inc.service.counters.notesRefused, 1);
    // escalation still happens; its note is refused and counted
    clock.advance(31 * 60_000);
    await inc.engine.tick();
    t.equal((await inc.service.get(i!.id)).escalationLevel, 1);
    t.equal(inc.service.counters.notesRefused, 2);
    // 1001 repeats: 1000 links at most
    const evs: NewEvent[] = Array.from({ length: 1001 }, (_, k) => ({
      gatewayId: 'gw-east',
      deviceId: 'dev-1',
      type: 'cover_open',
      severity: 'critical',
      tsMs: clock.now() + k,
      message: 'again',
      attributes: {},
      active: true,
      sourceId: '',
    }));
    for (let k = 0; k < evs.length; k += 250) await b.events.addEvents(evs.slice(k, k + 250), clock.now());
    await inc.engine.tick();
    const d = await inc.service.get(i!.id);
    t.equal(d.linkedAlarms, 1000, 'links stop at 1000');
    t.equal(d.alarmCount, 1002, 'every repeat counted');
    t.equal(inc.service.counters.linksRefused, 2);
    t.equal((await inc.service.detail(i!.id)).alarms.length, 1000);
  });
}
