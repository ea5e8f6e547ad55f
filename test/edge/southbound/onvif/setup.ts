/** Shared set-up of the camera tests: a CameraManager with fast timings over temp dirs. */
import { join } from 'node:path';
import { loadEdgeConfig } from '../../../../edge/config.js';
import { CameraManager, type CamerasConfig } from '../../../../edge/southbound/onvif/camera-manager.js';
import { captureLog, type CapturedLog } from '../../../helpers/log-capture.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** Like helpers/fleet's tempDir, without importing the whole agent. */
export const tempDir = (prefix = 'yw-'): string => mkdtempSync(join(tmpdir(), prefix));

export const FAST: Partial<CamerasConfig> = {
  health_interval_ms: 200,
  request_timeout_ms: 1000,
  auth_backoff_ms: 60_000,
  stream_probe_interval_ms: 500,
  stream_probe_timeout_ms: 3000,
  live_stall_ms: 3000,
  live_idle_ms: 1500,
  live_reconnect_ms: 200,
  events: true,
};

export function makeManager(over: Partial<CamerasConfig> = {}): {
  manager: CameraManager;
  logs: CapturedLog;
  dir: string;
} {
  const dir = tempDir('yw-cam-');
  const logs = captureLog();
  const config = { ...loadEdgeConfig().cameras, stream_probe: false, ...FAST, ...over };
  const manager = new CameraManager({ config, dataDir: join(dir, 'data'), gatewaySecret: 'gw-secret', log: logs.log });
  return { manager, logs, dir };
}
