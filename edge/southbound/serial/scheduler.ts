/**
 * Poll scheduler of one bus. RS-485 is half duplex and shared: exactly one request is in flight
 * per bus, with an inter-frame gap before each request. Due devices are polled by priority, then
 * by due time; each request is retried on timeout, checksum or reply errors; a device that fails
 * `offlineAfter` polls in a row is marked offline and polled with exponential backoff, so a dead
 * meter costs one timeout per backoff period and never starves the others. When no device has
 * answered for `busFaultAfter` requests in a row across at least two devices (or the only one),
 * the bus is declared faulty (`onBusFault`, e.g. reopen the port).
 */
import { isYiwangError, YiwangError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { Reading } from '../../../proto/reading.js';

export type DeviceState = 'unknown' | 'online' | 'offline';

/** A device that the scheduler polls; `poll` performs its requests through `ctx.request`. */
export interface PolledDevice {
  readonly id: string;
  /** Lower polls first when several are due: 0 high, 1 normal, 2 low. */
  readonly priority: number;
  readonly intervalMs: number;
  poll(ctx: PollContext): Promise<Reading[]>;
}

export interface PollContext {
  /** Runs one request exchange after the inter-frame gap, retrying per policy; throws its coded error. */
  request<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

export interface SchedulerOptions {
  name: string;
  retries: number;
  gapMs: number;
  offlineAfter: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  busFaultAfter: number;
  log: Logger;
  onReadings(device: PolledDevice, readings: Reading[]): void;
  onState?(device: PolledDevice, state: DeviceState, error?: YiwangError): void;
  onBusFault?(): void;
}

export interface DeviceStatus {
  deviceId: string;
  state: DeviceState;
  polls: number;
  failures: number;
  consecutiveFailures: number;
  lastSeen?: number;
  lastError?: string;
  nextPollAt: number;
}

export interface BusCounters {
  requests: number;
  replies: number;
  retries: number;
  timeouts: number;
  checksumErrors: number;
  replyErrors: number;
  remoteErrors: number;
  busFaults: number;
}

interface Slot {
  device: PolledDevice;
  status: DeviceStatus;
}

const RETRYABLE = new Set(['SERIAL_ERR_TIMEOUT', 'SERIAL_ERR_CHECKSUM', 'SERIAL_ERR_REPLY']);

export class BusScheduler {
  readonly counters: BusCounters = {
    requests: 0,
    replies: 0,
    retries: 0,
    timeouts: 0,
    checksumErrors: 0,
    replyErrors: 0,
    remoteErrors: 0,
    busFaults: 0,
  };
  private readonly slots: Slot[] = [];
  private readonly exclusive: (() => Promise<void>)[] = [];
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private paused = true;
  private stopped = false;
  private lastActivity = 0;
  private silentRequests = 0;
  private silentDevices = new Set<string>();

  constructor(private readonly o: SchedulerOptions) {}

  add(device: PolledDevice, firstPollAt = Date.now()): void {
    if (this.slots.some((s) => s.device.id === device.id)) return;
    this.slots.push({
      device,
      status: {
        deviceId: device.id,
        state: 'unknown',
        polls: 0,
        failures: 0,
        consecutiveFailures: 0,
        nextPollAt: firstPollAt,
      },
    });
    this.pump();
  }

  has(id: string): boolean {
    return this.slots.some((s) => s.device.id === id);
  }

  devices(): DeviceStatus[] {
    return this.slots.map((s) => ({ ...s.status }));
  }

  /** Runs `fn` alone on the bus (discovery, broadcast) before the next poll. */
  runExclusive(fn: (ctx: PollContext) => Promise<void>): void {
    this.exclusive.push(() => fn(this.context()));
    this.pump();
  }

  /** Starts or resumes polling (the port is open). */
  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Holds polling while the port is closed; a request in flight fails with its port error. */
  pause(): void {
    this.paused = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pause();
    await this.running;
  }

  /** Resolves once the bus is idle (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private pump(): void {
    if (this.running || this.paused || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const job = this.exclusive.shift();
    if (job) return this.launch(job);
    const now = Date.now();
    let next: Slot | undefined;
    let soonest = Infinity;
    for (const s of this.slots) {
      if (s.status.nextPollAt <= now) {
        if (
          !next ||
          s.device.priority < next.device.priority ||
          (s.device.priority === next.device.priority && s.status.nextPollAt < next.status.nextPollAt)
        )
          next = s;
      } else soonest = Math.min(soonest, s.status.nextPollAt);
    }
    if (next) return this.launch(() => this.pollOne(next));
    if (soonest < Infinity) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.pump();
        },
        Math.min(soonest - now, 2 ** 31 - 1),
      );
      this.timer.unref();
    }
  }

  private launch(job: () => Promise<void>): void {
    const p = job()
      .catch((err: unknown) => {
        this.o.log.error({ code: 'SERIAL_ERR_PORT', err: (err as Error).message }, 'unexpected error in bus job');
      })
      .finally(() => {
        this.running = undefined;
        this.pump();
      });
    this.running = p;
  }

  private context(): PollContext {
    return { request: (what, fn) => this.request(what, fn) };
  }

  private async gap(): Promise<void> {
    const wait = this.lastActivity + this.o.gapMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  private async request<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.paused || this.stopped) throw new YiwangError('SERIAL_ERR_PORT', `bus ${this.o.name}: port closed`);
      await this.gap();
      this.counters.requests++;
      try {
        const r = await fn();
        this.counters.replies++;
        this.silentRequests = 0;
        this.silentDevices.clear();
        return r;
      } catch (e) {
        const err = isYiwangError(e)
          ? e
          : new YiwangError('SERIAL_ERR_REPLY', `${what}: ${(e as Error).message}`, { cause: e });
        this.count(err);
        if (err.code === 'SERIAL_ERR_REMOTE' || err.code === 'SERIAL_ERR_CHECKSUM' || err.code === 'SERIAL_ERR_REPLY') {
          // Something answered: the bus works.
          this.silentRequests = 0;
          this.silentDevices.clear();
        }
        if (!RETRYABLE.has(err.code) || attempt >= this.o.retries) throw err;
        this.counters.retries++;
        this.o.log.debug({ code: err.code, what, attempt: attempt + 1, err: err.message }, 'retrying request');
      } finally {
        this.lastActivity = Date.now();
      }
    }
  }

  private count(err: YiwangError): void {
    switch (err.code) {
      case 'SERIAL_ERR_TIMEOUT':
        this.counters.timeouts++;
        break;
      case 'SERIAL_ERR_CHECKSUM':
        this.counters.checksumErrors++;
        break;
      case 'SERIAL_ERR_REMOTE':
        this.counters.remoteErrors++;
        break;
      case 'SERIAL_ERR_REPLY':
        this.counters.replyErrors++;
        break;
    }
  }

  private async pollOne(s: Slot): Promise<void> {
    const st = s.status;
    const started = Date.now();
    st.polls++;
    let readings: Reading[];
    try {
      readings = await s.device.poll(this.context());
    } catch (e) {
      const err = isYiwangError(e) ? e : new YiwangError('SERIAL_ERR_REPLY', (e as Error).message, { cause: e });
      if (err.code === 'SERIAL_ERR_PORT') {
        st.nextPollAt = Date.now();
        return;
      }
      this.failed(s, err, started);
      return;
    }
    const wasOnline = st.state === 'online';
    st.state = 'online';
    st.consecutiveFailures = 0;
    st.lastSeen = Date.now();
    delete st.lastError;
    st.nextPollAt = Math.max(started + s.device.intervalMs, Date.now());
    if (!wasOnline) {
      this.o.log.info({ deviceId: s.device.id }, 'device online');
      this.o.onState?.(s.device, 'online');
    }
    if (readings.length) this.o.onReadings(s.device, readings);
  }

  private failed(s: Slot, err: YiwangError, started: number): void {
    const st = s.status;
    st.failures++;
    st.consecutiveFailures++;
    st.lastError = `${err.code}: ${err.message}`;
    const offline = st.consecutiveFailures >= this.o.offlineAfter;
    if (offline) {
      const backoff = Math.min(
        this.o.backoffBaseMs * 2 ** (st.consecutiveFailures - this.o.offlineAfter),
        this.o.backoffMaxMs,
      );
      st.nextPollAt = Date.now() + Math.max(backoff, 0);
    } else st.nextPollAt = Math.max(started + s.device.intervalMs, Date.now());
    this.o.log.warn(
      { deviceId: s.device.id, code: err.code, err: err.message, consecutive: st.consecutiveFailures },
      'poll failed',
    );
    if (offline && st.state !== 'offline') {
      st.state = 'offline';
      this.o.log.warn({ deviceId: s.device.id, code: err.code }, 'device offline');
      this.o.onState?.(s.device, 'offline', err);
    }
    if (err.code === 'SERIAL_ERR_TIMEOUT') {
      this.silentRequests++;
      this.silentDevices.add(s.device.id);
      const enoughDevices = this.silentDevices.size >= Math.min(2, this.slots.length);
      if (this.silentRequests >= this.o.busFaultAfter && enoughDevices) {
        this.counters.busFaults++;
        this.silentRequests = 0;
        this.silentDevices.clear();
        this.o.log.error({ code: 'SERIAL_ERR_BUS_FAULT', bus: this.o.name }, 'no device on the bus answers: bus fault');
        this.o.onBusFault?.();
      }
    }
  }
}
