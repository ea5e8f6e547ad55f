/** Routing rules (ordered, first match wins; glob, minimum severity, district, group) and the incident state machine. */
import t from 'tap';
import { globMatch, routeAlarm, severityAtLeast } from '../../../cloud/incidents/routing.js';
import { ALLOWED_FROM, mayDo, NEXT_STATE } from '../../../cloud/incidents/state-machine.js';
import type { RoutingRule } from '../../../cloud/incidents/types.js';

const rule = (id: string, position: number, o: Partial<RoutingRule>): RoutingRule => ({
  id,
  position,
  eventType: '*',
  minSeverity: 'warning',
  district: '',
  group: '',
  departmentId: 'd',
  slaMinutes: 60,
  priority: 3,
  createdMs: 0,
  updatedMs: 0,
  ...o,
});

t.test('globs', async (t) => {
  t.ok(globMatch('cover_*', 'cover_open'));
  t.ok(globMatch('*', ''));
  t.ok(globMatch('level_?igh', 'level_high'));
  t.notOk(globMatch('cover_*', 'xcover_open'), 'anchored at the start');
  t.notOk(globMatch('cover', 'cover_open'), 'and at the end');
  t.notOk(globMatch('a.b', 'axb'), 'a dot is literal');
  t.ok(globMatch('smoke(1)', 'smoke(1)'), 'regex characters are literal');
  t.ok(severityAtLeast('critical', 'warning'));
  t.notOk(severityAtLeast('warning', 'critical'));
  t.notOk(severityAtLeast('info', 'warning'));
});

t.test('first match by position wins; severity, district and group narrow a rule', async (t) => {
  const rules = [
    rule('any-cover', 20, { eventType: 'cover_*', departmentId: 'water' }),
    rule('east-critical-cover', 10, {
      eventType: 'cover_*',
      minSeverity: 'critical',
      district: 'east',
      departmentId: 'roads',
    }),
    rule('smoke-group', 30, { eventType: 'smoke', group: 'schools', departmentId: 'fire' }),
  ];
  const route = (type: string, severity: 'info' | 'warning' | 'critical', district = '', group = '') =>
    routeAlarm(rules, { type, severity, district, group })?.id;
  t.equal(route('cover_open', 'critical', 'east'), 'east-critical-cover', 'position 10 is tried first');
  t.equal(route('cover_open', 'warning', 'east'), 'any-cover', 'below its minimum severity: the next rule');
  t.equal(route('cover_open', 'critical', 'west'), 'any-cover', 'another district: the next rule');
  t.equal(route('smoke', 'critical', 'east', 'schools'), 'smoke-group');
  t.equal(route('smoke', 'critical', 'east', 'offices'), undefined, 'no rule for that group');
  t.equal(route('cover_open', 'info', 'east'), undefined, 'info is below every rule here');
  // same position: by id
  const tie = [rule('b', 5, { departmentId: 'B' }), rule('a', 5, { departmentId: 'A' })];
  t.equal(routeAlarm(tie, { type: 'x', severity: 'critical', district: '', group: '' })?.departmentId, 'A');
});

t.test('state machine', async (t) => {
  t.ok(mayDo('ack', 'open'));
  t.notOk(mayDo('ack', 'acknowledged'), 'acknowledged once');
  t.ok(mayDo('resolve', 'acknowledged'));
  t.ok(mayDo('resolve', 'open'), 'resolve without acknowledging first');
  t.notOk(mayDo('resolve', 'resolved'));
  t.ok(mayDo('close', 'resolved'));
  t.ok(mayDo('close', 'open'), 'a false alarm closes directly');
  for (const a of Object.keys(ALLOWED_FROM) as (keyof typeof ALLOWED_FROM)[])
    t.notOk(mayDo(a, 'closed'), `closed: no ${a}`);
  t.notOk(mayDo('escalate', 'resolved'), 'the SLA clock stops at resolved');
  t.same(NEXT_STATE, { ack: 'acknowledged', resolve: 'resolved', close: 'closed' });
});
