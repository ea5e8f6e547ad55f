/** Wires remote configuration into the agent: pinned key, last-good file, health check, what applies live (live.ts). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../../common/log.js';
import type { EdgeConfig } from '../config.js';
import type { CloudUplink } from '../sync/uplink.js';
import { LIBRARY_DIR } from '../profiles/tooling.js';
import { ConfigApplier } from './applier.js';
import type { DesiredConfig } from './schema.js';
import { applyLive, inertKeys, type DeviceFilter } from './live.js';

/** Problems of a config on this gateway: every enabled profile (vendor/model) must be installed. */
export function profilesCheck(dirs: string[]): (c: DesiredConfig) => string | undefined {
  return (c) => {
    const missing = (c.profiles.enabled ?? []).filter((p) => !dirs.some((d) => existsSync(join(d, `${p}.toml`))));
    return missing.length ? `profiles not installed on this gateway: ${missing.join(', ')}` : undefined;
  };
}

/** Without a pinned key remote configuration is off; `devices` still exists (it then filters nothing). */
export function remoteConfigApplier(
  config: EdgeConfig,
  log: Logger,
  uplink: CloudUplink,
  devices: DeviceFilter,
): ConfigApplier | undefined {
  if (!config.gateway.config_key) return undefined;
  const key = Buffer.from(config.gateway.config_key, 'base64');
  if (key.length !== 32) {
    log.error(
      { code: 'CONFIG_ERR_INVALID' },
      'gateway.config_key is not a base64 raw Ed25519 key; remote configuration off',
    );
    return undefined;
  }
  const applier = new ConfigApplier({
    gatewayId: config.gateway.id,
    publicKey: key,
    file: join(dirname(config.store.path), 'desired-config.json'),
    log,
    check: profilesCheck([...(config.profiles.library ? [LIBRARY_DIR] : []), ...config.profiles.dirs]),
    // sync pacing, the Health interval and the device lists change at once (edge/remote-config/live.ts)
    apply: (c) => applyLive(c, { uplink, devices, base: config.sync }),
    note: (c) => {
      const k = inertKeys(c);
      return k.length ? `not acted on by this agent version: ${k.join(', ')}` : '';
    },
    report: (b) => uplink.sendConfigStatus(b),
  });
  applier.load();
  return applier;
}
