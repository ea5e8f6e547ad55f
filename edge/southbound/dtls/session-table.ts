/**
 * The bounded table of DTLS associations (handshakes in progress and established sessions): at
 * most `maxEntries` entries and `maxBytes` estimated bytes; when either is exceeded the least
 * recently used entries go first. Lookups by address and by connection ID are kept by the server;
 * this table only orders and bounds.
 */
export interface TableEntry {
  /** Estimated bytes the entry holds (fixed for its lifetime, or updated with `resize`). */
  bytes: number;
}

export class SessionTable<E extends TableEntry> {
  /** Insertion order = recency order (oldest first). */
  private readonly lru = new Set<E>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly onEvict: (entry: E) => void,
  ) {}

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.total;
  }

  has(entry: E): boolean {
    return this.lru.has(entry);
  }

  /** Adds an entry as the most recently used, evicting the least recently used to make room. */
  add(entry: E): void {
    this.lru.add(entry);
    this.total += entry.bytes;
    this.shrink(entry);
  }

  /** Marks an entry as just used. */
  touch(entry: E): void {
    if (!this.lru.delete(entry)) return;
    this.lru.add(entry);
  }

  /** Changes an entry's byte estimate (evicting others if it grew past the budget). */
  resize(entry: E, bytes: number): void {
    if (!this.lru.has(entry)) return;
    this.total += bytes - entry.bytes;
    entry.bytes = bytes;
    this.shrink(entry);
  }

  /** Removes an entry (no eviction callback). */
  remove(entry: E): void {
    if (this.lru.delete(entry)) this.total -= entry.bytes;
  }

  /** Entries from least to most recently used. */
  values(): IterableIterator<E> {
    return this.lru.values();
  }

  private shrink(keep: E): void {
    while (this.lru.size > this.maxEntries || this.total > this.maxBytes) {
      const oldest = this.lru.values().next().value as E;
      if (oldest === keep && this.lru.size === 1) return;
      const victim = oldest === keep ? ([...this.lru][1] as E) : oldest;
      this.remove(victim);
      this.onEvict(victim);
    }
  }
}
