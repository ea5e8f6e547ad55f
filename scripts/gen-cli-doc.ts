/**
 * Writes docs/reference/cli.md (`yiwang-edge`) and docs/reference/cloud-cli.md (`yiwang-cloud`)
 * from the commander definitions (test/edge/cli/cli-doc.test.ts and
 * test/cloud/cli/cli-doc.test.ts keep them current).
 */
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Help, type Command, type Option } from 'commander';
import { program } from '../edge/cli/main.js';
import { program as cloudProgram } from '../cloud/cli/main.js';
import { EXIT } from '../common/cli-support.js';
import { REPO_ROOT } from '../common/paths.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `configDefault`: how the --config default reads (it comes from the environment when set). */
function optionRow(o: Option, configDefault: string): string {
  let def = '';
  if (o.long === '--config') def = configDefault;
  else if (o.defaultValue !== undefined && !(o.negate && o.defaultValue === true))
    def = `\`${JSON.stringify(o.defaultValue)}\``;
  return `| \`${cell(o.flags)}\` | ${cell(o.description)} | ${def} |`;
}

function section(cmd: Command, path: string[], out: string[], configDefault: string): void {
  const name = [...path, cmd.name()].join(' ');
  const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
  // commander's own filter of hidden commands (public Help API), without the implicit `help` command it adds
  const subs = new Help().visibleCommands(cmd).filter((c) => cmd.commands.includes(c));
  out.push(`### \`${name}${args ? ` ${args}` : ''}\``, '', cmd.description(), '');
  const opts = cmd.options.filter((o) => !o.hidden);
  if (opts.length)
    out.push('| option | meaning | default |', '|---|---|---|', ...opts.map((o) => optionRow(o, configDefault)), '');
  for (const s of subs) section(s, [...path, cmd.name()], out, configDefault);
}

function commandsDoc(p: Command, name: string, configDefault: string, head: string[]): string {
  const out = [
    ...head,
    '## Global options',
    '',
    '| option | meaning | default |',
    '|---|---|---|',
    ...p.options.map((o) => optionRow(o, configDefault)),
    '',
    '## Commands',
    '',
  ];
  for (const c of p.commands) section(c, [name], out, configDefault);
  return out.join('\n').replace(/\n+$/, '\n');
}

export function cliDoc(): string {
  return commandsDoc(program, 'yiwang-edge', '`/etc/yiwang/edge.toml` or `$YIWANG_EDGE_CONFIG`', [
    '# `yiwang-edge` command reference',
    '',
    'Generated from the command definitions (edge/cli/*.ts) by `node dist/scripts/gen-cli-doc.js`;',
    '`test/edge/cli/cli-doc.test.ts` fails when this file is stale.',
    '',
    'Commands that need the running agent talk to it through its local API: HTTP over the Unix',
    "socket `api.socket` (default `<store dir>/agent.sock`, mode 0600 — run them as the agent's user",
    'or root). When no agent answers they print one line, `error EDGE_ERR_AGENT_NOT_RUNNING: …`, and',
    'exit 4. Every command takes `--json` for machine-readable output (`logs --json` prints one JSON',
    'object per line). On a terminal tables are aligned and coloured (set `NO_COLOR` to turn colour',
    'off) and long work shows a progress bar on stderr. Errors are one line,',
    '`error CODE: message (hint)` (codes in [errors.md](errors.md)); `--debug` adds the stack.',
    '',
    ...exitCodes(
      'the command failed (coded error), a `diag` check failed (`EDGE_ERR_DIAG_FAILED`), or `cameras test` found the camera offline',
      [[EXIT.UNAVAILABLE, 'the command needs the running agent and none answers (`EDGE_ERR_AGENT_NOT_RUNNING`)']],
    ),
  ]);
}

/** The exit-code table both programs share (EXIT), with each one's own wording of a failure and extra codes. */
function exitCodes(failed: string, extra: [number, string][] = []): string[] {
  const rows: [number, string][] = [
    [EXIT.OK, 'success'],
    [EXIT.ERROR, failed],
    [EXIT.USAGE, "bad usage: unknown command or option, missing argument (commander's message)"],
    [EXIT.CONFIG, 'the configuration file is missing, not TOML, or invalid (`CONFIG_ERR_*`)'],
    ...extra,
  ];
  return [
    '## Exit codes',
    '',
    '| code | meaning |',
    '|---|---|',
    ...rows.map(([code, meaning]) => `| ${code} | ${meaning} |`),
    '',
  ];
}

export function cloudCliDoc(): string {
  return commandsDoc(cloudProgram, 'yiwang-cloud', '`/etc/yiwang/cloud.toml` or `$YIWANG_CLOUD_CONFIG`', [
    '# `yiwang-cloud` command reference',
    '',
    'Generated from the command definitions (cloud/cli/*.ts) by `node dist/scripts/gen-cli-doc.js`;',
    '`test/cloud/cli/cli-doc.test.ts` fails when this file is stale. `serve` runs the cloud; every',
    'other command is an operator command that talks to a running cloud through its HTTP API',
    "([http-api.md](http-api.md)). The technician's `yiwang-edge` is in [cli.md](cli.md).",
    '',
    '## Which cloud',
    '',
    'An operator command talks to the first cloud named by:',
    '',
    '1. the global options `--url` (and `--token`), or `--context NAME` (a saved context);',
    '2. the environment: `YIWANG_CLOUD_URL` (and `YIWANG_CLOUD_TOKEN`);',
    '3. the current context saved by `yiwang-cloud login` (`use-context` switches, `logout` forgets);',
    '4. the `--config` file (default `/etc/yiwang/cloud.toml`, or `$YIWANG_CLOUD_CONFIG`): its',
    '   `http.host:http.port` (an any-address host such as `0.0.0.0` means this machine) and',
    '   `http.api_token` — the default file is used only when it exists and is readable;',
    '5. else `http://127.0.0.1:8080`.',
    '',
    "The token is `--token`, else `YIWANG_CLOUD_TOKEN`, else the one saved with the URL (the context's",
    "or the config file's `http.api_token`): a saved token is never sent to another URL. Contexts",
    'live in `$XDG_CONFIG_HOME/yiwang/cloud-contexts.json` (default `~/.config/yiwang/…`), mode 0600 in',
    'a 0700 directory; a file that others may read is refused (`CLOUD_ERR_CONTEXT`). `contexts` shows',
    'the saved ones and which URL and token a command would use now, and why.',
    '',
    'A cloud that cannot be reached is named as such: `CLOUD_ERR_UNREACHABLE` (connection refused,',
    'DNS, no answer within `--timeout`, connection reset) or `CLOUD_ERR_TLS`, "cannot reach the cloud',
    'at URL (from SOURCE): …"; a refused token is `CLOUD_ERR_UNAUTHORIZED` (401) or',
    '`CLOUD_ERR_FORBIDDEN` (403, a read-only key) naming where the token came from; an answer that is',
    "not the API's is `CLOUD_ERR_BAD_RESPONSE`. Every command takes `--json`. Errors are one line,",
    '`error CODE: message (hint)` (codes in [errors.md](errors.md)); `--debug` adds the stack.',
    '',
    ...exitCodes("the command failed (coded error: the API's, or the cloud could not be reached)"),
  ]);
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(join(REPO_ROOT, 'docs', 'reference', 'cli.md'), cliDoc());
  writeFileSync(join(REPO_ROOT, 'docs', 'reference', 'cloud-cli.md'), cloudCliDoc());
}
