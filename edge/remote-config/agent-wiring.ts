/** Wires remote configuration into the agent: pinned key, last-good file, health check, what applies live (live.ts). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../../common/log.js';
import type { EdgeConfig } from '../config.js';
import type { CloudUplink } from '../sync/uplink.js';
import { LIBRARY_DIR } from '../profiles/tooling.js';
import { ConfigApplier, writeAtomically } from './applier.js';
import type { DesiredConfig } from './schema.js';
import { applyLive, inertKeys, type DeviceFilter } from './live.js';

/** Problems of a config on this gateway: every enabled profile (vendor/model) must be installed. */
export function profilesCheck(dirs: string[]): (c: DesiredConfig) => string | undefined {
  return (c) => {
    const missing = (c.profiles.enabled ?? []).filter((p) => !dirs.some((d) => existsSync(join(d, `${p}.toml`))));
    return missing.length ? `profiles not installed on this gateway: ${missing.join(', ')}` : undefined;
  };
}

/**
 * The config-signing key a rotation led to (`<store dir>/config-key.json`, written when the agent
 * followed a key transition): used instead of gateway.config_key while it was reached from that same
 * provisioned key (a gateway provisioned again starts from its new gateway.config_key).
 */
interface RotatedKey {
  provisionedKey: string;
  key: string;
  sinceMs: number;
}

export const rotatedKeyFile = (config: EdgeConfig): string => join(dirname(config.store.path), 'config-key.json');

function loadRotatedKey(config: EdgeConfig, provisioned: string, log: Logger): Buffer | undefined {
  const file = rotatedKeyFile(config);
  if (!existsSync(file)) return undefined;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as RotatedKey;
    const key = Buffer.from(r.key, 'base64');
    if (r.provisionedKey !== provisioned || key.length !== 32) return undefined;
    return key;
  } catch (err) {
    log.warn({ file, err: (err as Error).message }, 'rotated config-signing key unreadable; using gateway.config_key');
    return undefined;
  }
}

function saveRotatedKey(file: string, r: RotatedKey): void {
  writeAtomically(file, `${JSON.stringify(r)}\n`);
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
  const provisioned = config.gateway.config_key;
  const applier = new ConfigApplier({
    gatewayId: config.gateway.id,
    publicKey: loadRotatedKey(config, provisioned, log) ?? key,
    // a config-signing key rotation followed (transition signed by the pinned key): kept across restarts
    onNewKey: (newKey) =>
      saveRotatedKey(rotatedKeyFile(config), {
        provisionedKey: provisioned,
        key: newKey.toString('base64'),
        sinceMs: Date.now(),
      }),
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
