/**
 * One serial bus: its port (opened, watched, reopened when a USB adapter comes back), its poll
 * scheduler and its devices. Meter buses with `discover` run a broadcast address read each time
 * the port opens and add the meter found.
 */
import { existsSync } from 'node:fs';
import { isYiwangError, type YiwangError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { ClockQuality } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { Cjt188Meter, discoverCjt188 } from '../cjt188/poller.js';
import { Dlt645Meter, discoverDlt645 } from '../dlt645/poller.js';
import { ModbusDevice } from '../modbus/device.js';
import { ModbusLink } from '../modbus/link.js';
import type { Cjt188Binding, Dlt645Binding, ModbusBinding } from './binding.js';
import type { SerialDeviceSpec } from './device.js';
import type { BusSpec } from './device-file.js';
import { gapMs } from './line.js';
import { RawSerialLink, type BusLink } from './raw-link.js';
import { BusScheduler, type DeviceState, type DeviceStatus, type PolledDevice } from './scheduler.js';

export interface BusPolicy {
  retries: number;
  offlineAfter: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  busFaultAfter: number;
  reopenMs: number;
}

export interface BusOptions {
  spec: BusSpec;
  policy: BusPolicy;
  log: Logger;
  clock: () => ClockQuality;
  onReadings(deviceId: string, readings: Reading[]): void;
  onState?(deviceId: string, state: DeviceState, error?: YiwangError): void;
  /** A device joins the bus (listed, or discovered by broadcast). */
  onDevice?(spec: SerialDeviceSpec): void;
}

export type PortState = 'closed' | 'open' | 'absent';

export interface BusStatus {
  name: string;
  path: string;
  protocol: string;
  port: PortState;
  lastPortError?: string;
  counters: BusScheduler['counters'] & { reopens: number; strayBytes: number };
  devices: DeviceStatus[];
}

export class SerialBus {
  readonly scheduler: BusScheduler;
  private readonly link: BusLink;
  private readonly log: Logger;
  private port: PortState = 'closed';
  private lastPortError: string | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private reopens = 0;
  private readonly addresses = new Set<string>();

  constructor(private readonly o: BusOptions) {
    const s = o.spec;
    this.log = o.log.child({ component: 'serial', bus: s.name });
    this.link = s.protocol === 'modbus' ? new ModbusLink(s.line) : new RawSerialLink(s.line);
    this.scheduler = new BusScheduler({
      name: s.name,
      retries: o.policy.retries,
      gapMs: gapMs(s.line),
      offlineAfter: o.policy.offlineAfter,
      backoffBaseMs: o.policy.backoffBaseMs,
      backoffMaxMs: o.policy.backoffMaxMs,
      busFaultAfter: o.policy.busFaultAfter,
      log: this.log,
      onReadings: (d, r) => o.onReadings(d.id, r),
      onState: (d, st, e) => o.onState?.(d.id, st, e),
      onBusFault: () => this.reopen('bus fault'),
    });
    this.link.onLost((err) => this.lost(err));
  }

  get name(): string {
    return this.o.spec.name;
  }

  add(spec: SerialDeviceSpec): void {
    this.o.onDevice?.(spec);
    this.addresses.add(spec.address);
    this.scheduler.add(this.driver(spec));
  }

  private driver(spec: SerialDeviceSpec): PolledDevice {
    const { clock } = this.o;
    const log = this.log.child({ deviceId: spec.id });
    if (this.link instanceof ModbusLink)
      return new ModbusDevice(spec as SerialDeviceSpec & { binding: ModbusBinding }, this.link, clock, log);
    const raw = this.link as RawSerialLink;
    if (spec.binding.protocol === 'dlt645')
      return new Dlt645Meter(spec as SerialDeviceSpec & { binding: Dlt645Binding }, raw, clock, log);
    return new Cjt188Meter(spec as SerialDeviceSpec & { binding: Cjt188Binding }, raw, clock, log);
  }

  async start(): Promise<void> {
    await this.tryOpen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    await this.scheduler.stop();
    await this.link.close();
    this.port = 'closed';
  }

  status(): BusStatus {
    const s: BusStatus = {
      name: this.name,
      path: this.o.spec.line.path,
      protocol: this.o.spec.protocol,
      port: this.port,
      counters: {
        ...this.scheduler.counters,
        reopens: this.reopens,
        strayBytes: this.link instanceof RawSerialLink ? this.link.strayBytes : 0,
      },
      devices: this.scheduler.devices(),
    };
    if (this.lastPortError) s.lastPortError = this.lastPortError;
    return s;
  }

  private async tryOpen(): Promise<void> {
    if (this.stopped) return;
    const path = this.o.spec.line.path;
    if (!existsSync(path)) {
      if (this.port !== 'absent')
        this.log.warn({ code: 'SERIAL_ERR_PORT', path }, 'serial port absent; waiting for it');
      this.port = 'absent';
      this.lastPortError = `${path} does not exist`;
      return this.scheduleReopen();
    }
    try {
      await this.link.open();
    } catch (e) {
      const err = e as YiwangError;
      if (this.lastPortError !== err.message)
        this.log.warn({ code: err.code, err: err.message }, 'cannot open serial port; retrying');
      this.lastPortError = err.message;
      this.port = 'closed';
      return this.scheduleReopen();
    }
    if (this.stopped) return void (await this.link.close());
    this.port = 'open';
    this.lastPortError = undefined;
    this.log.info(
      {
        path,
        line: `${this.o.spec.line.baudRate} ${this.o.spec.line.dataBits}${this.o.spec.line.parity[0]!.toUpperCase()}${this.o.spec.line.stopBits}`,
      },
      'serial port open',
    );
    if (this.o.spec.discover) this.scheduler.runExclusive((ctx) => this.discover(ctx));
    this.scheduler.resume();
  }

  private scheduleReopen(): void {
    if (this.stopped || this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      void this.tryOpen();
    }, this.o.policy.reopenMs);
    this.reopenTimer.unref();
  }

  private lost(err: YiwangError): void {
    if (this.stopped) return;
    this.log.warn({ code: err.code, err: err.message }, 'serial port lost; reopening when it comes back');
    this.lastPortError = err.message;
    this.port = 'closed';
    this.scheduler.pause();
    this.scheduleReopen();
  }

  private reopen(why: string): void {
    if (this.stopped) return;
    this.reopens++;
    this.log.warn({ why }, 'reopening serial port');
    this.scheduler.pause();
    this.port = 'closed';
    void this.scheduler
      .idle()
      .then(() => this.link.close())
      .then(() => this.scheduleReopen());
  }

  private async discover(ctx: Parameters<Parameters<BusScheduler['runExclusive']>[0]>[0]): Promise<void> {
    const s = this.o.spec;
    const raw = this.link as RawSerialLink;
    try {
      const address =
        s.protocol === 'dlt645' ? await discoverDlt645(ctx, raw) : await discoverCjt188(ctx, raw, s.meterType);
      const id = `${s.protocol}:${address}`;
      if (this.scheduler.has(id) || this.addresses.has(address)) return;
      this.log.info({ deviceId: id, address }, 'meter discovered by broadcast address read');
      this.add({
        id,
        bus: s.name,
        address,
        intervalMs: s.intervalMs,
        pollPriority: 1,
        readingPriority: 0,
        binding: s.discoverBinding,
        discovered: true,
        ...(s.profile ? { profile: s.profile } : {}),
      });
    } catch (e) {
      if (isYiwangError(e)) this.log.warn({ code: e.code, err: e.message }, 'address discovery failed');
      else throw e;
    }
  }
}
