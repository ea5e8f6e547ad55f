/**
 * Uplink exchange keys: which uplinks (CoAP peer + message id + token, an HJ 212 QN, …) are already
 * committed, so that a retransmission after a lost ACK or an agent restart is answered without
 * storing it twice.
 *
 * The table `uplink_keys` is an append-only log (ascending ids), so a commit writes one or two
 * pages whatever the keys are. A keyed B-tree put every key on a random page: a group of 64 keys
 * dirtied ~64 pages of WAL, and the key cost ~11 µs of CPU per uplink against ~3 µs appended
 * (scratch measurement, 400,000 keys in groups of 64). Lookups go to an index in memory instead:
 * open-addressing tables of (32-bit fingerprint, row id) in typed arrays (8 bytes a slot, no
 * objects for the garbage collector). A fingerprint match is confirmed by reading the row and
 * comparing the key, so a fingerprint collision or a row rolled back with its transaction never
 * makes a new uplink a duplicate.
 *
 * Keys live in two generations: new keys go to the current one; when it is `windowMs` old it
 * becomes the previous one and the old previous one is forgotten (its rows are deleted by
 * `prune()`), so a key is remembered between one and two windows. A generation holds at most
 * `maxKeys`; a flood that fills it sooner rotates early, shortening the window, and is counted
 * (`uplink_keys_rotated_early`). At open, the keys younger than the window are loaded from the log.
 */
import type Database from 'better-sqlite3';
import type { Counters } from './counters.js';

const MIN_SLOTS = 1024;

/** FNV-1a over UTF-16 code units; 0 is the empty-slot marker, so it maps to 1. */
export function fingerprint(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}

const TWO32 = 4294967296;
/** Fill limit of a generation's table (linear probing stays short below it). */
const MAX_LOAD = 0.7;

/**
 * One generation: fingerprints and row ids (the low 32 bits: a generation's ids span far less than
 * 2^32, so `firstId` restores them), linear probing.
 */
class Generation {
  fps: Uint32Array;
  ids: Uint32Array;
  count = 0;
  /** Lowest row id in this generation. */
  firstId = Infinity;

  constructor(
    readonly startMs: number,
    slots: number,
  ) {
    this.fps = new Uint32Array(slots);
    this.ids = new Uint32Array(slots);
  }

  /** The row id stored in slot `s`. */
  id(s: number): number {
    let delta = this.ids[s]! - (this.firstId % TWO32);
    if (delta < 0) delta += TWO32;
    return this.firstId + delta;
  }

  /** True when one more key would pass the fill limit. */
  full(): boolean {
    return this.count + 1 > this.fps.length * MAX_LOAD;
  }

  put(fp: number, id: number): void {
    const mask = this.fps.length - 1;
    let s = fp & mask;
    while (this.fps[s] !== 0) s = (s + 1) & mask;
    this.fps[s] = fp;
    this.ids[s] = id % TWO32;
    this.count++;
    if (id < this.firstId) this.firstId = id;
  }

  grow(): void {
    const old = { fps: this.fps, ids: this.ids };
    this.fps = new Uint32Array(old.fps.length * 2);
    this.ids = new Uint32Array(old.fps.length * 2);
    this.count = 0;
    for (let s = 0; s < old.fps.length; s++) {
      if (old.fps[s] === 0) continue;
      const mask = this.fps.length - 1;
      let t = old.fps[s]! & mask;
      while (this.fps[t] !== 0) t = (t + 1) & mask;
      this.fps[t] = old.fps[s]!;
      this.ids[t] = old.ids[s]!; // same low bits, same firstId
      this.count++;
    }
  }
}

export interface UplinkKeysOptions {
  /** How long a key is remembered at least (CoAP EXCHANGE_LIFETIME is 247 s). */
  windowMs: number;
  /** Keys per generation before it rotates early (memory: 8 bytes a slot, at most ~23 bytes per key of `maxKeys` per generation, two generations). */
  maxKeys: number;
}

/** Table size (a power of two) that holds `keys` below the fill limit. */
function slotsFor(keys: number): number {
  return Math.max(MIN_SLOTS, 2 ** Math.ceil(Math.log2((keys + 1) / MAX_LOAD)));
}

/** Rows written with an `at_ms` up to this far ahead of the store's clock are still trusted at open. */
const FUTURE_SLACK_MS = 86_400_000;

export class UplinkKeys {
  private current: Generation;
  private previous: Generation | undefined;
  private nextId: number;
  private readonly stmt;

  constructor(
    db: Database.Database,
    private readonly counters: Counters,
    private readonly o: UplinkKeysOptions,
    mono: number,
  ) {
    this.stmt = {
      insert: db.prepare('INSERT INTO uplink_keys (id, key, at_ms) VALUES (?, ?, ?)'),
      key: db.prepare<[number], string>('SELECT key FROM uplink_keys WHERE id = ?').pluck(),
      minId: db.prepare<[], number | null>('SELECT min(id) FROM uplink_keys').pluck(),
      prune: db.prepare('DELETE FROM uplink_keys WHERE id < ?'),
    };
    this.nextId = ((db.prepare('SELECT max(id) FROM uplink_keys').pluck().get() as number | null) ?? 0) + 1;
    // Keys younger than the window (store monotonic clock) form the previous generation, newest first.
    const rows = db
      .prepare<[number, number, number], { id: number; key: string }>(
        'SELECT id, key FROM uplink_keys WHERE at_ms >= ? AND at_ms <= ? ORDER BY id DESC LIMIT ?',
      )
      .all(mono - o.windowMs, mono + FUTURE_SLACK_MS, o.maxKeys);
    if (rows.length > 0) {
      this.previous = new Generation(mono, slotsFor(rows.length));
      for (const r of rows) this.previous.put(fingerprint(r.key), r.id);
    }
    this.current = new Generation(mono, MIN_SLOTS);
  }

  /** Keys remembered now (both generations). */
  get size(): number {
    return this.current.count + (this.previous?.count ?? 0);
  }

  /**
   * Inside the transaction that stores the uplink: records `key` and returns true, or returns false
   * when it is already committed (a retransmission).
   */
  claim(key: string, mono: number): boolean {
    const fp = fingerprint(key);
    if (this.has(this.current, fp, key) || (this.previous !== undefined && this.has(this.previous, fp, key)))
      return false;
    if (mono - this.current.startMs >= this.o.windowMs) this.rotate(mono);
    if (this.current.count >= this.o.maxKeys) {
      this.counters.bump('uplink_keys_rotated_early', 1);
      this.rotate(mono);
    } else if (this.current.full()) this.current.grow();
    const id = this.nextId++;
    this.stmt.insert.run(id, key, mono);
    this.current.put(fp, id);
    return true;
  }

  /** Probes `g` for `fp`; every match is confirmed against the stored key (collisions, rolled-back rows). */
  private has(g: Generation, fp: number, key: string): boolean {
    const { fps } = g;
    const mask = fps.length - 1;
    for (let s = fp & mask; fps[s] !== 0; s = (s + 1) & mask) {
      if (fps[s] === fp && this.stmt.key.get(g.id(s)) === key) return true;
    }
    return false;
  }

  private rotate(mono: number): void {
    this.previous = this.current;
    this.current = new Generation(mono, MIN_SLOTS);
  }

  /**
   * Housekeeping, inside a transaction: rotates by age and deletes the rows of forgotten
   * generations, at most `limit` ids a call (a large backlog is removed over several calls).
   */
  prune(mono: number, limit = 50_000): void {
    if (mono - this.current.startMs >= this.o.windowMs) this.rotate(mono);
    const keepFrom = Math.min(this.previous?.firstId ?? Infinity, this.current.firstId, this.nextId);
    const floor = this.stmt.minId.get();
    if (floor !== null && floor !== undefined && floor < keepFrom)
      this.stmt.prune.run(Math.min(keepFrom, floor + limit));
  }
}
