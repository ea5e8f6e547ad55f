/**
 * `npm start`'s program: readings reach the cloud within 10 s, replayed at the current time (the
 * banner's curl returns today's newest readings, the stations are online); the status line's figures
 * add up (one source); SIGINT stops every process.
 */
import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';
import { parseDemoStatusLine } from '../../scripts/demo-status.js';
import { until } from '../helpers/wait.js';

const HOUR_MS = 3_600_000;

t.test('the demo delivers readings within 10 s and leaves no process behind', async (t) => {
  const started = Date.now();
  const demo = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'scripts', 'demo.js'), '--hour-ms', '100'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A failed wait below must not leave the demo (and its cloud and edge) running.
  t.teardown(() => {
    if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGINT');
  });
  let out = '';
  const delivered = await new Promise<number>((resolve, reject) => {
    demo.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = [...out.matchAll(/delivered (\d+)/g)].map((x) => Number(x[1]));
      if (m.some((n) => n > 0)) resolve(Math.max(...m));
    });
    demo.on('exit', (code) => reject(new Error(`demo exited ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`no delivery within 10 s: ${out}`)), 10_000);
  });
  t.ok(delivered > 0, `delivered ${delivered} readings after ${Date.now() - started} ms`);
  t.match(out, /cloud API +http:\/\/127\.0\.0\.1:\d+\/api\/v1\/gateways/);
  t.match(out, /edge CoAP +coap:\/\/127\.0\.0\.1:\d+/);
  const api = /cloud API +(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
  t.match(out, new RegExp(`^  dashboard +${api}/ `, 'm'), 'the dashboard URL is labelled');

  // The banner's curl: today's newest readings first (the series is shifted to end now, history sent at once).
  const curl = /curl '([^']+)'/.exec(out)?.[1];
  t.match(curl, /\/readings\?metric=pm2_5&order=desc&limit=5$/);
  type Got = { readings: { ts: number; value: number }[] };
  let newest: Got = { readings: [] };
  await until(
    'the replayed history reaches the current hour',
    async () => {
      newest = (await (await fetch(curl!)).json()) as Got;
      return newest.readings.length === 5 && newest.readings[0]!.ts >= Date.now() - HOUR_MS;
    },
    30_000,
    200,
  );
  const ts = newest.readings.map((r) => r.ts);
  t.same(
    ts,
    [...ts].sort((a, b) => b - a),
    'newest first',
  );
  t.ok(
    ts.every((x, i) => i === 0 || ((ts[i - 1]! - x) % HOUR_MS === 0 && ts[i - 1]! > x)),
    'whole hours apart, as in the data (NA values are skipped)',
  );
  t.ok(ts[0]! <= Date.now(), 'none in the future');
  const oldest = (await (await fetch(curl!.replace('order=desc&limit=5', 'limit=1'))).json()) as Got;
  t.ok(
    oldest.readings[0]!.ts >= started - 49 * HOUR_MS,
    `the oldest is from the last 48 h, not 2013 (${new Date(oldest.readings[0]!.ts).toISOString()})`,
  );
  for (const id of ['urn:dev:ops:yiwang-aq-dongsi', 'urn:dev:ops:yiwang-aq-guanyuan']) {
    const dev = (await (await fetch(`${api}/api/v1/devices/${encodeURIComponent(id)}`)).json()) as {
      online: boolean;
      lastReadingTs: number;
    };
    t.equal(dev.online, true, `${id} is online`);
    t.ok(Date.now() - dev.lastReadingTs < HOUR_MS, `${id}: last reading within the hour`);
  }

  // Every status line adds up: received = delivered + buffered + dropped, all from the agent.
  await until(
    'a few status lines',
    () => out.split('\n').filter((l) => parseDemoStatusLine(l)).length >= 3,
    20_000,
    100,
  );
  const lines = out
    .split('\n')
    .map((l) => parseDemoStatusLine(l))
    .filter((f) => f !== undefined);
  for (const f of lines) {
    t.equal(
      f.received,
      f.delivered + f.buffered + f.dropped,
      `received ${f.received} = delivered ${f.delivered} + buffered ${f.buffered} + dropped ${f.dropped}`,
    );
    t.ok(f.delivered <= f.received, 'never more delivered than received');
  }
  const pids = execFileSync('sh', ['-c', `pgrep -P ${demo.pid} || true`])
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean);
  t.equal(pids.length, 2, 'cloud and edge run as children');
  demo.kill('SIGINT');
  const code = await new Promise<number | null>((r) => demo.on('exit', (c) => r(c)));
  t.equal(code, 0);
  t.match(out, /stopped: cloud, edge agent and sensors are down/);
  for (const pid of pids) {
    let alive = true;
    try {
      process.kill(Number(pid), 0);
    } catch {
      alive = false;
    }
    t.notOk(alive, `child ${pid} is gone`);
  }
});
