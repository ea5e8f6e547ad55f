/** A real pino logger whose JSON lines are kept for assertions (e.g. "a coded error was logged"). */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../common/log.js';

export interface CapturedLog {
  log: Logger;
  lines: Record<string, unknown>[];
  withCode(code: string): Record<string, unknown>[];
}

export function captureLog(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n'))
        if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  const log = createLogger({ level: 'debug', destination: stream });
  return { log, lines, withCode: (code) => lines.filter((l) => l.code === code) };
}
