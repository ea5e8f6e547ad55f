/**
 * The device keys the DTLS server and the identity policy see (issue 21): a device's own PSK
 * (`device_psk_keys`: it posts, registers and answers as itself) and its LwM2M bootstrap PSK
 * (`device_bootstrap_keys`: a factory-fresh device's key to ask the gateway's bootstrap server for
 * its account, and nothing else). An identity names one key of one device across both tables.
 */
import type Database from 'better-sqlite3';
import type { SecretBox } from '../../common/seal.js';
import type { PskDirectory, PskRole } from '../southbound/dtls/psk-directory.js';
import { type PskLimits, SqlitePskDirectory } from './psk-keys.js';

export class DeviceKeys implements PskDirectory {
  /** Device keys: the device's own PSK. */
  readonly device: SqlitePskDirectory;
  /** LwM2M bootstrap keys. */
  readonly bootstrap: SqlitePskDirectory;

  constructor(db: Database.Database, box: SecretBox, limits: Partial<PskLimits> = {}) {
    this.device = new SqlitePskDirectory(db, box, limits, {
      reservedBy: (identity) => this.bootstrap.deviceOf(identity),
    });
    this.bootstrap = new SqlitePskDirectory(db, box, limits, {
      table: 'device_bootstrap_keys',
      what: 'bootstrap identity',
      reservedBy: (identity) => this.device.deviceOf(identity),
    });
  }

  keyOf(identity: string): Buffer | undefined {
    return this.device.keyOf(identity) ?? this.bootstrap.keyOf(identity);
  }

  deviceOf(identity: string): string | undefined {
    return this.device.deviceOf(identity) ?? this.bootstrap.deviceOf(identity);
  }

  roleOf(identity: string): PskRole | undefined {
    if (this.device.deviceOf(identity) !== undefined) return 'device';
    return this.bootstrap.deviceOf(identity) !== undefined ? 'bootstrap' : undefined;
  }

  /** A device with either key must use coaps (coap.nosec = "known-devices"). */
  deviceHasKey(deviceId: string): boolean {
    return this.device.deviceHasKey(deviceId) || this.bootstrap.deviceHasKey(deviceId);
  }
}
