/** Writes docs/reference/cli.md from the commander definitions of `yiwang-edge` (test/edge/cli/cli-doc.test.ts keeps it current). */
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, Option } from 'commander';
import { program } from '../edge/cli/main.js';
import { EXIT } from '../common/cli-support.js';
import { REPO_ROOT } from '../common/paths.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function optionRow(o: Option): string {
  let def = '';
  if (o.long === '--config') def = '`/etc/yiwang/edge.toml` or `$YIWANG_EDGE_CONFIG`';
  else if (o.defaultValue !== undefined && !(o.negate && o.defaultValue === true)) def = `\`${JSON.stringify(o.defaultValue)}\``;
  return `| \`${cell(o.flags)}\` | ${cell(o.description)} | ${def} |`;
}

function section(cmd: Command, path: string[], out: string[]): void {
  const name = [...path, cmd.name()].join(' ');
  const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
  const subs = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  out.push(`### \`${name}${args ? ` ${args}` : ''}\``, '', cmd.description(), '');
  const opts = cmd.options.filter((o) => !o.hidden);
  if (opts.length) out.push('| option | meaning | default |', '|---|---|---|', ...opts.map(optionRow), '');
  for (const s of subs) section(s, [...path, cmd.name()], out);
}

export function cliDoc(): string {
  const out: string[] = [
    '# `yiwang-edge` command reference',
    '',
    'Generated from the command definitions (edge/cli/*.ts) by `node dist/scripts/gen-cli-doc.js`;',
    '`test/edge/cli/cli-doc.test.ts` fails when this file is stale.',
    '',
    'Commands that need the running agent talk to it through its local API: HTTP over the Unix',
    'socket `api.socket` (default `<store dir>/agent.sock`, mode 0600 — run them as the agent\'s user',
    'or root). When no agent answers they print one line, `error EDGE_ERR_AGENT_NOT_RUNNING: …`, and',
    'exit 4. Every command takes `--json` for machine-readable output (`logs --json` prints one JSON',
    'object per line). On a terminal tables are aligned and coloured (set `NO_COLOR` to turn colour',
    'off) and long work shows a progress bar on stderr. Errors are one line,',
    '`error CODE: message (hint)` (codes in [errors.md](errors.md)); `--debug` adds the stack.',
    '',
    '## Exit codes',
    '',
    '| code | meaning |',
    '|---|---|',
    `| ${EXIT.OK} | success |`,
    `| ${EXIT.ERROR} | the command failed (coded error), a \`diag\` check failed (\`EDGE_ERR_DIAG_FAILED\`), or \`cameras test\` found the camera offline |`,
    `| ${EXIT.USAGE} | bad usage: unknown command or option, missing argument (commander's message) |`,
    `| ${EXIT.CONFIG} | the configuration file is missing, not TOML, or invalid (\`CONFIG_ERR_*\`) |`,
    `| ${EXIT.UNAVAILABLE} | the command needs the running agent and none answers (\`EDGE_ERR_AGENT_NOT_RUNNING\`) |`,
    '',
    '## Global options',
    '',
    '| option | meaning | default |',
    '|---|---|---|',
    ...program.options.map(optionRow),
    '',
    '## Commands',
    '',
  ];
  for (const c of program.commands) section(c, ['yiwang-edge'], out);
  return out.join('\n').replace(/\n+$/, '\n');
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(join(REPO_ROOT, 'docs', 'reference', 'cli.md'), cliDoc());
}
