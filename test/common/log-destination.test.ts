/** The log destination (common/log-destination.ts) never throws or blocks on a closed or stalled reader. */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FdDestination } from '../../common/log-destination.js';
import { tempDir } from '../helpers/fleet.js';

/** A FIFO with both ends open, non-blocking. */
function fifo(): { r: number; w: number } {
  const path = join(tempDir('yw-logdest-'), 'f');
  execFileSync('mkfifo', [path]);
  const r = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return { r, w: openSync(path, constants.O_WRONLY | constants.O_NONBLOCK) };
}

t.test('the reader gone (EPIPE): broken, later lines dropped, nothing thrown', async (t) => {
  const { r, w } = fifo();
  closeSync(r);
  const d = new FdDestination(w);
  d.write('one\n');
  await d.flush(5000);
  t.equal(d.brokenBy, 'EPIPE');
  d.write('two\n');
  d.flushAtExit();
  t.equal(d.dropped, 1);
  d.close();
  closeSync(w);
});

t.test(
  'a stalled reader: at most maxQueuedBytes wait, flush gives up in time, the exit flush is bounded',
  async (t) => {
    const { r, w } = fifo();
    const chunk = Buffer.alloc(4096, 'x');
    for (;;) {
      try {
        writeSync(w, chunk);
      } catch {
        break;
      } // full
    }
    const d = new FdDestination(w, 1000);
    for (let i = 0; i < 100; i++) d.write(`${'y'.repeat(99)}\n`);
    t.equal(d.dropped, 89, 'one line in the write in progress, 10 queued, the rest counted, not kept');
    const t0 = Date.now();
    await d.flush(100);
    t.ok(Date.now() - t0 < 2000, 'flush resolves after its timeout');
    const t1 = Date.now();
    d.flushAtExit();
    t.ok(Date.now() - t1 < 1000, 'the exit flush gives up on a full pipe');
    d.close();
    closeSync(w);
    closeSync(r);
  },
);

t.test('a file: every line, in order', async (t) => {
  const file = join(tempDir('yw-logdest2-'), 'log');
  const fd = openSync(file, 'a');
  const d = new FdDestination(fd);
  for (let i = 0; i < 1000; i++) d.write(`${i}\n`);
  await d.flush(5000);
  t.equal(readFileSync(file, 'utf8'), Array.from({ length: 1000 }, (_, i) => `${i}\n`).join(''));
  d.close();
  closeSync(fd);
});
