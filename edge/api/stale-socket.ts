/**
 * Before the local API listens: a socket file left at its path is removed only when nobody
 * answers on it (the socket of a killed agent). A live agent's socket, a file that is not a socket
 * or a socket that cannot be checked is left alone and the start refused (EDGE_ERR_API_SOCKET):
 * a second agent must never cut the first one off from its CLI (issue 17, problem 3).
 */
import { connect } from 'node:net';
import { lstatSync, unlinkSync } from 'node:fs';
import { YiwangError } from '../../common/errors.js';

type Probe = 'live' | 'dead' | 'gone' | string;

/** Connects once: `live` (someone accepts), `dead` (ECONNREFUSED: nobody listens), `gone`, or the error code. */
function probe(path: string, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve) => {
    const s = connect({ path });
    const done = (r: Probe): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    // a listener that does not accept in time is still a listener
    const timer = setTimeout(() => done('live'), timeoutMs);
    s.once('connect', () => done('live'));
    s.once('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'ECONNREFUSED' ? 'dead' : err.code === 'ENOENT' ? 'gone' : (err.code ?? err.message)),
    );
  });
}

export async function removeStaleSocket(path: string, timeoutMs = 2000): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new YiwangError(
      'EDGE_ERR_API_SOCKET',
      `cannot check the local API socket ${path}: ${(err as Error).message}`,
    );
  }
  if (!isSocket)
    throw new YiwangError(
      'EDGE_ERR_API_SOCKET',
      `${path} (api.socket) exists and is not a socket; the agent does not remove it`,
    );
  const r = await probe(path, timeoutMs);
  if (r === 'gone') return;
  if (r === 'live')
    throw new YiwangError(
      'EDGE_ERR_API_SOCKET',
      `another agent answers on the local API socket ${path} (\`yiwang-edge status\` shows which); this one does not take it over`,
    );
  if (r !== 'dead')
    throw new YiwangError('EDGE_ERR_API_SOCKET', `cannot check the local API socket ${path} (${r}); it is not removed`);
  try {
    unlinkSync(path); // nobody listens: left by a killed agent
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new YiwangError('EDGE_ERR_API_SOCKET', `cannot remove the stale socket ${path}: ${(err as Error).message}`);
  }
}
