/** Shared by the serial tests: socat pty pairs in a temp dir, a capturing sink, quick bus settings. */
import { join } from 'node:path';
import { tempDir } from '../../../helpers/fleet.js';
import { PtyPair } from '../../../../scripts/sim/pty-pair.js';
import type { Reading } from '../../../../proto/reading.js';
import type { UplinkSink } from '../../../../edge/southbound/types.js';
import {
  parseDeviceFile,
  type SerialDefaults,
  type SerialDeviceFile,
} from '../../../../edge/southbound/serial/device-file.js';
import { loadEdgeConfig, type EdgeConfig } from '../../../../edge/config.js';

export async function ptyPair(): Promise<PtyPair> {
  const dir = tempDir('yw-pty-');
  return PtyPair.open(join(dir, 'agent'), join(dir, 'device'));
}

export class CaptureSink implements UplinkSink {
  readonly readings: Reading[] = [];
  async accept(readings: Reading[]): Promise<'stored'> {
    this.readings.push(...readings);
    return 'stored';
  }
  of(deviceId: string): Reading[] {
    return this.readings.filter((r) => r.deviceId === deviceId);
  }
}

export const QUICK: SerialDefaults = {
  baudRate: 9600,
  parity: 'none',
  dataBits: 8,
  stopBits: 1,
  responseTimeoutMs: 150,
  interFrameGapMs: 0,
  pollIntervalMs: 100,
};

export function quickSerialConfig(overrides: Partial<EdgeConfig['serial']> = {}): EdgeConfig['serial'] {
  return {
    ...loadEdgeConfig(undefined, {
      serial: {
        retries: 1,
        offline_after: 2,
        backoff_ms: 300,
        backoff_max_ms: 600,
        bus_fault_after: 4,
        reopen_ms: 100,
        response_timeout_ms: 150,
        poll_interval_ms: 100,
      },
    }).serial,
    ...overrides,
  };
}

export function deviceFile(doc: Record<string, unknown>, defaults: SerialDefaults = QUICK): SerialDeviceFile {
  return parseDeviceFile(doc, 'test.toml', defaults, '/nonexistent');
}
