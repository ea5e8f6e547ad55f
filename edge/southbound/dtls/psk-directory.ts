/**
 * Where the DTLS server finds a device's pre-shared key, and which device a PSK identity belongs
 * to (issue 21, identity binding: over DTLS a device may post, register and answer only as
 * itself). The agent's implementation keeps the keys in its store, sealed at rest; tests use
 * MemoryPskDirectory.
 */
export interface PskDirectory {
  /** The key of a PSK identity; undefined: unknown identity (the handshake is refused). */
  keyOf(identity: string): Buffer | undefined;
  /** The one device id the identity belongs to; undefined: unknown identity. */
  deviceOf(identity: string): string | undefined;
  /**
   * Whether a device id has a PSK (any identity): such a device must use coaps, and
   * coap.nosec = "known-devices" refuses its plain CoAP. Required by the agent for that policy
   * (identity-policy.ts); optional here so that a directory for the DTLS server alone needs no index.
   */
  deviceHasKey?(deviceId: string): boolean;
  /**
   * What a known identity is for: 'device' (the device's own key: it posts, registers, answers) or
   * 'bootstrap' (an LwM2M bootstrap key: it may only ask for its bootstrap, /bs). Absent or
   * undefined: 'device'.
   */
  roleOf?(identity: string): PskRole | undefined;
}

export type PskRole = 'device' | 'bootstrap';

/** A directory held in memory (tests, and devices given in the config file). */
export class MemoryPskDirectory implements PskDirectory {
  private readonly byIdentity = new Map<string, { deviceId: string; key: Buffer }>();

  constructor(entries: Iterable<{ identity: string; deviceId: string; key: Buffer }> = []) {
    for (const e of entries) this.set(e.identity, e.deviceId, e.key);
  }

  set(identity: string, deviceId: string, key: Buffer): void {
    this.byIdentity.set(identity, { deviceId, key: Buffer.from(key) });
  }

  delete(identity: string): boolean {
    return this.byIdentity.delete(identity);
  }

  keyOf(identity: string): Buffer | undefined {
    return this.byIdentity.get(identity)?.key;
  }

  deviceOf(identity: string): string | undefined {
    return this.byIdentity.get(identity)?.deviceId;
  }

  deviceHasKey(deviceId: string): boolean {
    for (const e of this.byIdentity.values()) if (e.deviceId === deviceId) return true;
    return false;
  }
}
