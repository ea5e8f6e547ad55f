/**
 * On-demand live view of one camera: ffmpeg pulls the RTSP stream once and remuxes it (no
 * transcoding, video only) to HLS in a private directory, served to any number of browsers by
 * live-server.ts. Supervision: a stall watchdog on ffmpeg's progress output, SIGTERM then SIGKILL
 * of its process group, jittered exponential reconnect while viewers remain, and stop when the
 * last viewer has been gone for `idleMs`.
 * Chosen over node-rtsp-stream: that package transcodes every camera to MPEG-1 all the time
 * (~13× the CPU of a remux at 1080p) and goes silent when the camera dies (see docs/reference/cameras.md).
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { Logger } from '../../../common/log.js';
import { endGroup, spawnGroup, type GroupChild } from './process-group.js';
import { jitter } from './camera-events.js';
import { stripUserinfo } from './secret.js';

export interface LiveViewOptions {
  ffmpeg: string;
  dir: string;
  /** No progress for this long → the upstream pull is killed and restarted. */
  stallMs: number;
  /** Viewers gone for this long → the restream stops. */
  idleMs: number;
  reconnectMs: number;
  reconnectMaxMs: number;
  killGraceMs: number;
  log: Logger;
}

export type LiveState = 'idle' | 'starting' | 'running' | 'backoff';

export class LiveView {
  state: LiveState = 'idle';
  restarts = 0;
  stalls = 0;
  lastProgressAt = 0;
  private child: GroupChild | undefined;
  private lastViewAt = 0;
  private attempt = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private wanted = false;

  constructor(
    readonly cameraId: string,
    private readonly url: () => string,
    private readonly o: LiveViewOptions,
  ) {}

  get pid(): number | undefined {
    return this.child?.proc.pid;
  }

  get playlist(): string {
    return `${this.o.dir}/index.m3u8`;
  }

  /** A viewer asked for the stream: start it if needed and keep it alive. */
  touch(): void {
    this.lastViewAt = Date.now();
    if (!this.wanted) {
      this.wanted = true;
      try {
        rmSync(this.o.dir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        /* leftovers are overwritten */
      }
      mkdirSync(this.o.dir, { recursive: true, mode: 0o700 });
      this.spawn();
      this.watchdog = setInterval(() => this.watch(), Math.max(100, Math.min(this.o.stallMs, this.o.idleMs) / 4));
    }
  }

  private spawn(): void {
    if (!this.wanted) return;
    const url = this.url();
    if (!url) {
      this.backoff('no stream URI yet');
      return;
    }
    this.state = 'starting';
    this.lastProgressAt = Date.now();
    const c = spawnGroup(this.o.ffmpeg, [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-rtsp_transport',
      'tcp',
      '-timeout',
      String(this.o.stallMs * 1000),
      '-analyzeduration',
      '2000000',
      '-i',
      url,
      '-map',
      '0:v:0',
      '-c',
      'copy',
      '-an',
      '-f',
      'hls',
      '-hls_time',
      '1',
      '-hls_list_size',
      '6',
      '-hls_flags',
      'delete_segments+append_list+omit_endlist+discont_start+independent_segments',
      '-hls_segment_filename',
      `${this.o.dir}/seg-%d.ts`,
      '-progress',
      'pipe:1',
      '-stats_period',
      '0.5',
      this.playlist,
    ]);
    this.child = c;
    let lastOut = -1;
    let buf = '';
    c.proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (!l.startsWith('out_time_us=')) continue;
        const v = Number(l.slice(12));
        if (Number.isFinite(v) && v > lastOut) {
          lastOut = v;
          this.lastProgressAt = Date.now();
          if (this.state === 'starting' && v > 0) {
            this.state = 'running';
            this.attempt = 0;
          }
        }
      }
    });
    let stderr = '';
    c.proc.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-1000);
    });
    c.proc.once('error', (e) =>
      this.o.log.error({ code: 'CAMERA_ERR_LIVE', err: e.message }, 'cannot run ffmpeg for live view'),
    );
    this.o.log.info(
      { deviceId: this.cameraId, pid: c.proc.pid, url: stripUserinfo(url) },
      'live view restream started',
    );
    void c.exited.then((code) => {
      if (this.child !== c) return;
      this.child = undefined;
      if (!this.wanted) return;
      this.backoff(`ffmpeg exited ${code}: ${stderr.trim().split('\n').pop()?.replace(url, stripUserinfo(url)) ?? ''}`);
    });
  }

  private backoff(why: string): void {
    this.state = 'backoff';
    const delay = jitter(Math.min(this.o.reconnectMaxMs, this.o.reconnectMs * 2 ** this.attempt++));
    this.o.log.warn(
      { deviceId: this.cameraId, code: 'CAMERA_ERR_LIVE', err: why, retryInMs: delay },
      'live view upstream lost; reconnecting',
    );
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.restarts++;
      this.spawn();
    }, delay);
  }

  private watch(): void {
    const now = Date.now();
    if (now - this.lastViewAt > this.o.idleMs) {
      void this.stop('viewers left');
      return;
    }
    const c = this.child;
    if (c && now - this.lastProgressAt > this.o.stallMs) {
      this.stalls++;
      this.o.log.warn(
        { deviceId: this.cameraId, code: 'CAMERA_ERR_LIVE', stalledMs: now - this.lastProgressAt },
        'live view stalled; killing ffmpeg',
      );
      this.lastProgressAt = now; // one kill per stall
      void endGroup(c, this.o.killGraceMs); // its exit schedules the reconnect
    }
  }

  async stop(why = 'stopped'): Promise<void> {
    if (!this.wanted) return;
    this.wanted = false;
    clearInterval(this.watchdog);
    clearTimeout(this.retry);
    const c = this.child;
    this.child = undefined;
    this.state = 'idle';
    if (c) await endGroup(c, this.o.killGraceMs);
    try {
      rmSync(this.o.dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      /* removed on the next start */
    }
    this.o.log.info({ deviceId: this.cameraId, why }, 'live view restream stopped');
  }
}
