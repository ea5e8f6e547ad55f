/**
 * Runs a command in a real pseudo-terminal: a tmux pane (Debian's tmux, a test peer listed in
 * scripts/test-peers.mjs) on a private server socket. The pane starts the command only once its
 * raw output is being recorded (pipe-pane), and stays after the command exits (remain-on-exit)
 * so that the rendered screen (what the technician sees) and the exit status can be read.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '../../helpers/wait.js';

const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;

export class TmuxServer {
  private n = 0;
  private readonly sock: string;
  private readonly conf: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly dir: string) {
    this.sock = join(dir, 'tmux.sock');
    this.conf = join(dir, 'tmux.conf');
    writeFileSync(this.conf, 'set -g status off\nset -g remain-on-exit on\nset -g history-limit 5000\n');
    this.env = { ...process.env, TERM: 'xterm-256color' };
    delete this.env.NO_COLOR;
    delete this.env.TMUX;
  }

  tmux(args: string[]): Promise<string> {
    return new Promise((resolve, reject) =>
      execFile(
        'tmux',
        ['-S', this.sock, '-f', this.conf, ...args],
        { env: this.env, timeout: 30_000 },
        (e, out, err) => (e ? reject(new Error(`tmux ${args[0]}: ${err || e.message}`)) : resolve(out)),
      ),
    );
  }

  /** Starts `argv` in a new pane of `cols`×`rows`; resolves once it runs with its output recorded. */
  async run(argv: string[], cols = 160, rows = 50): Promise<TmuxPane> {
    const name = `p${++this.n}`;
    const raw = join(this.dir, `${name}.raw`);
    writeFileSync(raw, '');
    const status = join(this.dir, `${name}.status`);
    // the shell stays the parent and writes the exit status to a file (pane_dead_status is not
    // always set for a command that ends fast)
    const shell = `tmux -S ${quote(this.sock)} wait-for ${name}-go && { ${argv.map(quote).join(' ')}; echo $? > ${quote(status)}; }`;
    await this.tmux(['new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), shell]);
    await this.tmux(['pipe-pane', '-t', name, '-o', `cat >> ${quote(raw)}`]);
    await this.tmux(['wait-for', '-S', `${name}-go`]);
    return new TmuxPane(this, name, raw, status);
  }

  async stop(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => {});
  }
}

export class TmuxPane {
  constructor(
    private readonly server: TmuxServer,
    readonly name: string,
    private readonly rawFile: string,
    private readonly statusFile: string,
  ) {}

  /**
   * The rendered terminal as text (from the top of its history: tmux scrolls the first line away
   * when it adds "Pane is dead"), wrapped lines joined, that line and trailing blank lines
   * dropped; `escapes` keeps colours.
   */
  async screen(escapes = false): Promise<string> {
    const out = await this.server.tmux([
      'capture-pane',
      '-p',
      '-J',
      '-S',
      '-',
      '-t',
      this.name,
      ...(escapes ? ['-e'] : []),
    ]);
    return out.replace(/^(\x1b\[[0-9;]*m)*Pane is dead \(status .*$/m, '').replace(/\n[\s]*$/, '\n');
  }

  /** Everything the command wrote to the terminal, escape codes and carriage returns included. */
  raw(): string {
    return readFileSync(this.rawFile, 'utf8');
  }

  async waitFor(re: RegExp, timeoutMs = 30_000): Promise<string> {
    let s = '';
    await until(
      `${re} on the screen of ${this.name}`,
      async () => {
        s = await this.screen();
        return re.test(s);
      },
      timeoutMs,
      50,
    );
    return s;
  }

  async type(text: string): Promise<void> {
    if (text) await this.server.tmux(['send-keys', '-t', this.name, '-l', text]);
    await this.server.tmux(['send-keys', '-t', this.name, 'Enter']);
  }

  /** Waits for the command to end; resolves its exit status. */
  async exit(timeoutMs = 60_000): Promise<number> {
    await until(
      `${this.name} to exit`,
      async () =>
        existsSync(this.statusFile) &&
        readFileSync(this.statusFile, 'utf8').endsWith('\n') &&
        (await this.server.tmux(['display-message', '-p', '-t', this.name, '#{pane_dead}'])).trim() === '1',
      timeoutMs,
      50,
    );
    return Number(readFileSync(this.statusFile, 'utf8'));
  }
}
