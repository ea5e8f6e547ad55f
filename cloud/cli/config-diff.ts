/**
 * `yiwang-cloud config diff`: key-level differences of a layer (docs/reference/config-rollout.md).
 * With a FILE: what storing it would change against the latest (or --from) revision, checked by
 * the API like `config set --dry-run`. Without: between two stored revisions, by default from
 * what the gateways run (a group's active revision; otherwise the one before the latest) to the
 * latest — for a staged group layer, what a rollout would change.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { YiwangError } from '../../common/errors.js';
import type { LayerPreview } from '../rollout/desired.js';
import { diffTables, formatChanges, type ConfigChange } from '../rollout/diff.js';
import { parseLayer } from '../rollout/merge.js';
import { apiRequest } from './api-client.js';
import { jsonOut } from './options.js';
import { layerName, path, scoped, type ScopeOpts } from './config-scope.js';

export type Preview = LayerPreview;

interface StoredLayer {
  revision: number;
  toml: string;
  activeRevision?: number;
}

const changesText = (changes: ConfigChange[]): string[] => (changes.length ? formatChanges(changes) : ['(no changes)']);

export function printPreview(p: Preview): string {
  const name = `${p.scope}${p.key ? ` ${p.key}` : ''}`;
  return [
    `${name}: valid, the gateways accept it; would be stored as revision ${p.revision}${p.issuedNow ? '' : ' (staged: a rollout delivers it)'}; nothing stored (dry run)`,
    `changes against ${p.baseRevision ? `revision ${p.baseRevision}` : 'no earlier revision'}:`,
    ...changesText(p.changes).map((l) => `  ${l}`),
    `gateways: part of the document of ${p.gateways}; would change ${p.changedGateways}${p.issuedNow ? ' now' : ' when rolled out'}`,
  ].join('\n');
}

const revision = (s: string | undefined, what: string): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${what} must be a revision number`);
  return n;
};

export function registerDiff(c: Command, program: Command): void {
  scoped(
    c
      .command('diff [file]')
      .description(
        'key-level changes: of FILE against the latest (or --from) revision, or between two stored revisions',
      ),
  )
    .option('--from <n>', 'revision to compare from (default: what the gateways run)')
    .option('--to <n>', 'revision to compare to, without FILE (default: the latest)')
    .action(async (file: string | undefined, o: ScopeOpts & { from?: string; to?: string }) => {
      const from = revision(o.from, '--from'),
        to = revision(o.to, '--to');
      const name = layerName(o);
      if (file !== undefined) {
        if (to !== undefined)
          throw new YiwangError(
            'CLOUD_ERR_BAD_REQUEST',
            '--to compares stored revisions; with a FILE give --from only',
          );
        const p = await apiRequest<Preview>(o.url, o.token, 'PUT', path(o), {
          toml: readFileSync(file, 'utf8'),
          dryRun: true,
          ...(from !== undefined ? { base: from } : {}),
        });
        if (jsonOut(program))
          return console.log(JSON.stringify({ from: p.baseRevision, to: file, changes: p.changes }, null, 2));
        return console.log(
          [`--- ${name} revision ${p.baseRevision || '(none)'}`, `+++ ${file}`, ...changesText(p.changes)].join('\n'),
        );
      }
      const get = (rev?: number): Promise<StoredLayer> =>
        apiRequest<StoredLayer>(o.url, o.token, 'GET', `${path(o)}${rev ? `?revision=${rev}` : ''}`);
      const after = await get(to);
      const start =
        from ??
        (after.activeRevision !== undefined && after.activeRevision !== after.revision && to === undefined
          ? after.activeRevision
          : after.revision - 1);
      const before = start > 0 ? await get(start) : undefined;
      const changes = diffTables(
        before ? parseLayer(before.toml, `${name} revision ${start}`, false) : {},
        parseLayer(after.toml, `${name} revision ${after.revision}`, false),
      );
      if (jsonOut(program))
        return console.log(JSON.stringify({ from: before?.revision ?? 0, to: after.revision, changes }, null, 2));
      const active = (rev: number): string => (after.activeRevision === rev ? ' (active)' : '');
      console.log(
        [
          `--- ${name} revision ${before ? `${before.revision}${active(before.revision)}` : '(none)'}`,
          `+++ ${name} revision ${after.revision}${active(after.revision)}`,
          ...changesText(changes),
        ].join('\n'),
      );
    });
}
