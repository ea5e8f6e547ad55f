/**
 * Replaying a recorded series (the Beijing stations, hourly since 2013) as if it were happening now.
 * The series is shifted by a whole number of days, so every row keeps its interval to the next and its
 * hour of the day (the diurnal pattern: rush-hour NO2, afternoon O3), and by preference its day of
 * the year (the season). The replay starts `historyMs` before now: rows whose shifted time has passed
 * are history, sent at once (the demo paces them); the rest are sent when their time comes, live. At
 * the end of the data it wraps to the first row, shifted on by the data's span in whole days.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface TimedRow {
  ts: number;
}

/** Where the replay starts and by how much the series is shifted (a multiple of a day). */
export interface ReplayPlan {
  start: number;
  shiftMs: number;
}

/** Month and day of a time in the data's zone (`zoneMs` east of UTC; Beijing: +8 h). */
function monthDay(ts: number, zoneMs: number): string {
  const d = new Date(ts + zoneMs);
  return `${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
}

/**
 * The row that falls at `nowMs - historyMs` (the hour it is in) once the series is shifted by whole
 * days: the latest row of the same day of the year and hour; else (29 February, gaps) the latest row
 * of the same hour; else (data not on the hour) the first row, shifted to that time.
 */
export function planReplay(
  rows: readonly TimedRow[],
  nowMs: number,
  historyMs: number,
  zoneMs = 8 * HOUR_MS,
): ReplayPlan {
  if (rows.length === 0) throw new Error('no rows to replay');
  const first = Math.floor((nowMs - historyMs) / HOUR_MS) * HOUR_MS;
  const want = monthDay(first, zoneMs);
  let sameHour = -1;
  for (let i = rows.length - 1; i >= 0; i--) {
    if ((first - rows[i]!.ts) % DAY_MS !== 0) continue; // not whole days away: another hour of the day
    if (monthDay(rows[i]!.ts, zoneMs) === want) return { start: i, shiftMs: first - rows[i]!.ts };
    if (sameHour < 0) sameHour = i;
  }
  if (sameHour >= 0) return { start: sameHour, shiftMs: first - rows[sameHour]!.ts };
  return { start: 0, shiftMs: first - rows[0]!.ts };
}

/** Walks the rows from the plan's start, each with its shifted time; wraps around with the time running on. */
export class ReplayCursor<R extends TimedRow> {
  private i: number;
  private shift: number;
  /** The data's span rounded up to whole days, one interval after the last row (the wrap keeps the hour of day). */
  private readonly cycleMs: number;

  constructor(
    private readonly rows: readonly R[],
    plan: ReplayPlan,
  ) {
    this.i = plan.start;
    this.shift = plan.shiftMs;
    const step = rows.length > 1 ? rows[1]!.ts - rows[0]!.ts : HOUR_MS;
    this.cycleMs = Math.max(1, Math.ceil((rows[rows.length - 1]!.ts - rows[0]!.ts + step) / DAY_MS)) * DAY_MS;
  }

  /** The next row and the time it is replayed at (ms since the epoch). */
  peek(): { row: R; ts: number } {
    const row = this.rows[this.i]!;
    return { row, ts: row.ts + this.shift };
  }

  advance(): void {
    this.i++;
    if (this.i >= this.rows.length) {
      this.i = 0;
      this.shift += this.cycleMs;
    }
  }
}

export interface ReplayOptions<R extends TimedRow> {
  rows: readonly R[];
  plan: ReplayPlan;
  /** Pause between history rows: the replay speed until it reaches now. */
  paceMs: number;
  /**
   * A device without a clock (the gateway stamps its readings on arrival) sends no history: only the
   * row due now, then each row when its time comes.
   */
  latestOnly: boolean;
  stopped(): boolean;
  /** Sends one row with the time it is replayed at. */
  send(row: R, ts: number): Promise<void>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Replays rows until stopped: history paced by `paceMs`, then live (each row at its shifted time). */
export async function replay<R extends TimedRow>(o: ReplayOptions<R>): Promise<void> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const cursor = new ReplayCursor(o.rows, o.plan);
  while (!o.stopped()) {
    const { row, ts } = cursor.peek();
    const t = now();
    if (ts > t) {
      await sleep(Math.min(ts - t, 1000));
      continue;
    } // live: wait for the row's time (checking for stop)
    cursor.advance();
    if (o.latestOnly && cursor.peek().ts <= t) continue; // history a clockless device cannot date
    await o.send(row, ts);
    if (cursor.peek().ts <= t) await sleep(Math.max(0, o.paceMs - (now() - t))); // more history: one row per paceMs
  }
}
