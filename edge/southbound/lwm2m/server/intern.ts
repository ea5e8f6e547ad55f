/**
 * Sharing of values that thousands of devices hold alike (peer addresses, versions, bindings,
 * identical object-link payloads and their parsed form, observed paths). Every string read from
 * a packet is a fresh copy, so 10,000 registrations would otherwise keep 10,000 copies of
 * "127.0.0.1", "1.1" and the same link text. Bounded: when full, the oldest entry goes, and a
 * value only stops being shared (never wrong).
 */
export class Interner<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly max: number) {}

  /** The shared value for `key`, made by `make` the first time. */
  get(key: string, make: (key: string) => V): V {
    const hit = this.m.get(key);
    if (hit !== undefined) return hit;
    const v = make(key);
    if (this.m.size >= this.max) this.m.delete(this.m.keys().next().value as string);
    this.m.set(key, v);
    return v;
  }

  get size(): number {
    return this.m.size;
  }
}

const strings = new Interner<string>(4096);

/** One shared copy of a short, often repeated string (address, version, binding, path key). */
export function intern(s: string): string {
  return s.length > 256 ? s : strings.get(s, (k) => k);
}
