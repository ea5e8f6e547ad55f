/**
 * `yiwang-edge support-bundle`: one .tar.gz for the support desk — the config with secrets
 * redacted, status, diagnostics, recent logs, versions. Secrets are removed twice: by key name
 * in the config, and every secret value of the config is scrubbed from every file.
 */
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hostname, release } from 'node:os';
import { parseToml } from '../../common/toml-read.js';
import { YiwangError } from '../../common/errors.js';
import { VERSION } from '../../common/version.js';
import { tomlStringify } from '../../common/toml-write.js';
import { loadEdgeConfig, type EdgeConfig } from '../config.js';
import { localApi } from './local-api-client.js';
import { runChecks } from './diag-checks.js';
import { agentSocket, emit, globals, progress } from './output.js';
import { tarGz } from './tar.js';

const SECRET_KEY = /(secret|password|passwd|token|_pw$|^pw$|key$|credential)/i;
const REDACTED = '[redacted]';

/** A deep copy with every value under a secret-looking key replaced. */
export function redact(v: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key) && v !== '' && v !== null && v !== undefined && typeof v !== 'object') return REDACTED;
  if (Array.isArray(v)) return v.map((x) => redact(x, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x, k)]));
  return v;
}

/** Secret values of the config (to scrub wherever they appear). */
function secretValues(doc: unknown, key = '', out: string[] = []): string[] {
  if (Array.isArray(doc)) for (const x of doc) secretValues(x, key, out);
  else if (doc && typeof doc === 'object') for (const [k, x] of Object.entries(doc)) secretValues(x, k, out);
  else if (SECRET_KEY.test(key) && typeof doc === 'string' && doc.length >= 4) out.push(doc);
  return out;
}

function scrub(text: string, secrets: readonly string[]): string {
  let t = text.replace(/(\/\/[^/:@\s"]+:)[^@\s"/]+@/g, `$1${REDACTED}@`); // user:password@ in URLs
  for (const s of secrets) t = t.split(s).join(REDACTED);
  return t;
}

export interface BundleResult {
  file: string;
  bytes: number;
  files: string[];
  agentRunning: boolean;
}

export async function writeBundle(
  file: string | undefined,
  out: string,
  step: (done: number, total: number, label: string) => void = () => {},
): Promise<BundleResult> {
  const TOTAL = 5;
  step(0, TOTAL, 'config');
  let raw: Record<string, unknown> = {};
  let config: EdgeConfig | undefined;
  let configError = '';
  try {
    if (file) raw = parseToml(readFileSync(file, 'utf8'), file);
    config = loadEdgeConfig(file);
  } catch (err) {
    configError = (err as Error).message;
  }
  const secrets = [...new Set([...secretValues(raw), ...(config ? secretValues(config) : [])])].sort(
    (a, b) => b.length - a.length,
  );
  const files: { name: string; data: string }[] = [];
  files.push({
    name: 'config.toml',
    data:
      configError && !Object.keys(raw).length
        ? `# could not read ${file}: ${configError}\n`
        : tomlStringify(redact(raw) as object),
  });
  if (config) files.push({ name: 'config-effective.json', data: JSON.stringify(redact(config), null, 2) });
  step(1, TOTAL, 'status');
  let agentRunning = false;
  if (config) {
    try {
      files.push({
        name: 'status.json',
        data: JSON.stringify(await localApi(agentSocket(config), 'GET', '/v1/status'), null, 2),
      });
      agentRunning = true;
    } catch (err) {
      files.push({ name: 'status.json', data: JSON.stringify({ error: (err as Error).message }, null, 2) });
    }
  }
  step(2, TOTAL, 'logs');
  if (config && agentRunning) {
    try {
      const r = await localApi<{ entries: unknown[] }>(agentSocket(config), 'GET', '/v1/logs?limit=5000');
      files.push({ name: 'logs.jsonl', data: `${r.entries.map((e) => JSON.stringify(e)).join('\n')}\n` });
    } catch (err) {
      files.push({ name: 'logs.jsonl', data: `${JSON.stringify({ error: (err as Error).message })}\n` });
    }
  } else {
    // Agent down: the journal of the service is the next best source (when under systemd).
    try {
      files.push({
        name: 'journal.txt',
        data: execFileSync('journalctl', ['-u', 'yiwang-edge', '-n', '2000', '--no-pager', '-o', 'cat'], {
          encoding: 'utf8',
          timeout: 10_000,
          stdio: ['ignore', 'pipe', 'ignore'],
        }),
      });
    } catch {
      files.push({ name: 'journal.txt', data: '(no journal available)\n' });
    }
  }
  step(3, TOTAL, 'diagnostics');
  files.push({ name: 'diag.json', data: JSON.stringify(await runChecks(file), null, 2) });
  step(4, TOTAL, 'writing');
  files.push({
    name: 'manifest.json',
    data: JSON.stringify(
      {
        created: new Date().toISOString(),
        agentVersion: VERSION,
        node: process.version,
        os: `${process.platform} ${release()}`,
        host: hostname(),
        configFile: file ?? null,
        agentRunning,
        files: files.map((f) => f.name),
      },
      null,
      2,
    ),
  });
  const clean = files.map((f) => ({ name: `yiwang-support/${f.name}`, data: scrub(f.data, secrets) }));
  const gz = tarGz(clean);
  try {
    writeFileSync(out, gz, { mode: 0o600 });
  } catch (err) {
    throw new YiwangError('EDGE_ERR_BUNDLE', `${out}: ${(err as Error).message}`);
  }
  step(TOTAL, TOTAL, 'done');
  return { file: out, bytes: gz.length, files: clean.map((f) => f.name), agentRunning };
}

export function register(program: Command): void {
  program
    .command('support-bundle')
    .description('one .tar.gz for support: config (secrets redacted), status, diagnostics, recent logs')
    .option('-o, --output <file>', 'where to write it (default ./yiwang-support-<time>.tar.gz)')
    .action(async (o: { output?: string }, cmd: Command) => {
      const out =
        o.output ?? `yiwang-support-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}.tar.gz`;
      const bar = progress(cmd, 'collecting');
      const r = await writeBundle(globals(cmd).config, out, (d, t, l) => bar.update(d, t, l));
      bar.end();
      emit(
        cmd,
        r,
        () =>
          `wrote ${r.file} (${r.bytes} bytes: ${r.files.map((f) => f.replace('yiwang-support/', '')).join(', ')})${r.agentRunning ? '' : ' — the agent is not running, so no live status or logs'}`,
      );
    });
}
