/** The store lock (common/process-lock.ts) within one process: exclusive, released, symlinks, memory stores. */
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isYiwangError } from '../../common/errors.js';
import { lockOwner, lockPathOf, lockStore, type LockOptions } from '../../common/process-lock.js';
import { tempDir } from '../helpers/fleet.js';
import { REPO_ROOT } from '../../common/paths.js';

const refusal = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
};

const opts: LockOptions = { code: 'EDGE_ERR_ALREADY_RUNNING', ioCode: 'EDGE_ERR_STORE', what: 'edge agent' };

t.test('held until released; the holder is recorded', async (t) => {
  const dir = tempDir('yw-plock-');
  const store = join(dir, 'edge.db');
  const a = lockStore(store, opts);
  t.equal(a.path, `${store}.lock`);
  t.match(lockOwner(a.path), { pid: process.pid, command: /\S/ });
  const err = refusal(() => lockStore(store, opts));
  t.ok(isYiwangError(err, 'EDGE_ERR_ALREADY_RUNNING'), String(err));
  t.match((err as Error).message, `(PID ${process.pid}, started `);
  a.release();
  a.release(); // twice is harmless
  const b = lockStore(store, opts);
  b.release();
});

t.test('a store reached through a symlinked directory is the same store', async (t) => {
  const dir = tempDir('yw-plock2-');
  mkdirSync(join(dir, 'data'));
  symlinkSync(join(dir, 'data'), join(dir, 'link'));
  const a = lockStore(join(dir, 'data', 'edge.db'), opts);
  t.equal(lockPathOf(join(dir, 'link', 'edge.db')), a.path);
  t.throws(() => lockStore(join(dir, 'link', 'edge.db'), opts), /another edge agent is running/);
  a.release();
});

t.test('nothing to lock for a memory store', async (t) => {
  const a = lockStore(':memory:', opts);
  const b = lockStore(':memory:', opts);
  a.release();
  b.release();
  t.pass();
});

t.test('a lock file that cannot be opened is a coded store error', async (t) => {
  const dir = tempDir('yw-plock3-');
  writeFileSync(join(dir, 'file'), '');
  const err = refusal(() => lockStore(join(dir, 'file', 'edge.db'), opts));
  t.ok(isYiwangError(err, 'EDGE_ERR_STORE'), String(err));
  t.match((err as Error).message, /^cannot open the lock file .*file\/edge\.db\.lock: /);
});

t.test('simultaneous starts: one holds the lock, every other one names its PID', async (t) => {
  const dir = tempDir('yw-plock4-');
  const store = join(dir, 'edge.db');
  const script = join(dir, 'take.mjs');
  writeFileSync(
    script,
    [
      `import { lockStore } from ${JSON.stringify(join(REPO_ROOT, 'dist', 'common', 'process-lock.js'))};`,
      'try {',
      `  lockStore(${JSON.stringify(store)}, ${JSON.stringify(opts)});`,
      "  process.stdout.write(JSON.stringify({ held: process.pid }) + '\\n');",
      "  process.stdin.on('end', () => process.exit(0)).resume(); // held until the test closes stdin",
      '} catch (err) {',
      "  process.stdout.write(JSON.stringify({ refused: err.message }) + '\\n');",
      '  process.exit(0);',
      '}',
    ].join('\n'),
  );
  const kids = Array.from({ length: 6 }, () =>
    spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const answers = await Promise.all(
    kids.map(
      (k) =>
        new Promise<{ held?: number; refused?: string }>((resolve) => {
          let out = '';
          k.stdout!.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.endsWith('\n')) resolve(JSON.parse(out) as { held?: number; refused?: string });
          });
        }),
    ),
  );
  for (const k of kids) k.stdin!.end();
  const holders = answers.filter((a) => a.held);
  t.equal(holders.length, 1, 'exactly one holds it');
  for (const a of answers.filter((x) => x.refused))
    t.match(a.refused, `(PID ${holders[0]?.held}, started `, 'names the holder');
});
