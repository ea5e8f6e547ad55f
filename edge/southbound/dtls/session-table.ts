/**
 * The bounded table of DTLS associations: handshakes in progress and established sessions, each
 * by peer address (`address|port`), together at most `maxEntries` entries and `maxBytes`
 * estimated bytes. The sessions map is itself the recency order (least recently used first: a
 * touch moves a session to the end), so a session costs one map entry. When a bound is exceeded
 * handshakes in progress go first (oldest first), then the least recently used sessions: a flood
 * of half-open handshakes pushes out other handshakes, not established sessions. CIDs are looked
 * up by the server (slots, server.ts); this table orders and bounds.
 */
export interface TableEntry {
  /** The peer address key (`address|port`); change it only through `rekey`. */
  key: string;
  /** Estimated bytes the entry holds (updated with `resize`). */
  bytes: number;
}

export class SessionTable<E extends TableEntry> {
  /** Established sessions, least recently used first. */
  private readonly established = new Map<string, E>();
  /** Handshakes in progress, oldest first. */
  private readonly pending = new Map<string, E>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    /** Called for an entry removed to make room (it is no longer in the table). */
    private readonly onEvict: (entry: E) => void,
  ) {}

  get size(): number {
    return this.established.size + this.pending.size;
  }

  get bytes(): number {
    return this.total;
  }

  get sessionCount(): number {
    return this.established.size;
  }

  get handshakeCount(): number {
    return this.pending.size;
  }

  session(key: string): E | undefined {
    return this.established.get(key);
  }

  handshake(key: string): E | undefined {
    return this.pending.get(key);
  }

  /** Sessions from least to most recently used. */
  sessions(): IterableIterator<E> {
    return this.established.values();
  }

  /** Handshakes in progress from oldest to newest. */
  handshakes(): IterableIterator<E> {
    return this.pending.values();
  }

  /** Adds a handshake in progress (none may be at its key), making room as needed. */
  addHandshake(entry: E): void {
    this.pending.set(entry.key, entry);
    this.total += entry.bytes;
    this.shrink(entry);
  }

  /** Moves a handshake to the sessions as the most recently used (no session may be at its key). */
  establish(entry: E): void {
    if (this.pending.get(entry.key) !== entry) return;
    this.pending.delete(entry.key);
    this.established.set(entry.key, entry);
  }

  /** Marks a session as just used. */
  touch(entry: E): void {
    if (this.established.get(entry.key) !== entry) return;
    this.established.delete(entry.key);
    this.established.set(entry.key, entry);
  }

  /** Moves a session to another key (no session may be there) as the most recently used. */
  rekey(entry: E, key: string): void {
    if (this.established.get(entry.key) !== entry) return;
    this.established.delete(entry.key);
    entry.key = key;
    this.established.set(key, entry);
  }

  /** Changes an entry's byte estimate (making room if it grew past the budget). */
  resize(entry: E, bytes: number): void {
    if (!this.has(entry)) return;
    this.total += bytes - entry.bytes;
    entry.bytes = bytes;
    this.shrink(entry);
  }

  has(entry: E): boolean {
    return this.established.get(entry.key) === entry || this.pending.get(entry.key) === entry;
  }

  /** Removes an entry (no eviction callback). */
  remove(entry: E): void {
    if (this.established.get(entry.key) === entry) this.established.delete(entry.key);
    else if (this.pending.get(entry.key) === entry) this.pending.delete(entry.key);
    else return;
    this.total -= entry.bytes;
  }

  private shrink(keep: E): void {
    while (this.size > this.maxEntries || this.total > this.maxBytes) {
      const victim = this.oldest(this.pending, keep) ?? this.oldest(this.established, keep);
      if (victim === undefined) return; // only `keep` is left
      this.remove(victim);
      this.onEvict(victim);
    }
  }

  private oldest(map: Map<string, E>, except: E): E | undefined {
    for (const e of map.values()) if (e !== except) return e;
    return undefined;
  }
}
