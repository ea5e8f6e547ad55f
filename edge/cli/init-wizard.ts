/**
 * The questions of `yiwang-edge init` on a terminal, for what the flags did not give. Each answer
 * is checked as it is given; a bad one is answered with the reason and the same question again.
 * Defaults are the previous file's values (re-init), else the agent's defaults; the cloud URL
 * has none on a new file (a placeholder would not work), and is not asked on a provisioned
 * gateway (kept unless --cloud-url is given).
 */
import { createInterface, type Interface } from 'node:readline/promises';
import {
  checkCloudUrl,
  checkDataDir,
  checkHost,
  checkPort,
  checkSerialFile,
  checkSite,
  checkYesNo,
  type Answers,
  type Check,
} from './init-answers.js';
import { dataDirOf, effective, get, isProvisioned, type Doc } from './init-merge.js';

class Questions {
  private readonly rl: Interface;
  private readonly closed = new AbortController();

  constructor(private readonly out: NodeJS.WritableStream) {
    this.rl = createInterface({ input: process.stdin, output: out });
    this.rl.on('close', () => this.closed.abort());
    this.rl.on('SIGINT', () => this.rl.close()); // Ctrl-C: stop, nothing written
  }

  /** Asks until `check` accepts; an empty answer takes `def` (none: the empty answer is checked). */
  async ask<T>(text: string, def: string | undefined, check: (s: string) => Check<T>): Promise<T> {
    for (;;) {
      let answer: string;
      try {
        answer = (
          await this.rl.question(def ? `${text} [${def}]: ` : `${text}: `, { signal: this.closed.signal })
        ).trim();
      } catch {
        throw new Error('init cancelled; nothing was written');
      }
      const r = check(answer === '' && def !== undefined ? def : answer);
      if (r.ok) return r.value;
      this.out.write(`  ${r.reason}\n`);
    }
  }

  yesNo(text: string, def: boolean): Promise<boolean> {
    return this.ask(`${text} (y/n)`, def ? 'y' : 'n', checkYesNo);
  }

  say(line: string): void {
    this.out.write(`${line}\n`);
  }

  close(): void {
    this.rl.close();
  }
}

export async function askAnswers(
  given: Answers,
  previous: Doc | undefined,
  out: NodeJS.WritableStream = process.stderr,
): Promise<Answers> {
  const q = new Questions(out);
  const local = { local: true };
  const a: Answers = { ...given };
  try {
    if (a.cloudUrl === undefined) {
      if (isProvisioned(previous))
        q.say(
          `cloud broker URL: ${String(effective(previous, 'cloud', 'url'))} (kept: this gateway is provisioned; --cloud-url changes it)`,
        );
      else {
        const prev = get(previous, 'cloud', 'url');
        a.cloudUrl = await q.ask(
          'cloud broker URL (from the cloud operator, mqtts://host:port)',
          typeof prev === 'string' && prev ? prev : undefined,
          checkCloudUrl,
        );
      }
    }
    a.site ??= await q.ask('site name', String(effective(previous, 'gateway', 'site')) || undefined, checkSite);
    a.dataDir ??= await q.ask('data directory (store, cameras, agent socket)', dataDirOf(previous), checkDataDir);
    a.coapHost ??= await q.ask(
      'CoAP/LwM2M bind address (0.0.0.0 = all interfaces)',
      String(effective(previous, 'coap', 'host')),
      (s) => checkHost(s, local),
    );
    a.coapPort ??= await q.ask('CoAP/LwM2M UDP port', String(effective(previous, 'coap', 'port')), checkPort);
    a.lwm2m ??= await q.yesNo('serve LwM2M devices', effective(previous, 'lwm2m', 'enabled') === true);
    a.cameras ??= await q.yesNo('manage ONVIF cameras', effective(previous, 'cameras', 'enabled') === true);
    a.hj212 ??= await q.yesNo(
      `serve HJ 212 pollution monitors (TCP ${String(effective(previous, 'hj212', 'port'))})`,
      effective(previous, 'hj212', 'enabled') === true,
    );
    if (a.serialDevices === undefined) {
      const prev = String(effective(previous, 'serial', 'devices_file'));
      a.serialDevices = await q.ask(
        prev ? 'serial device file (- = none)' : 'serial device file (empty = no RS-485 buses)',
        prev || undefined,
        (s) => checkSerialFile(s, local),
      );
    }
    return a;
  } finally {
    q.close();
  }
}
