/**
 * Observations (Observe and Observe-Composite): which paths the server wants observed per
 * device, the token of each live observation (persisted, so notifications keep flowing across an
 * agent restart), and notifications → readings. A new Register ends the device's observations
 * (LwM2M Core §6.3.1); `needsRestore` marks the device so that the server observes again.
 * Bounded per device and in all (`limits`): an observation beyond them is refused with
 * LWM2M_ERR_OBSERVATIONS_FULL, and the device's notifications for it are answered with a Reset.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../../common/log.js';
import { isYiwangError } from '../../../../common/errors.js';
import { decodeRecords, parsePath, Lwm2mPath, type Lwm2mRecord, type ModelLookup } from '../core/index.js';
import type { Lwm2mStore } from './store.js';
import { Interner } from './intern.js';
import { optionBuffer, optionUint, type Peer, type WireMessage } from './exchange.js';
import { serverError } from './errors.js';

export interface ObservationLimits {
  maxPerDevice: number;
  maxTotal: number;
}

export interface Observation {
  endpoint: string;
  /** Comma-joined paths: the observation's identity per device. */
  key: string;
  /** Parsed `key`, shared by every device observing the same paths (read-only). */
  paths: readonly Lwm2mPath[];
  composite: boolean;
  /** The observation's CoAP token, hex (a string costs a fifth of a Buffer per observation). */
  token: string;
  /** False between a new Register and its re-establishment. */
  live: boolean;
  /**
   * The content format the observation was made in (the device's answer's, else the Accept sent);
   * a cancel asks for it again. Kept in memory only: unknown after a restart until re-observed.
   */
  format?: number;
}

export type NotificationOutcome =
  | { kind: 'records'; obs: Observation; records: Lwm2mRecord[] }
  | { kind: 'ended'; obs: Observation; code: string }
  | { kind: 'bad'; obs: Observation; err: Error };

/** Observed path sets by key: 10,000 devices observing /3303/0/5700 share one parsed copy. */
const pathSets = new Interner<{ key: string; paths: readonly Lwm2mPath[] }>(4096);

function pathSet(key: string): { key: string; paths: readonly Lwm2mPath[] } {
  return pathSets.get(key, (k) => ({ key: k, paths: Object.freeze(k.split(',').map((p) => parsePath(p))) }));
}

export class ObservationTable {
  private readonly byToken = new Map<string, Observation>();
  /** A device's observations; a small array (most devices have one or two), not a Map per device. */
  private readonly byDevice = new Map<string, Observation[]>();
  private readonly restore = new Set<string>();
  /** Observations held, live or waiting to be re-established. */
  private total = 0;
  counters = { refused: 0 };

  constructor(
    private readonly store: Lwm2mStore,
    private readonly model: ModelLookup,
    private readonly log: Logger,
    private readonly limits: ObservationLimits = { maxPerDevice: Infinity, maxTotal: Infinity },
  ) {
    for (const row of store.observations()) {
      const { key, paths } = pathSet(row.paths);
      this.put({ endpoint: row.endpoint, key, paths, composite: row.composite === 1, token: row.token, live: true });
    }
  }

  private put(o: Observation): void {
    const list = this.byDevice.get(o.endpoint);
    const i = list ? list.findIndex((x) => x.key === o.key) : -1;
    // A new array of the exact size: push() on [] would reserve 17 slots per device.
    if (!list) this.byDevice.set(o.endpoint, [o]);
    else if (i >= 0) {
      this.byToken.delete(list[i]!.token);
      list[i] = o;
    } else this.byDevice.set(o.endpoint, [...list, o]);
    if (i < 0) this.total++;
    if (o.live) this.byToken.set(o.token, o);
  }

  /**
   * Throws LWM2M_ERR_OBSERVATIONS_FULL when a new observation of `key` would take the device or
   * all devices past their limits (observing a key the device has already is a replacement).
   */
  checkRoom(endpoint: string, key: string): void {
    const list = this.byDevice.get(endpoint) ?? [];
    if (list.some((x) => x.key === key)) return;
    if (list.length >= this.limits.maxPerDevice) {
      this.counters.refused++;
      throw serverError(
        'LWM2M_ERR_OBSERVATIONS_FULL',
        `${endpoint} has ${list.length} observations (lwm2m.max_observations_per_device ${this.limits.maxPerDevice})`,
      );
    }
    if (this.total >= this.limits.maxTotal) {
      this.counters.refused++;
      throw serverError(
        'LWM2M_ERR_OBSERVATIONS_FULL',
        `all devices have ${this.total} observations (lwm2m.max_observations ${this.limits.maxTotal})`,
      );
    }
  }

  /** The live observation with this token (hex). */
  byTokenHex(tokenHex: string): Observation | undefined {
    return this.byToken.get(tokenHex);
  }

  isLive(tokenHex: string): boolean {
    return this.byToken.has(tokenHex);
  }

  /** Live observations (notifications accepted now). */
  count(): number {
    return this.byToken.size;
  }

  /** Observations held, live or waiting to be re-established. */
  held(): number {
    return this.total;
  }

  list(endpoint: string): Observation[] {
    return [...(this.byDevice.get(endpoint) ?? [])];
  }

  /** A fresh token for a new observation of `key` (the old one, if any, stays live until replaced). */
  newToken(): Buffer {
    return randomBytes(8);
  }

  /** The device accepted an Observe: the observation is live and persisted. */
  async established(endpoint: string, key: string, composite: boolean, token: Buffer, format?: number): Promise<void> {
    this.checkRoom(endpoint, key);
    const set = pathSet(key);
    const hex = token.toString('hex');
    const o: Observation = {
      endpoint,
      key: set.key,
      paths: set.paths,
      composite,
      token: hex,
      live: true,
      ...(format !== undefined ? { format } : {}),
    };
    this.put(o); // held from now on: establishments waiting for the same commit cannot overshoot the limits together
    try {
      await this.store.write(() =>
        this.store.putObservation({
          endpoint,
          paths: set.key,
          token: hex,
          composite: composite ? 1 : 0,
          created_ms: Date.now(),
        }),
      );
    } catch (err) {
      const list = this.byDevice.get(endpoint);
      if (list?.includes(o)) await this.remove(endpoint, key).catch(() => undefined);
      throw err;
    }
  }

  /** Cancelled by the server or ended by the device: forgotten. */
  async remove(endpoint: string, key: string): Promise<Observation | undefined> {
    const list = this.byDevice.get(endpoint);
    const i = list ? list.findIndex((x) => x.key === key) : -1;
    if (!list || i < 0) return undefined;
    const o = list[i]!;
    list.splice(i, 1);
    if (list.length === 0) this.byDevice.delete(endpoint);
    this.byToken.delete(o.token);
    this.total--;
    await this.store.write(() => this.store.deleteObservation(endpoint, key));
    return o;
  }

  /** The device's registration was removed: its observations are forgotten (in memory; the caller deletes the rows). */
  forget(endpoint: string): void {
    const list = this.byDevice.get(endpoint);
    if (!list) return;
    for (const o of list) this.byToken.delete(o.token);
    this.total -= list.length;
    this.byDevice.delete(endpoint);
    this.restore.delete(endpoint);
  }

  /** A new Register (or expiry) ended the device's observations; they are to be re-established. */
  invalidate(endpoint: string): void {
    const list = this.byDevice.get(endpoint);
    if (!list || list.length === 0) return;
    for (const o of list) {
      this.byToken.delete(o.token);
      o.live = false;
    }
    this.restore.add(endpoint);
  }

  /** Observations to re-establish now (clears the mark). */
  takeRestore(endpoint: string): Observation[] {
    if (!this.restore.delete(endpoint)) return [];
    return this.list(endpoint).filter((o) => !o.live);
  }

  /** Decodes a notification; the caller turns records into readings. */
  decode(packet: WireMessage, peer: Peer, formatOf: (endpoint: string) => number): NotificationOutcome | undefined {
    const obs = this.byToken.get(packet.token.toString('hex'));
    if (!obs) return undefined;
    if (packet.code[0] !== '2') {
      this.log.warn(
        {
          deviceId: obs.endpoint,
          code: 'LWM2M_ERR_OBSERVATION',
          coapCode: packet.code,
          paths: obs.key,
          peer: `${peer.address}:${peer.port}`,
        },
        'device ended an observation',
      );
      return { kind: 'ended', obs, code: packet.code };
    }
    const cf = optionUint(optionBuffer(packet, 'Content-Format')) ?? formatOf(obs.endpoint);
    try {
      const under = obs.composite ? Lwm2mPath.ROOT : (obs.paths[0] as Lwm2mPath);
      return { kind: 'records', obs, records: decodeRecords(cf, packet.payload, under, this.model) };
    } catch (err) {
      const code = isYiwangError(err) ? err.code : 'LWM2M_ERR_OBSERVATION';
      this.log.warn(
        {
          deviceId: obs.endpoint,
          code: 'LWM2M_ERR_OBSERVATION',
          cause: code,
          err: (err as Error).message,
          contentFormat: cf,
          payload: packet.payload.subarray(0, 256).toString('hex'),
        },
        'undecodable notification',
      );
      return { kind: 'bad', obs, err: err as Error };
    }
  }
}
