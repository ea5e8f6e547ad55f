/**
 * Issue 17, problem 4: `yiwang-edge run 2>&1 | tee log`, then Ctrl-C (the signal reaches tee too)
 * hung the agent until SIGKILL. Whatever happens to its stdout and stderr, SIGINT/SIGTERM end it
 * cleanly within a bounded time, with its store consistent and its lock released; past the stop
 * deadline, or at a second signal, it exits with a coded line.
 */
import t, { type Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../../helpers/fleet.js';
import { fullFifo } from '../../helpers/full-pipe.js';
import { until } from '../../helpers/wait.js';
import { SimSensor } from '../../../scripts/sim/coap-sensors.js';
import { lockStore } from '../../../common/process-lock.js';
import { REPO_ROOT } from '../../../common/paths.js';
import { EDGE_NODE_FLAGS } from '../../../edge/runtime-flags.js';
import { BIN, writeConfig } from './harness.js';

/** The agent must be gone this long after the signal (a clean stop takes well under a second). */
const BOUND_MS = 6000;

/** Starts `run` with the given stdout/stderr; resolves on its IPC "ready". */
function runAgent(config: string, out: 'pipe' | number): Promise<{ proc: ChildProcess; coapPort: number }> {
  const proc = spawn(process.execPath, [...EDGE_NODE_FLAGS, BIN, '--config', config, 'run'], {
    stdio: ['ignore', out, out, 'ipc'],
  });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { ready?: { coapPort: number } }) =>
      m.ready ? resolve({ proc, coapPort: m.ready.coapPort }) : reject(new Error('unexpected message')),
    );
    proc.once('exit', (code) => reject(new Error(`agent exited with ${code} before it was ready`)));
  });
}

/** Resolves with the exit code (or signal) and how long after `from` it came; kills it past `bound`. */
function exitWithin(
  proc: ChildProcess,
  from: number,
  bound: number,
): Promise<{ code: number | null; signal: string | null; ms: number }> {
  return new Promise((resolve) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), bound);
    proc.once('exit', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, ms: Date.now() - from });
    });
  });
}

async function sendReadings(coapPort: number, n: number): Promise<void> {
  const s = new SimSensor('pipe-dev', { host: '127.0.0.1', port: coapPort });
  try {
    for (let i = 0; i < n; i++) {
      // 2.04 is sent after the commit: these readings are in the store file
      const r = await s.sendSenml([{ n: 'level', u: 'm', v: i, t: 1_700_000_000 + i }]);
      if (r.code !== '2.04') throw new Error(`reading ${i}: ${r.code}`);
    }
  } finally {
    s.close();
  }
}

function storeChecks(t: Test, store: string, readings: number): void {
  const db = new Database(store, { readonly: true });
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'store integrity');
  t.equal(
    (db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n,
    readings,
    'every acknowledged reading is in the store',
  );
  db.close();
  const lock = lockStore(store, { code: 'EDGE_ERR_ALREADY_RUNNING', ioCode: 'EDGE_ERR_STORE', what: 'test' });
  lock.release();
  t.pass('the store lock was released');
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`${signal} with stdout and stderr pipes whose reader has gone`, async (t) => {
    const dir = tempDir('yw-pipe-');
    const config = writeConfig(dir);
    const { proc, coapPort } = await runAgent(config, 'pipe');
    await sendReadings(coapPort, 3);
    proc.stdout!.destroy(); // the read ends close, as when tee dies
    proc.stderr!.destroy();
    const sent = Date.now();
    proc.kill(signal);
    const r = await exitWithin(proc, sent, BOUND_MS * 2);
    t.same([r.code, r.signal], [0, null], `clean exit (after ${r.ms} ms)`);
    t.ok(r.ms < BOUND_MS, `within ${BOUND_MS} ms`);
    storeChecks(t, join(dir, 'edge.db'), 3);
  });

  t.test(`${signal} while the log pipe is full and its reader stalls, then the reader goes`, async (t) => {
    // A FIFO filled to the brim before the agent starts: every line it logs waits. The old
    // destination (pino's sonic-boom) retried a pending line forever in its exit handler, and
    // after the reader went it looped on EPIPE: the agent never ended.
    const dir = tempDir('yw-pipe-full-');
    const config = writeConfig(dir);
    const { reader: r, writer: w } = fullFifo(dir);
    const { proc, coapPort } = await runAgent(config, w);
    closeSync(w);
    t.teardown(() => {
      try {
        closeSync(r);
      } catch {
        /* closed below */
      }
    });
    await sendReadings(coapPort, 2);
    const sent = Date.now();
    proc.kill(signal);
    // the reader holds on a little (a terminal that scrolls slowly), then dies with the same Ctrl-C
    setTimeout(() => closeSync(r), 300);
    const x = await exitWithin(proc, sent, BOUND_MS * 2);
    t.same([x.code, x.signal], [0, null], `clean exit (after ${x.ms} ms)`);
    t.ok(x.ms < BOUND_MS, `within ${BOUND_MS} ms`);
    storeChecks(t, join(dir, 'edge.db'), 2);
  });
}

t.test('past the stop deadline, and at a second signal, the process exits with a coded line', async (t) => {
  const dir = tempDir('yw-deadline-');
  const script = join(dir, 'svc.mjs');
  const lib = (p: string): string => JSON.stringify(join(REPO_ROOT, 'dist', p));
  // a service whose stop never finishes
  writeFileSync(
    script,
    [
      `import { registerEdgeErrors } from ${lib('edge/error-catalog.js')};`,
      'registerEdgeErrors();',
      `import { runService } from ${lib('common/service-lifecycle.js')};`,
      `import { createLogger } from ${lib('common/log.js')};`,
      `runService({ ready: { up: true }, stop: () => new Promise(() => {}), log: createLogger(), timeoutCode: 'EDGE_ERR_STOP_TIMEOUT', what: 'edge agent', deadlineMs: Number(process.argv[2]) });`,
    ].join('\n'),
  );
  const start = (deadline: number): Promise<{ proc: ChildProcess; err: () => string }> => {
    const proc = spawn(process.execPath, [script, String(deadline)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    return new Promise((resolve) => proc.once('message', () => resolve({ proc, err: () => err })));
  };

  const a = await start(300);
  let sent = Date.now();
  a.proc.kill('SIGTERM');
  const ra = await exitWithin(a.proc, sent, 10_000);
  t.equal(ra.code, 1);
  t.ok(ra.ms >= 250 && ra.ms < 5000, `after the deadline (${ra.ms} ms)`);
  t.match(
    a.err(),
    /"msg":"stopping the edge agent"\}\nerror EDGE_ERR_STOP_TIMEOUT: the edge agent did not stop within 0\.3 s of SIGTERM \(Look at the log lines[^\n]*\n$/,
  );

  const b = await start(60_000);
  sent = Date.now();
  b.proc.kill('SIGINT');
  await until('the first SIGINT handled', () => b.err().includes('stopping the edge agent'), 10_000);
  b.proc.kill('SIGINT');
  const rb = await exitWithin(b.proc, sent, 10_000);
  t.equal(rb.code, 1);
  t.ok(rb.ms < 5000, `at once (${rb.ms} ms)`);
  t.match(b.err(), /\nerror EDGE_ERR_STOP_TIMEOUT: SIGINT again while stopping: exited without waiting/);
});
