/**
 * Readings refused one by one, kept for the technician and counted by reason: at the edge where
 * they entered (reading-check.ts, the SenML parser) and by the cloud within a stored batch
 * (BatchAck.quarantined). Refusals of one commit are grouped by device, metric and reason into one
 * entry. The table is bounded in entries and bytes: past either cap the oldest entries are evicted
 * (down to 90 %) and counted; the per-reason counters are never evicted.
 *
 * Counters (Counters, same transaction): quarantined (readings), quarantined_edge, quarantined_cloud,
 * quarantined_by:<CODE>, quarantine_rows, quarantine_bytes (held), quarantine_evicted (entries).
 */
import type Database from 'better-sqlite3';
import type { Counters } from './counters.js';
import { printable, type Refusal } from './reading-check.js';

export const QUARANTINE_DEFAULTS = { maxRows: 10_000, maxBytes: 4 * 2 ** 20 };
const BY = 'quarantined_by:';
const HEADROOM = 0.9;
const MAX_DETAIL_CHARS = 256;
const MAX_NAME_CHARS = 128;
/** Distinct reasons counted by name; more (a cloud inventing codes) are counted under OTHER. */
const MAX_REASONS = 64;
const CODE_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface QuarantineEntry {
  id: number;
  atMs: number;
  source: 'edge' | 'cloud';
  deviceId: string;
  metric: string;
  code: string;
  detail: string;
  count: number;
}

export interface QuarantineStats {
  /** Readings quarantined since the store was created, in total and by reason (error code). */
  readings: number;
  fromEdge: number;
  fromCloud: number;
  byReason: Record<string, number>;
  /** Entries held in the table, their accounted bytes and the caps. */
  entries: number;
  bytes: number;
  capEntries: number;
  capBytes: number;
  /** Entries evicted by the caps (their readings stay counted). */
  evicted: number;
}

export class Quarantine {
  private readonly insert: Database.Statement;
  private readonly oldest: Database.Statement<[number, number], { id: number; size: number }>;
  private readonly drop: Database.Statement;
  private readonly page: Database.Statement<
    [number, number],
    {
      id: number;
      at_ms: number;
      source: 'edge' | 'cloud';
      device: string;
      metric: string;
      code: string;
      detail: string;
      count: number;
    }
  >;

  private readonly reasons = new Set<string>();

  constructor(
    db: Database.Database,
    private readonly counters: Counters,
    private readonly caps = QUARANTINE_DEFAULTS,
  ) {
    for (const name of Object.keys(counters.all())) if (name.startsWith(BY)) this.reasons.add(name.slice(BY.length));
    this.insert = db.prepare(
      'INSERT INTO quarantine (at_ms, source, device, metric, code, detail, count, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.oldest = db.prepare('SELECT id, size FROM quarantine WHERE id > ? ORDER BY id LIMIT ?');
    this.drop = db.prepare('DELETE FROM quarantine WHERE id <= ?');
    this.page = db.prepare(
      'SELECT id, at_ms, source, device, metric, code, detail, count FROM quarantine WHERE id < ? ORDER BY id DESC LIMIT ?',
    );
  }

  /** Inside a transaction: records refusals (grouped by device, metric and code); returns the readings counted. */
  record(source: 'edge' | 'cloud', refused: readonly Refusal[], nowMs = Date.now()): number {
    if (refused.length === 0) return 0;
    const groups = new Map<string, { r: Refusal; count: number }>();
    for (const r of refused) {
      // the cloud reports a refused event (or a whole device block without readings) with count 0
      const n = r.count === undefined ? 1 : Math.max(0, Math.floor(r.count) || 0);
      const key = `${r.deviceId}\u0000${r.metric}\u0000${r.code}`;
      const g = groups.get(key);
      if (g) g.count += n;
      else groups.set(key, { r, count: n });
    }
    let total = 0;
    for (const { r, count } of groups.values()) {
      const device = printable(String(r.deviceId), MAX_NAME_CHARS),
        metric = printable(String(r.metric), MAX_NAME_CHARS);
      const code = this.reason(String(r.code)),
        detail = printable(String(r.detail), MAX_DETAIL_CHARS);
      const size = 64 + device.length + metric.length + code.length + detail.length;
      this.insert.run(nowMs, source, device, metric, code, detail, count, size);
      this.counters.bump('quarantine_rows', 1);
      this.counters.bump('quarantine_bytes', size);
      if (count > 0) this.counters.bump(`${BY}${code}`, count);
      total += count;
    }
    this.counters.bump('quarantined', total);
    this.counters.bump(`quarantined_${source}`, total);
    this.enforceCaps();
    return total;
  }

  private reason(code: string): string {
    const c = CODE_RE.test(code) ? code : 'INVALID_CODE';
    if (this.reasons.has(c)) return c;
    if (this.reasons.size >= MAX_REASONS) return 'OTHER';
    this.reasons.add(c);
    return c;
  }

  private enforceCaps(): void {
    let rows = this.counters.get('quarantine_rows'),
      bytes = this.counters.get('quarantine_bytes');
    if (rows <= this.caps.maxRows && bytes <= this.caps.maxBytes) return;
    const rowGoal = Math.floor(this.caps.maxRows * HEADROOM),
      byteGoal = Math.floor(this.caps.maxBytes * HEADROOM);
    let last = 0,
      n = 0,
      b = 0;
    while (rows > rowGoal || bytes > byteGoal) {
      const chunk = this.oldest.all(last, 256);
      if (chunk.length === 0) break;
      for (const e of chunk) {
        if (rows <= rowGoal && bytes <= byteGoal) break;
        last = e.id;
        rows--;
        bytes -= e.size;
        n++;
        b += e.size;
      }
    }
    if (n === 0) return;
    this.drop.run(last);
    this.counters.bump('quarantine_rows', -n);
    this.counters.bump('quarantine_bytes', -b);
    this.counters.bump('quarantine_evicted', n);
  }

  /** Newest entries first; `before` = an id to page from (exclusive). */
  list(limit: number, before = Number.MAX_SAFE_INTEGER): QuarantineEntry[] {
    return this.page.all(before, Math.max(0, Math.min(limit, 1000))).map((e) => ({
      id: e.id,
      atMs: e.at_ms,
      source: e.source,
      deviceId: e.device,
      metric: e.metric,
      code: e.code,
      detail: e.detail,
      count: e.count,
    }));
  }

  stats(): QuarantineStats {
    const byReason: Record<string, number> = {};
    for (const [name, v] of Object.entries(this.counters.all()))
      if (name.startsWith(BY) && v > 0) byReason[name.slice(BY.length)] = v;
    const c = (k: string): number => this.counters.get(k);
    return {
      readings: c('quarantined'),
      fromEdge: c('quarantined_edge'),
      fromCloud: c('quarantined_cloud'),
      byReason,
      entries: c('quarantine_rows'),
      bytes: c('quarantine_bytes'),
      capEntries: this.caps.maxRows,
      capBytes: this.caps.maxBytes,
      evicted: c('quarantine_evicted'),
    };
  }
}
