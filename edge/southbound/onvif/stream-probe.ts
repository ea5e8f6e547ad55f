/**
 * Stream probe: can a few video frames be read from the RTSP URI within the timeout? A camera
 * whose RTSP server accepts connections but sends nothing (frozen encoder, SIGSTOPped server)
 * fails it. ffmpeg's own `-timeout` bounds socket reads; a watchdog kills the process group too.
 */
import { YiwangError } from '../../../common/errors.js';
import { endGroup, spawnGroup } from './process-group.js';
import { stripUserinfo } from './secret.js';
import './errors.js';

export interface ProbeResult { ok: boolean; ms: number; error?: YiwangError }

export async function probeStream(ffmpeg: string, url: string, timeoutMs: number, frames = 2): Promise<ProbeResult> {
  const t0 = Date.now();
  const c = spawnGroup(ffmpeg, [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-timeout', String(timeoutMs * 1000),
    '-analyzeduration', '1000000', '-probesize', '131072', '-i', url, '-map', '0:v:0', '-frames:v', String(frames), '-c', 'copy', '-f', 'null', '-',
  ]);
  let stderr = '';
  c.proc.stderr?.on('data', (d: Buffer) => { if (stderr.length < 2000) stderr += d.toString('utf8'); });
  let spawnError: Error | undefined;
  c.proc.once('error', (e) => { spawnError = e; });
  const watchdog = setTimeout(() => void endGroup(c, 500), timeoutMs + 1000);
  const code = await c.exited;
  clearTimeout(watchdog);
  const ms = Date.now() - t0;
  if (code === 0) return { ok: true, ms };
  const why = spawnError ? `cannot run ${ffmpeg}: ${spawnError.message}` : (stderr.trim().split('\n').pop() ?? `exit ${code}`);
  return { ok: false, ms, error: new YiwangError('CAMERA_ERR_STREAM', `${stripUserinfo(url)}: ${why.replace(url, stripUserinfo(url))}`) };
}
