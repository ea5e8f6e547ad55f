/** LogLimiter: the first lines of each reason per window, then one summary line; every event counted. */
import t from 'tap';
import { LogLimiter } from '../../common/log-limiter.js';
import { captureLog } from '../helpers/log-capture.js';
import { until } from '../helpers/wait.js';

t.test('a flood of one reason costs a few lines, a count and one summary', async (t) => {
  const { log, lines } = captureLog();
  const limited = new LogLimiter(log, { perWindow: 3, windowMs: 300, what: 'bad datagrams' });
  let logged = 0;
  for (let i = 0; i < 1000; i++) if (limited.log('warn', 'E_BAD', { code: 'E_BAD', i }, 'bad datagram')) logged++;
  limited.log('warn', 'E_OTHER', { code: 'E_OTHER' }, 'other');
  t.equal(logged, 3, 'only the first three of the reason logged');
  t.same(limited.counts(), { E_BAD: 1000, E_OTHER: 1 }, 'every event counted by reason');
  t.equal(limited.suppressedTotal, 997);
  t.equal(lines.filter((l) => l.code === 'E_BAD').length, 3);
  t.match(
    lines.find((l) => l.code === 'E_BAD' && l.i === 2),
    { note: /further E_BAD lines are suppressed/ },
    'the last line says that more are left out',
  );
  t.equal(lines.filter((l) => l.code === 'E_OTHER').length, 1, 'another reason has its own allowance');
  // the summary comes at the end of the window even though nothing more arrives
  await until('summary line', () => lines.some((l) => l.suppressed !== undefined));
  const summary = lines.find((l) => l.suppressed !== undefined)!;
  t.same(summary.suppressed, { E_BAD: 997 });
  t.match(summary.msg, /bad datagrams: 997 similar lines suppressed/);
  t.equal(summary.level, 40, 'at warn');
  // a new window logs again
  t.ok(limited.log('warn', 'E_BAD', { code: 'E_BAD' }, 'bad datagram'), 'logged again in the next window');
  limited.close();
});

t.test("close() logs the window's summary; distinct reasons are capped", async (t) => {
  const { log, lines } = captureLog();
  const limited = new LogLimiter(log, { perWindow: 1, windowMs: 60_000, maxReasons: 4 });
  for (let i = 0; i < 100; i++) limited.log('info', `peer-chosen-${i}`, {}, 'x');
  t.equal(Object.keys(limited.counts()).length, 5, 'four reasons and other');
  t.equal(limited.counts().other, 96);
  limited.close();
  const summary = lines.find((l) => l.suppressed !== undefined);
  t.same(summary?.suppressed, { other: 95 }, 'summary on close');
  t.equal(lines.filter((l) => l.suppressed !== undefined).length, 1, 'once');
  limited.close();
  t.equal(lines.filter((l) => l.suppressed !== undefined).length, 1, 'nothing more to sum up');
});

t.test('totalPerWindow caps the lines of all reasons together; summaryFields go into the summary', async (t) => {
  const { log, lines } = captureLog();
  const limited = new LogLimiter(log, {
    perWindow: 5,
    totalPerWindow: 4,
    windowMs: 60_000,
    summaryFields: { code: 'E_SUMMARY' },
  });
  let logged = 0;
  for (let i = 0; i < 30; i++) if (limited.log('warn', `E_${i % 3}`, { code: `E_${i % 3}` }, 'x')) logged++;
  t.equal(logged, 4, 'four lines in all, though each reason has five');
  t.equal(limited.suppressedTotal, 26);
  t.match(
    lines.filter((l) => l.msg === 'x')[3],
    { note: /further lines are suppressed/ },
    'the last line says that more are left out',
  );
  limited.close();
  const summary = lines.find((l) => l.suppressed !== undefined);
  t.same(summary?.suppressed, { E_0: 8, E_1: 9, E_2: 9 });
  t.equal(summary?.code, 'E_SUMMARY');
});
