/**
 * `rollout status --watch` (and `rollout start --watch`): polls a rollout until it finished
 * (completed, or aborted and its rollback finished). On a terminal the status is redrawn in place;
 * otherwise (a pipe, a log) a new block is printed whenever it changed; with --json one JSON line
 * per change. Ends with exit status 0 when the rollout completed and CLOUD_ERR_ROLLOUT_ABORTED
 * (exit status 1) when it aborted.
 */
import { YiwangError } from '../../common/errors.js';
import type { RolloutView } from '../rollout/view.js';
import { apiRequest } from './api-client.js';
import { printRollout } from './rollout-print.js';

export interface WatchOptions {
  url: string;
  token: string;
  intervalMs: number;
  json: boolean;
  members: boolean;
}

/** Terminal rows a text takes (long lines wrap). */
function rows(text: string, columns: number): number {
  return text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / columns)), 0);
}

export async function watchRollout(
  id: string,
  o: WatchOptions,
  out: NodeJS.WriteStream = process.stdout,
): Promise<void> {
  const tty = out.isTTY === true && !o.json;
  let drawn = 0,
    last = '';
  let r: RolloutView;
  for (;;) {
    r = await apiRequest<RolloutView>(o.url, o.token, 'GET', `/api/v1/rollouts/${encodeURIComponent(id)}`);
    const text = o.json ? JSON.stringify(r) : printRollout(r, o.members);
    const footer = r.finished
      ? ''
      : `\n(watching every ${o.intervalMs} ms until it finishes; Ctrl-C stops watching, not the rollout)`;
    if (tty) {
      // back to the block's first line, each line rewritten and the rest of it cleared, then what is below
      // (not one erase of the whole screen: some terminals, tmux among them, push a cleared screen into the scrollback)
      const block = `${text}${footer}`;
      out.write(
        `${drawn ? `\x1b[${drawn}A` : ''}${block
          .split('\n')
          .map((l) => `${l}\x1b[K\n`)
          .join('')}\x1b[J`,
      );
      drawn = rows(block, out.columns || 80);
    } else if (text !== last) {
      out.write(o.json ? `${text}\n` : `${last ? '\n' : ''}${text}\n`);
    }
    last = text;
    if (r.finished) break;
    await new Promise((resolve) => setTimeout(resolve, o.intervalMs)); // the polling interval, not a synchronisation
  }
  if (r.state === 'aborted') throw new YiwangError('CLOUD_ERR_ROLLOUT_ABORTED', `rollout ${r.id} aborted: ${r.reason}`);
}

/** The rollout to watch when none is named: the latest running one. */
export async function latestRunning(o: WatchOptions): Promise<string> {
  const { rollouts } = await apiRequest<{ rollouts: RolloutView[] }>(o.url, o.token, 'GET', '/api/v1/rollouts');
  const r = rollouts.filter((x) => x.state === 'running').at(-1);
  if (!r)
    throw new YiwangError(
      'CLOUD_ERR_NOT_FOUND',
      'no rollout is running; give the id of the one to watch (`yiwang-cloud rollout status` lists them)',
    );
  return r.id;
}
