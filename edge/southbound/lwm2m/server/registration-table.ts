/**
 * The registrations in memory, with their indexes (by registration id, by peer address) and a
 * count and byte budget. A registration's bytes are accounted (endpoint name, object-link text,
 * a share per parsed object link and a fixed overhead), not measured: link texts shared between
 * devices of one model are counted for each, so the budget errs on the safe side. Offline
 * registrations are kept in the order they went offline; at the budget, a new endpoint takes the
 * place of the one offline longest (its device must register anew anyway), never of an online one.
 *
 * The peer index has one owner per address: the registration that last registered or updated
 * from it. A registration put from an address another one holds takes it; the other keeps its
 * registration but not the address (`addressLost`) until it registers or updates again.
 */
import type { Registration } from './registration.js';

export interface RegistrationBudget {
  maxCount: number;
  maxBytes: number;
}

/** Fixed accounted cost of one registration: the record, its map entries and indexes. */
export const REGISTRATION_OVERHEAD_BYTES = 256;
/** Accounted cost of one parsed object link (path object and array slot). */
export const OBJECT_LINK_BYTES = 48;

export function registrationBytes(r: Pick<Registration, 'endpoint' | 'links' | 'objects' | 'sms'>): number {
  return (
    REGISTRATION_OVERHEAD_BYTES +
    2 * r.endpoint.length +
    r.links.length +
    OBJECT_LINK_BYTES * r.objects.length +
    (r.sms?.length ?? 0)
  );
}

const peerKey = (r: Registration): string => `${r.peer.address}:${r.peer.port}`;

export class RegistrationTable {
  private readonly regs = new Map<string, Registration>();
  private readonly regIds = new Map<string, string>();
  private readonly peers = new Map<string, string>();
  /** Offline endpoints, oldest first (a Set keeps insertion order). */
  private readonly offline = new Set<string>();
  private accounted = 0;
  /** Registrations admitted and waiting for their commit (counted against the budget already). */
  private reserved = { count: 0, bytes: 0 };

  constructor(private readonly budget: RegistrationBudget) {}

  get size(): number {
    return this.regs.size;
  }
  get bytes(): number {
    return this.accounted;
  }
  get offlineCount(): number {
    return this.offline.size;
  }

  get(endpoint: string): Registration | undefined {
    return this.regs.get(endpoint);
  }
  byRegId(regId: string): Registration | undefined {
    const ep = this.regIds.get(regId);
    return ep === undefined ? undefined : this.regs.get(ep);
  }
  byPeer(address: string, port: number): Registration | undefined {
    const ep = this.peers.get(`${address}:${port}`);
    return ep === undefined ? undefined : this.regs.get(ep);
  }
  values(): IterableIterator<Registration> {
    return this.regs.values();
  }

  /**
   * What must go for `next` to fit: the endpoints (offline, longest first) to remove, [] when it
   * fits as it is, undefined when it cannot fit (the budget is full of online registrations).
   * A known endpoint re-registering is only refused when its new form is larger than the room left.
   */
  room(next: Registration): string[] | undefined {
    const old = this.regs.get(next.endpoint);
    if (old && registrationBytes(next) <= registrationBytes(old)) return []; // a known endpoint that does not grow always fits
    let count = this.regs.size + this.reserved.count + (old ? 0 : 1);
    let bytes = this.accounted + this.reserved.bytes - (old ? registrationBytes(old) : 0) + registrationBytes(next);
    if (count <= this.budget.maxCount && bytes <= this.budget.maxBytes) return [];
    const out: string[] = [];
    for (const ep of this.offline) {
      if (count <= this.budget.maxCount && bytes <= this.budget.maxBytes) break;
      if (ep === next.endpoint) continue;
      const r = this.regs.get(ep);
      if (!r) continue;
      out.push(ep);
      count--;
      bytes -= registrationBytes(r);
    }
    return count <= this.budget.maxCount && bytes <= this.budget.maxBytes ? out : undefined;
  }

  /**
   * Counts `next` against the budget while its write waits for the commit (so that registrations
   * admitted in the same commit window cannot overshoot it together); call the result once it is put or failed.
   */
  reserve(next: Registration): () => void {
    const old = this.regs.get(next.endpoint);
    const count = old ? 0 : 1;
    const bytes = registrationBytes(next) - (old ? registrationBytes(old) : 0);
    this.reserved.count += count;
    this.reserved.bytes += bytes;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.reserved.count -= count;
      this.reserved.bytes -= bytes;
    };
  }

  /**
   * Adds or replaces a registration (and its indexes). Unless `r.addressLost`, `r` owns its
   * address from now on: returns the registration that held it until now (marked `addressLost`), if any.
   */
  put(r: Registration): Registration | undefined {
    const old = this.regs.get(r.endpoint);
    if (old) {
      this.regIds.delete(old.regId);
      if (this.peers.get(peerKey(old)) === old.endpoint) this.peers.delete(peerKey(old));
      this.accounted -= registrationBytes(old);
    }
    this.regs.set(r.endpoint, r);
    this.regIds.set(r.regId, r.endpoint);
    let displaced: Registration | undefined;
    if (!r.addressLost) {
      const key = peerKey(r);
      const holder = this.peers.get(key);
      displaced = holder === undefined || holder === r.endpoint ? undefined : this.regs.get(holder);
      if (displaced) displaced.addressLost = true;
      this.peers.set(key, r.endpoint);
    }
    this.accounted += registrationBytes(r);
    this.offline.delete(r.endpoint);
    if (!r.online) this.offline.add(r.endpoint);
    return displaced;
  }

  /** Marks a registration offline (expired or de-registered) or online again. */
  setOnline(r: Registration, online: boolean): void {
    r.online = online;
    this.offline.delete(r.endpoint);
    if (!online) this.offline.add(r.endpoint);
  }

  remove(endpoint: string): Registration | undefined {
    const r = this.regs.get(endpoint);
    if (!r) return undefined;
    this.regs.delete(endpoint);
    this.regIds.delete(r.regId);
    if (this.peers.get(peerKey(r)) === endpoint) this.peers.delete(peerKey(r));
    this.offline.delete(endpoint);
    this.accounted -= registrationBytes(r);
    return r;
  }
}
