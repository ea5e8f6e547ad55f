/**
 * `yiwang-edge init`: writes the agent's config file (cloud URL, site, data directory, CoAP
 * listener, interfaces). Asks on a terminal for what the flags did not give (init-wizard.ts),
 * checking each answer as it is given; uses flags and defaults otherwise. With --force it merges
 * into the existing file (init-merge.ts): every key not given anew is kept — the identity and
 * everything `provision` wrote, and keys this version does not know — and it says what changed.
 */
import type { Command } from 'commander';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { makePrivateDir } from '../../common/private-files.js';
import { YiwangError } from '../../common/errors.js';
import { resolveConfig } from '../../common/config.js';
import { tomlStringify } from '../../common/toml-write.js';
import { parseToml, type TomlSyntaxError } from '../../common/toml-read.js';
import { EDGE_SCHEMA } from '../config.js';
import { answersFromFlags, type InitFlags } from './init-answers.js';
import { askAnswers } from './init-wizard.js';
import {
  changes,
  get,
  isProvisioned,
  knownOnly,
  mergeConfig,
  redact,
  shown,
  unknownKeys,
  type Change,
  type Doc,
} from './init-merge.js';
import { emit, globals } from './output.js';

const HEADER = '# Yiwang edge agent configuration (docs/reference/config.md), written by yiwang-edge init\n';

/** A path as one shell word. */
const shellWord = (s: string): string => (/^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The previous file, parsed; one that is not TOML is refused rather than silently replaced. */
function readPrevious(file: string): { doc: Doc; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new YiwangError('CONFIG_ERR_READ', `${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return { doc: parseToml(text, file) as Doc, text };
  } catch (err) {
    throw new YiwangError(
      'CONFIG_ERR_SYNTAX',
      `${(err as TomlSyntaxError).message}; init --force keeps the settings of the file it replaces, so fix it (or move it away) first`,
      { cause: err },
    );
  }
}

interface Report {
  file: string;
  backup: string | null;
  provisioned: boolean;
  changed: Change[];
  unknownKeys: string[];
  notes: string[];
  next: string;
}

function report(
  file: string,
  previous: Doc | undefined,
  previousText: string,
  doc: Doc,
  backup: string | null,
): Report {
  const provisioned = isProvisioned(doc);
  const changed = previous ? changes(previous, doc) : [];
  const unknown = unknownKeys(doc);
  const notes: string[] = [];
  if (unknown.length)
    notes.push(
      `kept ${unknown.join(', ')}: this version of the agent does not know them and refuses to start while they are there (remove them, or upgrade the agent)`,
    );
  try {
    resolveConfig(EDGE_SCHEMA, knownOnly(doc), file);
  } catch (err) {
    notes.push(`the agent will refuse this file: ${(err as Error).message}`);
  }
  const store = changed.find((c) => c.key === 'store.path');
  if (store)
    notes.push(
      `store.path is now ${shown(store.to)}; readings buffered in ${shown(store.from)} stay there (move the store files there, agent stopped, to keep them)`,
    );
  if (/^\s*#/m.test(previousText.replace(/^# Yiwang edge agent configuration .*$/gm, '')))
    notes.push(`comments of the previous file are not carried over (they are in ${backup})`);
  let next: string;
  if (!provisioned) {
    const url = get(doc, 'cloud', 'url') ? '' : ' --cloud-url <broker URL from the cloud operator>';
    next = `yiwang-edge --config ${shellWord(file)} provision --token <claim token from the cloud operator>${url}`;
  } else if (changed.length) next = 'restart the agent to apply the changes above: systemctl restart yiwang-edge';
  else next = 'nothing to do: the settings are the ones the agent has (no restart needed)';
  return { file, backup, provisioned, changed, unknownKeys: unknown, notes, next };
}

function human(r: Report, hadPrevious: boolean): string {
  const lines = [`wrote ${r.file}${r.backup ? ` (the previous file is kept as ${r.backup})` : ''}`];
  if (hadPrevious) {
    if (r.changed.length) lines.push(...r.changed.map((c) => `changed ${c.key}: ${shown(c.from)} → ${shown(c.to)}`));
    else lines.push('changed nothing: every setting is as it was');
  }
  lines.push(...r.notes.map((n) => `note: ${n}`), `next: ${r.next}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'write the config file given with --config: cloud URL, site, data directory, CoAP listener, interfaces (asks on a terminal, flags otherwise); with --force, change an existing file and keep everything not given anew',
    )
    .option(
      '--cloud-url <url>',
      "cloud broker URL (mqtts://host:8883); on a provisioned gateway the file's URL is kept unless this is given",
    )
    .option('--site <name>', 'site name of this gateway')
    .option('--data-dir <dir>', 'data directory (store, cameras, agent socket): an absolute path, or ~/…')
    .option('--coap-host <address>', 'address the CoAP/LwM2M listener binds (coap.host; 0.0.0.0 = all interfaces)')
    .option('--coap-port <port>', 'UDP port for CoAP/LwM2M devices')
    .option('--lwm2m', 'serve LwM2M (the default on a new file)')
    .option('--no-lwm2m', 'do not serve LwM2M')
    .option('--cameras', 'manage ONVIF cameras (the default on a new file)')
    .option('--no-cameras', 'do not manage ONVIF cameras')
    .option('--hj212', 'serve HJ 212 pollution monitors over TCP')
    .option('--no-hj212', 'do not serve HJ 212 (the default on a new file)')
    .option('--serial-devices <file>', 'serial device file (RS-485 buses and meters); - for none')
    .option(
      '--force',
      'change an existing file: keep every key not given anew (identity, fleet CA, config key, group, unknown keys); the old file is kept as <file>.bak',
    )
    .action(async (flags: InitFlags & { force?: boolean }, cmd: Command) => {
      const file = resolve(globals(cmd).config ?? '/etc/yiwang/edge.toml');
      let answers = answersFromFlags(flags); // a bad flag fails here, naming it, before any question
      let previous: Doc | undefined;
      let previousText = '';
      if (existsSync(file)) {
        if (!flags.force) throw new YiwangError('EDGE_ERR_CONFIG_EXISTS', `${file} exists`);
        ({ doc: previous, text: previousText } = readPrevious(file));
      }
      if (process.stdin.isTTY && process.stderr.isTTY && !globals(cmd).json)
        answers = await askAnswers(answers, previous);
      const doc = mergeConfig(previous, answers);
      if (!previous) resolveConfig(EDGE_SCHEMA, doc, 'init'); // a new file holds init's keys only: all known, all checked
      makePrivateDir(dirname(file)); // 0700 when created here (holds the gateway secret)
      const backup = previous ? `${file}.bak` : null;
      if (backup) copyFileSync(file, backup);
      // an existing file keeps its owner, group and mode (root:yiwang 0640 in the install guide)
      writeFileSync(file, `${HEADER}${tomlStringify(doc)}`, { mode: 0o600 });
      const r = report(file, previous, previousText, doc, backup);
      emit(cmd, { ...r, config: redact(doc) }, () => human(r, previous !== undefined));
    });
}
