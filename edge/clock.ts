/**
 * The gateway's wall clock and whether it is synchronised. Sources (`clock.sync`):
 *   auto          systemd-timesyncd's /run/systemd/timesync/synchronized, else chrony/ntpd via
 *                 `timedatectl`-less heuristics: a clock before 2024 is never synchronised
 *   always        trust the clock (lab machines, tests)
 *   file:PATH     synchronised while PATH exists (hook for any NTP daemon's script)
 * It also watches for steps of the wall clock against the monotonic clock and reports them.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../common/log.js';
import { ClockQuality } from '../proto/index.js';

const SYSTEMD_FLAG = '/run/systemd/timesync/synchronized';
const EARLIEST_PLAUSIBLE = Date.UTC(2024, 0, 1);

export interface ClockOptions {
  source: string;
  checkMs: number;
  stepThresholdMs: number;
  log: Logger;
}

export class GatewayClock {
  synced = false;
  steps = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastWall = Date.now();
  private lastMono = performance.now();
  private readonly listeners: (() => void)[] = [];
  private readonly log: Logger;

  constructor(private readonly o: ClockOptions) {
    this.log = o.log.child({ component: 'clock' });
    this.synced = this.probe();
  }

  /** Wall-clock milliseconds used to stamp readings. */
  now(): number {
    return Date.now();
  }

  quality(): ClockQuality {
    return this.synced ? ClockQuality.CLOCK_GATEWAY_SYNCED : ClockQuality.CLOCK_GATEWAY_UNSYNCED;
  }

  /** Called each time the clock goes from unsynchronised to synchronised. */
  onSync(cb: () => void): void {
    this.listeners.push(cb);
  }

  start(): void {
    this.timer = setInterval(() => this.check(), this.o.checkMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the sync source and looks for steps; exposed for tests and the CLI. */
  check(): void {
    const wall = Date.now(),
      mono = performance.now();
    const drift = wall - this.lastWall - (mono - this.lastMono);
    if (Math.abs(drift) > this.o.stepThresholdMs) {
      this.steps++;
      this.log.warn({ stepMs: Math.round(drift) }, 'wall clock stepped; ages and drain order use the monotonic clock');
    }
    this.lastWall = wall;
    this.lastMono = mono;
    const was = this.synced;
    this.synced = this.probe();
    if (this.synced && !was) {
      this.log.info('clock synchronised');
      for (const cb of this.listeners) cb();
    } else if (!this.synced && was) this.log.warn('clock no longer synchronised; new readings are flagged');
  }

  private probe(): boolean {
    const s = this.o.source;
    if (s === 'always') return true;
    if (s.startsWith('file:')) return existsSync(s.slice(5));
    if (existsSync(SYSTEMD_FLAG)) return true;
    return Date.now() >= EARLIEST_PLAUSIBLE;
  }
}
