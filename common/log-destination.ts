/**
 * Where log lines go: a file descriptor (stderr) written without ever throwing or blocking the
 * event loop, whatever the reader does (issue 17, problem 4). pino's own destination (sonic-boom)
 * flushes synchronously on exit and retries a failed write forever: with the log pipe closed
 * (`yiwang-edge run 2>&1 | tee log`, then Ctrl-C) the process hung in its exit handler until
 * SIGKILL.
 *
 * Here: lines are written asynchronously (libuv's thread pool); a write that fails with anything
 * but EAGAIN (EPIPE, EBADF, ENOSPC …) marks the destination broken and later lines are dropped;
 * a reader that does not keep up holds at most `maxQueuedBytes` (older lines are kept, newer ones
 * counted in `dropped`). At exit what is still queued gets one bounded synchronous attempt.
 */
import { write, writeSync } from 'node:fs';

/** How long the exit handler may spend writing what is still queued (a full pipe answers EAGAIN). */
export const EXIT_FLUSH_MS = 200;

const live = new Set<FdDestination>();
let exitHook = false;

export class FdDestination {
  /** Lines not yet handed to the kernel. */
  private queue: string[] = [];
  private queuedBytes = 0;
  /** Bytes of the write in progress: in the thread pool (`inPool`) or waiting to retry after EAGAIN. */
  private pending: Buffer | undefined;
  private inPool = false;
  private retry: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  /** Set by the first failed write (EPIPE: the reader is gone): nothing is written any more. */
  brokenBy: string | undefined;
  /** Lines dropped: queue full, or written after the destination broke. */
  dropped = 0;

  constructor(
    readonly fd: number,
    private readonly maxQueuedBytes = 4 << 20,
  ) {
    // Node puts a pipe behind process.stdout/stderr in non-blocking mode when it opens it: then a
    // full pipe answers EAGAIN instead of blocking the exit handler's synchronous write.
    if (fd === 1) void process.stdout;
    if (fd === 2) void process.stderr;
    live.add(this);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const d of live) d.flushAtExit();
      });
    }
  }

  write(line: string): boolean {
    if (this.brokenBy !== undefined || this.queuedBytes + line.length > this.maxQueuedBytes) {
      this.dropped++;
      return true;
    }
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (!this.pending) this.next();
    return true;
  }

  /** Resolves once everything queued was written (or dropped), or after `timeoutMs`. */
  flush(timeoutMs = 1000): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs); // kept: a bounded wait someone awaits
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  /** Stops writing: later lines are dropped; the exit handler forgets it. */
  close(): void {
    live.delete(this);
    this.fail('closed');
  }

  private idle(): boolean {
    return !this.pending && this.queue.length === 0;
  }

  private next(): void {
    if (this.brokenBy !== undefined || this.queue.length === 0) {
      this.pending = undefined;
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
      return;
    }
    this.pending = Buffer.from(this.queue.join(''), 'utf8');
    this.queue = [];
    this.queuedBytes = 0;
    this.writePending();
  }

  private writePending(): void {
    const buf = this.pending!;
    this.retry = undefined;
    this.inPool = true;
    write(this.fd, buf, 0, buf.length, null, (err, n) => {
      this.inPool = false;
      if (err) {
        if (err.code === 'EAGAIN') {
          this.retry = setTimeout(() => this.writePending(), 20);
          this.retry.unref(); // logging never keeps the process alive
          return;
        }
        return this.fail(err.code ?? err.message);
      }
      if (n < buf.length) {
        this.pending = buf.subarray(n);
        return this.writePending();
      }
      this.next();
    });
  }

  private fail(why: string): void {
    this.brokenBy ??= why;
    clearTimeout(this.retry);
    this.dropped += this.queue.length;
    this.queue = [];
    this.queuedBytes = 0;
    if (!this.inPool) this.next();
  }

  /**
   * Called at process exit: one bounded synchronous attempt at what is queued (and at a write
   * waiting to retry). A write in the thread pool is left alone: its outcome is unknown here.
   * Never throws, never loops past EXIT_FLUSH_MS.
   */
  flushAtExit(): void {
    if (this.brokenBy !== undefined || this.inPool) return;
    clearTimeout(this.retry);
    const parts = [...(this.pending ? [this.pending] : []), ...this.queue.map((s) => Buffer.from(s, 'utf8'))];
    this.pending = undefined;
    this.queue = [];
    let buf = Buffer.concat(parts);
    const deadline = Date.now() + EXIT_FLUSH_MS;
    while (buf.length > 0) {
      try {
        buf = buf.subarray(writeSync(this.fd, buf));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() >= deadline) return;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }
}
