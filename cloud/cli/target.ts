/**
 * Which cloud an operator command talks to (docs/reference/cloud-cli.md, "Which cloud"), first
 * that gives a URL: the global flags --url / --context, the environment YIWANG_CLOUD_URL, the
 * current `login` context, the --config file's http listen address (and http.api_token), else the
 * default http://127.0.0.1:8080. A token is --token, else YIWANG_CLOUD_TOKEN, else the one stored
 * with the URL (context or config file): a saved token never goes to another URL.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { YiwangError, isYiwangError } from '../../common/errors.js';
import { CLOUD_SCHEMA, loadCloudConfig } from '../config.js';
import { contextsPath, readContexts } from './contexts-file.js';

export interface GlobalOpts {
  url?: string;
  token?: string;
  context?: string;
  config?: string;
  timeout?: string;
}

export interface CloudTarget {
  url: string;
  token: string;
  /** Where the URL came from, for messages ("--url", "YIWANG_CLOUD_URL", "context prod", …). */
  source: string;
  /** Where the token came from ('' without one). */
  tokenSource: string;
  timeoutMs: number;
}

export const DEFAULT_CONFIG_FILE = '/etc/yiwang/cloud.toml';
export const DEFAULT_TIMEOUT_S = 10;

/** The URL at which a cloud with this http.host and http.port answers on this machine (https:// under http.tls). */
export function listenUrl(host: string, port: number, tls = false): string {
  const h = host === '' || host === '0.0.0.0' ? '127.0.0.1' : host === '::' || host === '[::]' ? '::1' : host;
  return `${tls ? 'https' : 'http'}://${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`;
}

/** The URL checked: http or https, nothing else (a typo is named here, not as a connection failure). */
export function checkUrl(url: string, source: string): string {
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    /* named below */
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
    throw new YiwangError(
      'CLOUD_ERR_BAD_REQUEST',
      `the cloud URL ${JSON.stringify(url)} (from ${source}) is not an http:// or https:// URL`,
    );
  return url.replace(/\/+$/, '');
}

function fromConfig(file: string, explicit: boolean): { url: string; token: string; source: string } | undefined {
  if (!explicit) {
    if (!existsSync(file)) return undefined;
    try {
      accessSync(file, constants.R_OK);
    } catch {
      return undefined;
    }
  }
  const c = loadCloudConfig(file); // an explicit file that is missing or invalid is an error (CONFIG_ERR_*, exit 3)
  if (c.http.port === 0)
    throw new YiwangError(
      'CLOUD_ERR_UNREACHABLE',
      `cannot tell where the cloud of ${file} listens: its http.port is 0 (any free port); give --url`,
    );
  return {
    url: listenUrl(c.http.host, c.http.port, c.http.tls),
    token: c.http.api_token,
    source: `--config ${file} (http.host, http.port)`,
  };
}

/**
 * Resolves the target of one command. `configExplicit`: --config was given (or
 * YIWANG_CLOUD_CONFIG set); otherwise the default file is used only when it exists and is readable.
 */
export function resolveTarget(
  g: GlobalOpts,
  configExplicit: boolean,
  env: NodeJS.ProcessEnv = process.env,
): CloudTarget {
  const timeoutS = Number(g.timeout ?? DEFAULT_TIMEOUT_S);
  if (!(timeoutS > 0 && timeoutS <= 3600))
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `--timeout ${g.timeout}: give seconds from 0.001 to 3600`);
  const envToken = env.YIWANG_CLOUD_TOKEN;
  const token = (stored: string, storedSource: string): [string, string] =>
    g.token !== undefined
      ? [g.token, '--token']
      : envToken !== undefined && envToken !== ''
        ? [envToken, 'YIWANG_CLOUD_TOKEN']
        : stored
          ? [stored, storedSource]
          : ['', ''];
  const done = (url: string, source: string, stored = '', storedSource = ''): CloudTarget => {
    const [t, tokenSource] = token(stored, storedSource);
    return { url: checkUrl(url, source), token: t, source, tokenSource, timeoutMs: Math.round(timeoutS * 1000) };
  };
  if (g.url !== undefined) return done(g.url, '--url');
  const file = contextsPath(env);
  if (g.context !== undefined) {
    const c = readContexts(file).contexts[g.context];
    if (!c)
      throw new YiwangError(
        'CLOUD_ERR_CONTEXT',
        `no context ${JSON.stringify(g.context)} in ${file}; \`yiwang-cloud contexts\` lists them, \`yiwang-cloud login URL --context ${g.context}\` makes it`,
      );
    return done(c.url, `context ${g.context}`, c.token, `context ${g.context}`);
  }
  if (env.YIWANG_CLOUD_URL) return done(env.YIWANG_CLOUD_URL, 'YIWANG_CLOUD_URL');
  const saved = readContexts(file);
  const cur = saved.current ? saved.contexts[saved.current] : undefined;
  if (cur) return done(cur.url, `context ${saved.current}`, cur.token, `context ${saved.current}`);
  const cfg = fromConfig(g.config ?? DEFAULT_CONFIG_FILE, configExplicit);
  if (cfg) return done(cfg.url, cfg.source, cfg.token, `--config ${g.config ?? DEFAULT_CONFIG_FILE} (http.api_token)`);
  const h = CLOUD_SCHEMA.http;
  return done(
    listenUrl(h.host.default, h.port.default),
    `the default (no --url, YIWANG_CLOUD_URL, login context or readable ${g.config ?? DEFAULT_CONFIG_FILE})`,
  );
}

/** The root program of a command (where the global options are). */
export function rootOf(c: Command): Command {
  let r = c;
  while (r.parent) r = r.parent;
  return r;
}

/** The target for a command, from the root program's options. */
export function targetOf(c: Command, env: NodeJS.ProcessEnv = process.env): CloudTarget {
  const root = rootOf(c);
  const g = root.opts<GlobalOpts>();
  const flag = root.getOptionValueSource('config') === 'cli';
  const config = flag ? g.config : env.YIWANG_CLOUD_CONFIG || g.config;
  try {
    return resolveTarget(config === undefined ? g : { ...g, config }, flag || !!env.YIWANG_CLOUD_CONFIG, env);
  } catch (err) {
    if (isYiwangError(err)) throw err;
    throw new YiwangError('CLOUD_ERR_CONTEXT', (err as Error).message, { cause: err });
  }
}
