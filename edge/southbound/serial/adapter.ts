/**
 * The serial southbound adapter: one SerialBus per [[bus]] of the device file, readings handed to
 * the store (no acknowledgement to wait for on a polled bus), device presence to the tracker.
 * Devices naming a firmware profile take their register map / data identifiers from it and are
 * bound to it (`profiles.pin`: metric checks and alarms of that profile apply to their readings).
 * With no device file configured the agent does not create it.
 */
import { join } from 'node:path';
import type { Logger } from '../../../common/log.js';
import { REPO_ROOT } from '../../../common/paths.js';
import type { ClockQuality } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import type { EdgeConfig } from '../../config.js';
import type { SouthboundAdapter, UplinkSink } from '../types.js';
import { SerialBus, type BusStatus } from './bus.js';
import { loadDeviceFile, type SerialDeviceFile } from './device-file.js';
import type { Parity } from './line.js';
import { directorySource, type ProfileSource } from './profile-source.js';

export interface SerialAdapterOptions {
  config: EdgeConfig['serial'];
  sink: UplinkSink;
  log: Logger;
  clock: () => ClockQuality;
  onUplink?(deviceId: string, readings: number): void;
  /** A parsed device file instead of config.devices_file (tests). */
  devices?: SerialDeviceFile;
  /**
   * The agent's loaded profiles: `profile = …` in the device file is looked up there (unless
   * config.profile_dir names a directory) and each such device is pinned to its profile.
   */
  profiles?: ProfileSource;
}

export class SerialAdapter implements SouthboundAdapter {
  readonly name = 'serial';
  readonly buses: SerialBus[] = [];
  readonly counters = { readingsStored: 0, storeErrors: 0 };
  private readonly log: Logger;

  constructor(private readonly o: SerialAdapterOptions) {
    this.log = o.log.child({ component: 'serial' });
    const c = o.config;
    const file =
      o.devices ??
      loadDeviceFile(
        c.devices_file,
        {
          baudRate: c.baud_rate,
          parity: c.parity as Parity,
          dataBits: c.data_bits as 7 | 8,
          stopBits: c.stop_bits as 1 | 2,
          responseTimeoutMs: c.response_timeout_ms,
          interFrameGapMs: c.inter_frame_gap_ms,
          pollIntervalMs: c.poll_interval_ms,
        },
        c.profile_dir
          ? directorySource(c.profile_dir)
          : (o.profiles ?? directorySource(join(REPO_ROOT, 'firmware-profiles'))),
      );
    const policy = {
      retries: c.retries,
      offlineAfter: c.offline_after,
      backoffBaseMs: c.backoff_ms,
      backoffMaxMs: c.backoff_max_ms,
      busFaultAfter: c.bus_fault_after,
      reopenMs: c.reopen_ms,
    };
    for (const spec of file.buses) {
      const bus = new SerialBus({
        spec,
        policy,
        log: o.log,
        clock: o.clock,
        onReadings: (deviceId, readings) => this.store(deviceId, readings),
        onDevice: (d) => {
          if (d.profile) o.profiles?.pin?.(d.id, d.profile);
        },
      });
      for (const d of file.devices) if (d.bus === spec.name) bus.add(d);
      this.buses.push(bus);
    }
  }

  private store(deviceId: string, readings: Reading[]): void {
    this.o.onUplink?.(deviceId, readings.length);
    this.o.sink.accept(readings).then(
      () => {
        this.counters.readingsStored += readings.length;
      },
      (err: unknown) => {
        this.counters.storeErrors++;
        this.log.error(
          { code: 'EDGE_ERR_STORE', deviceId, err: (err as Error).message },
          'readings could not be stored',
        );
      },
    );
  }

  async start(): Promise<void> {
    for (const b of this.buses) await b.start();
    this.log.info(
      { buses: this.buses.length, devices: this.buses.reduce((n, b) => n + b.scheduler.devices().length, 0) },
      'serial adapter started',
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.buses.map((b) => b.stop()));
  }

  status(): BusStatus[] {
    return this.buses.map((b) => b.status());
  }
}
