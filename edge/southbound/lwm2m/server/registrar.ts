/**
 * The registration interface (Register, Update, De-register, lifetime expiry) under the server's
 * limits: endpoint-name and object-link sizes per request, new endpoints per source address
 * (a token bucket; known endpoints never wait), and the count and byte budget of all
 * registrations (the registration offline longest makes room for a new endpoint; with none
 * offline the new endpoint is refused 5.03 with Max-Age). Each refusal is counted.
 *
 * A Register or Update makes its endpoint the one owner of the address it came from (carrier NAT
 * may have given another device's old address to it): any other registration at that address
 * loses it (stays registered, unreachable until it registers or updates from its own address),
 * in memory and in the store in the same transaction, so Sends from the address go to the same
 * endpoint before and after a restart (docs/reference/lwm2m-server.md, "Addresses").
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../../common/log.js';
import { LogLimiter } from '../../../../common/log-limiter.js';
import { quote } from '../core/index.js';
import type { SourceRateLimiter } from './admission.js';
import type { WireReply, WireRequest } from './exchange.js';
import { Lwm2mRefusal, serverError } from './errors.js';
import type { ObservationTable } from './observations.js';
import type { DownlinkQueue } from './queue.js';
import {
  chooseContentFormat,
  parseLinks,
  parseRegisterQuery,
  parseUpdateQuery,
  toRow,
  type ParsedLinks,
  type Registration,
} from './registration.js';
import type { RegistrationTable } from './registration-table.js';
import type { Lwm2mStore } from './store.js';

export interface RegistrarLimits {
  maxLinkBytes: number;
  maxEndpointLength: number;
}

export interface RegistrarDeps {
  store: Lwm2mStore;
  log: Logger;
  table: RegistrationTable;
  limiter: SourceRateLimiter;
  limits: RegistrarLimits;
  observations: ObservationTable;
  queue: DownlinkQueue;
  lifetimeGraceMs: number;
  /** Stores a device event (and an `online` reading when `online` is given). */
  event(ep: string, kind: string, detail: string, online: boolean | undefined): Promise<void>;
  /** The device sent something (it is awake; send what waits for it). */
  talked(ep: string): void;
  onRegister?: (endpoint: string) => void;
  /** Where the registrar counts (the server's counters object). */
  counters: RegistrationCounters;
  /** A registration was removed (evicted): the server forgets what else it keeps per device. */
  onRemoved?: (endpoint: string) => void;
}

export const newRegistrationCounters = () => ({
  registrations: 0,
  updates: 0,
  deregistrations: 0,
  expirations: 0,
  /** New endpoints refused: registration count or byte budget full. */
  registrationsRefusedFull: 0,
  /** New endpoints refused by the per-source rate limit. */
  registrationsRateLimited: 0,
  /** Register or Update refused: object links over max_link_bytes. */
  linksTooLarge: 0,
  /** Offline registrations removed to make room for new endpoints. */
  registrationsEvicted: 0,
  /** Registrations whose address another endpoint took by registering or updating from it (carrier NAT reuse). */
  addressTakenOver: 0,
});
export type RegistrationCounters = ReturnType<typeof newRegistrationCounters>;

/** Seconds a device refused for the registration budget is told to wait (Max-Age). */
export const FULL_RETRY_S = 60;

export class Registrar {
  readonly counters: RegistrationCounters;

  /** Address takeovers: one line each, at most 20 a minute (a registration flood from few sockets is one long takeover). */
  private readonly takeovers: LogLimiter;

  constructor(private readonly d: RegistrarDeps) {
    this.counters = d.counters;
    this.takeovers = new LogLimiter(d.log, { what: 'lwm2m address takeovers', perWindow: 20 });
  }

  /**
   * The object links of a Register (or an Update that carries them): a link-format payload with
   * Content-Format 40 (OMA-TS-LightweightM2M_Core 1.1.1 §6.2.1 Register, §6.2.2 Update).
   */
  private checkLinks(req: WireRequest): ParsedLinks {
    if (req.contentFormat === undefined)
      throw serverError('LWM2M_ERR_REGISTRATION', 'object links need Content-Format 40 (link format)');
    if (req.contentFormat !== 40)
      throw serverError('LWM2M_ERR_REGISTRATION', `object links must be link format (40), not ${req.contentFormat}`);
    if (req.payload.length === 0)
      throw serverError('LWM2M_ERR_REGISTRATION', 'Register needs the object links (a link-format payload)');
    if (req.payload.length > this.d.limits.maxLinkBytes) {
      this.counters.linksTooLarge++;
      throw new Lwm2mRefusal(
        'LWM2M_ERR_REGISTRATION',
        `object links of ${req.payload.length} bytes exceed lwm2m.max_link_bytes ${this.d.limits.maxLinkBytes}`,
        '4.13',
      );
    }
    return parseLinks(req.payload);
  }

  /** Room for `r` in the budget (offline registrations to remove first), or a refusal. */
  private room(r: Registration, known: boolean): string[] {
    const evict = this.d.table.room(r);
    if (evict) return evict;
    this.counters.registrationsRefusedFull++;
    const t = this.d.table;
    throw new Lwm2mRefusal(
      'LWM2M_ERR_REGISTRATIONS_FULL',
      `${known ? 'larger registration' : 'new endpoint'} refused: ${t.size} registrations of ${t.bytes} accounted bytes held, none offline`,
      '5.03',
      FULL_RETRY_S,
    );
  }

  async register(req: WireRequest): Promise<WireReply> {
    const p = parseRegisterQuery(req.query, this.d.limits.maxEndpointLength);
    const links = this.checkLinks(req);
    const now = Date.now();
    const old = this.d.table.get(p.endpoint);
    if (!old) {
      const a = this.d.limiter.take(req.peer.address, now);
      if (!a.ok) {
        this.counters.registrationsRateLimited++;
        throw new Lwm2mRefusal(
          'LWM2M_ERR_RATE_LIMITED',
          `new endpoint from ${req.peer.address}${a.shared ? ' (shared bucket: too many sources)' : ''} over lwm2m.new_endpoints_per_s`,
          '4.29',
          a.retryAfterS,
        );
      }
    }
    const r: Registration = {
      endpoint: p.endpoint,
      regId: randomBytes(6).toString('hex'),
      peer: req.peer,
      lifetimeS: p.lifetimeS,
      version: p.version,
      binding: p.binding,
      queueMode: p.queueMode,
      sms: p.sms,
      links: links.text,
      rootPath: links.rootPath,
      objects: links.objects,
      contentFormat: chooseContentFormat(p.version, links.contentFormats),
      registeredMs: now,
      updatedMs: now,
      online: true,
    };
    await this.admit(
      r,
      () => {
        this.d.store.putRegistration(toRow(r));
        this.d.store.addEvent(r.endpoint, 'registered', `lwm2m ${r.version} b=${r.binding} lt=${r.lifetimeS}`, now);
      },
      old !== undefined,
    );
    this.d.observations.invalidate(r.endpoint); // a new registration ends the old observations
    this.counters.registrations++;
    this.d.log.debug(
      { deviceId: r.endpoint, regId: r.regId, queueMode: r.queueMode, contentFormat: r.contentFormat },
      'lwm2m register',
    );
    if (old && !old.online) void this.d.event(r.endpoint, 'online', 'registered again', true);
    this.d.talked(r.endpoint);
    this.d.onRegister?.(r.endpoint);
    return {
      code: '2.01',
      options: [
        { name: 'Location-Path', value: Buffer.from('rd') },
        { name: 'Location-Path', value: Buffer.from(r.regId) },
      ],
    };
  }

  /**
   * Makes room for `r` (or refuses it), holds its place in the budget while `write` commits
   * together with the removal of the registrations evicted for it, then puts it in the table.
   */
  private async admit(r: Registration, write: () => void, known: boolean): Promise<void> {
    const evict = this.room(r, known);
    for (const ep of evict) this.evicted(ep);
    const release = this.d.table.reserve(r);
    try {
      await this.d.store.write(() => {
        for (const ep of evict) {
          this.d.store.deleteRegistration(ep);
          this.d.store.deleteObservations(ep);
        }
        write();
        this.d.store.takeAddress(r.endpoint, r.peer.address, r.peer.port);
      });
    } finally {
      release();
    }
    const displaced = this.d.table.put(r);
    if (displaced) this.addressTaken(r, displaced);
  }

  /** `r` registered or updated from the address `other` held: `other` no longer owns it. */
  private addressTaken(r: Registration, other: Registration): void {
    this.counters.addressTakenOver++;
    const fields = {
      deviceId: other.endpoint,
      takenBy: r.endpoint,
      address: `${r.peer.address}:${r.peer.port}`,
      wasOnline: other.online,
    };
    const msg =
      'lwm2m address taken over by another endpoint: Sends from it now go to the new one; the old registration is unreachable until it registers or updates again';
    this.takeovers.log(other.online ? 'warn' : 'info', other.online ? 'online' : 'offline', fields, msg);
  }

  /** An offline registration was removed to make room: its observations and open requests go with it. */
  private evicted(ep: string): void {
    if (!this.d.table.remove(ep)) return;
    this.counters.registrationsEvicted++;
    this.d.observations.forget(ep);
    this.d.onRemoved?.(ep);
    void this.d.queue
      .drop(ep, "the device's registration was removed while it was offline (lwm2m.max_registrations)")
      .catch(() => undefined);
    this.d.log.info({ deviceId: ep }, 'offline lwm2m registration removed to make room for a new endpoint');
  }

  /** The endpoint holding registration `regId` (online), for identity checks before an Update or De-register. */
  endpointOf(regId: string): string | undefined {
    const r = this.d.table.byRegId(regId);
    return r?.online && r.regId === regId ? r.endpoint : undefined;
  }

  private registrationOf(regId: string): Registration {
    const r = this.d.table.byRegId(regId);
    if (!r?.online || r.regId !== regId)
      throw serverError('LWM2M_ERR_NOT_REGISTERED', `no registration ${quote(regId)}`);
    return r;
  }

  async update(regId: string, req: WireRequest): Promise<WireReply> {
    const r = this.registrationOf(regId);
    const p = parseUpdateQuery(req.query);
    const links = req.payload.length > 0 ? this.checkLinks(req) : undefined;
    const next: Registration = {
      ...r,
      peer: req.peer,
      addressLost: false, // an Update takes its address back (or takes the new one)
      updatedMs: Date.now(),
      ...(p.lifetimeS !== undefined ? { lifetimeS: p.lifetimeS } : {}),
      ...(p.binding !== undefined ? { binding: p.binding } : {}),
      ...(p.queueMode !== undefined ? { queueMode: p.queueMode } : {}),
      ...(p.sms !== undefined ? { sms: p.sms } : {}),
      ...(links ? { links: links.text, rootPath: links.rootPath, objects: links.objects } : {}),
    };
    await this.admit(next, () => this.d.store.putRegistration(toRow(next)), true);
    this.counters.updates++;
    this.d.talked(r.endpoint);
    return { code: '2.04' };
  }

  async deregister(regId: string): Promise<WireReply> {
    const r = this.registrationOf(regId);
    this.d.table.setOnline(r, false);
    this.d.observations.invalidate(r.endpoint);
    await this.d.store.write(() => this.d.store.setOnline(r.endpoint, false));
    await this.d.event(r.endpoint, 'deregistered', 'De-register', false);
    this.counters.deregistrations++;
    return { code: '2.02' };
  }

  /** Registrations whose lifetime ran out go offline (and are the first to make room). */
  checkExpiry(now: number): void {
    for (const r of this.d.table.values()) {
      if (!r.online || r.updatedMs + r.lifetimeS * 1000 + this.d.lifetimeGraceMs > now) continue;
      this.d.table.setOnline(r, false);
      this.counters.expirations++;
      this.d.observations.invalidate(r.endpoint);
      this.d.log.warn(
        { deviceId: r.endpoint, lifetimeS: r.lifetimeS, lastUpdate: new Date(r.updatedMs).toISOString() },
        'lwm2m registration expired: device offline',
      );
      void this.d.store
        .write(() => this.d.store.setOnline(r.endpoint, false))
        .then(() => this.d.event(r.endpoint, 'offline', `registration expired (lifetime ${r.lifetimeS} s)`, false))
        .catch(() => undefined);
    }
  }
}
