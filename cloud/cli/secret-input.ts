/**
 * Secrets the operator CLI asks for (passwords, authenticator codes): from the terminal without
 * echo, or — with --password-stdin — one per line of standard input (scripts, tests), in the order
 * the command asks them. Never from the command line, where the shell history and `ps` keep them.
 */
import { YiwangError } from '../../common/errors.js';

/** Standard input read for secrets, at most (a few lines of passwords, not a file). */
export const SECRET_STDIN_MAX_BYTES = 65_536;
/** One secret typed at the terminal, at most. */
export const SECRET_TTY_MAX_CHARS = 1024;

export interface SecretInput {
  /** The next secret: a line of standard input, or what is typed after `prompt` (shown on stderr). */
  next(prompt: string, what: string): Promise<string>;
}

async function readStdinLines(): Promise<string[]> {
  let s = '';
  for await (const chunk of process.stdin) {
    s += String(chunk);
    if (Buffer.byteLength(s) > SECRET_STDIN_MAX_BYTES)
      throw new YiwangError(
        'CLOUD_ERR_BAD_REQUEST',
        `standard input is over ${SECRET_STDIN_MAX_BYTES} bytes: --password-stdin reads a few lines (one secret each)`,
      );
  }
  return s.split('\n').map((l) => l.replace(/\r$/, ''));
}

/** Reads one line from the terminal with echo off (raw mode); Ctrl-C or Ctrl-D gives up. */
function readTty(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let got = '';
    const done = (err?: Error): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(got);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004')
          return done(new YiwangError('CLOUD_ERR_BAD_REQUEST', 'cancelled at the prompt'));
        if (ch === '\u007f' || ch === '\b') got = got.slice(0, -1);
        else if (got.length >= SECRET_TTY_MAX_CHARS)
          return done(new YiwangError('CLOUD_ERR_BAD_REQUEST', `over ${SECRET_TTY_MAX_CHARS} characters typed`));
        else got += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/** The secrets of one command: `fromStdin` = --password-stdin. */
export function secretInput(fromStdin: boolean): SecretInput {
  let lines: string[] | undefined;
  return {
    async next(prompt: string, what: string): Promise<string> {
      if (fromStdin) {
        lines ??= await readStdinLines();
        const line = lines.shift();
        if (line === undefined || (line === '' && lines.every((l) => l === '')))
          throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `standard input ended before ${what} (one per line)`);
        return line;
      }
      if (!process.stdin.isTTY)
        throw new YiwangError(
          'CLOUD_ERR_BAD_REQUEST',
          `no terminal to ask ${what}: give it on standard input with --password-stdin`,
        );
      const v = await readTty(prompt);
      if (!v) throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `no ${what} given`);
      return v;
    },
  };
}
