/** A FIFO filled to the brim before a process starts logging into it: every line it writes waits. */
import { execFileSync } from 'node:child_process';
import { constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Makes `dir/log.fifo`, opens both ends without blocking and writes until the pipe is full (EAGAIN). */
export function fullFifo(dir: string): { reader: number; writer: number } {
  const fifo = join(dir, 'log.fifo');
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  const chunk = Buffer.alloc(4096, 'x');
  for (;;) {
    try {
      writeSync(writer, chunk);
    } catch {
      return { reader, writer }; // EAGAIN: full
    }
  }
}
