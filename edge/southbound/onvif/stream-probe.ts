/**
 * Stream probe: do video frames arrive from the RTSP URI within the timeout? A camera whose RTSP
 * server accepts connections but sends nothing (frozen encoder, SIGSTOPped server) fails it.
 * In-process (rtsp-probe.ts): no ffmpeg is spawned for health, only for the live view.
 */
import { YiwangError } from '../../../common/errors.js';
import { rtspFramesArrive } from './rtsp-probe.js';
import { stripUserinfo } from './secret.js';

export interface ProbeResult {
  ok: boolean;
  ms: number;
  error?: YiwangError;
}

export async function probeStream(url: string, timeoutMs: number, frames = 2): Promise<ProbeResult> {
  const t0 = Date.now();
  try {
    await rtspFramesArrive(url, timeoutMs, frames);
    return { ok: true, ms: Date.now() - t0 };
  } catch (e) {
    return {
      ok: false,
      ms: Date.now() - t0,
      error: new YiwangError('CAMERA_ERR_STREAM', `${stripUserinfo(url)}: ${(e as Error).message}`),
    };
  }
}
