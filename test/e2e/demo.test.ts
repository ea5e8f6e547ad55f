/** `npm start`'s program: readings reach the cloud within 10 s; SIGINT stops every process. */
import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/paths.js';

t.test('the demo delivers readings within 10 s and leaves no process behind', async (t) => {
  const started = Date.now();
  const demo = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'scripts', 'demo.js'), '--hour-ms', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
  const pids = execFileSync('sh', ['-c', `pgrep -P ${demo.pid} || true`]).toString().trim().split('\n').filter(Boolean);
  t.equal(pids.length, 2, 'cloud and edge run as children');
  demo.kill('SIGINT');
  const code = await new Promise<number | null>((r) => demo.on('exit', (c) => r(c)));
  t.equal(code, 0);
  t.match(out, /stopped: cloud, edge agent and sensors are down/);
  for (const pid of pids) {
    let alive = true;
    try { process.kill(Number(pid), 0); } catch { alive = false; }
    t.notOk(alive, `child ${pid} is gone`);
  }
});
