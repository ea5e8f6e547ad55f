/**
 * The demo's replay clock (scripts/sim/replay-clock.ts): a recorded hourly series replayed at the
 * current time — shifted by whole days (intervals, hours of the day and season kept), history first
 * at the replay speed, then live — so no station shows readings from 2013.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import { DEFAULT_BEIJING_DIR, loadStationFile } from '../../../scripts/beijing.js';
import { DAY_MS, HOUR_MS, ReplayCursor, planReplay, replay } from '../../../scripts/sim/replay-clock.js';

const BEIJING = 8 * HOUR_MS;
/** Hourly rows from 2013-03-01 00:00 Beijing time, `n` of them, value = index. */
const hourly = (n: number, from = Date.UTC(2013, 2, 1) - BEIJING): { ts: number; v: number }[] =>
  Array.from({ length: n }, (_, i) => ({ ts: from + i * HOUR_MS, v: i }));
const beijingHour = (ts: number): number => new Date(ts + BEIJING).getUTCHours();

t.test('the plan: whole days, the same hour and day of the year, history before now', async (t) => {
  const rows = hourly(4 * 365 * 24);
  const now = Date.UTC(2026, 11, 6, 21, 7, 30); // 2026-12-07 05:07:30 Beijing time
  const plan = planReplay(rows, now, 48 * HOUR_MS);
  const first = rows[plan.start]!.ts + plan.shiftMs;
  t.equal(plan.shiftMs % DAY_MS, 0, 'shifted by whole days');
  t.equal(first, Date.UTC(2026, 11, 4, 21), 'starts 48 h before now, on the hour');
  t.equal(beijingHour(rows[plan.start]!.ts), beijingHour(first), "the row's hour of the day is kept");
  const d = new Date(rows[plan.start]!.ts + BEIJING);
  t.same(
    [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()],
    [2016, 12, 5],
    'the same day of the year, in the latest year that has it',
  );

  const twoYears = hourly(2 * 365 * 24); // 2013-03-01 … 2015-02-28: no 29 February
  const leap = planReplay(twoYears, Date.UTC(2028, 1, 29, 12) + 48 * HOUR_MS, 48 * HOUR_MS);
  t.equal(leap.shiftMs % DAY_MS, 0, '29 February, in no year of the rows: another day, still whole days');
  t.equal(beijingHour(twoYears[leap.start]!.ts), beijingHour(Date.UTC(2028, 1, 29, 12)), 'and the same hour');
  const short = planReplay(hourly(5), now, HOUR_MS);
  t.equal(short.shiftMs % DAY_MS, 0, 'fewer rows than a day: a row of the same hour is used when there is one');
  const odd = planReplay([{ ts: 1_000 }, { ts: 1_000 + 30 * 60_000 }], now, 0);
  t.same(
    odd,
    { start: 0, shiftMs: Math.floor(now / HOUR_MS) * HOUR_MS - 1_000 },
    'rows off the hour: the first row, at this hour',
  );
});

t.test('the cursor keeps the intervals and wraps around with time running on, on the same hours', async (t) => {
  const rows = hourly(30); // 30 h of data: the cycle is 2 days
  const c = new ReplayCursor(rows, { start: 28, shiftMs: 10 * DAY_MS });
  const seen: { v: number; ts: number }[] = [];
  for (let i = 0; i < 4; i++) {
    const p = c.peek();
    seen.push({ v: p.row.v, ts: p.ts });
    c.advance();
  }
  t.same(
    seen.map((x) => x.v),
    [28, 29, 0, 1],
  );
  t.equal(seen[1]!.ts - seen[0]!.ts, HOUR_MS);
  t.ok(seen[2]!.ts > seen[1]!.ts, 'time runs on across the wrap');
  t.equal((seen[2]!.ts - rows[0]!.ts) % DAY_MS, 0, 'the wrapped rows keep their hour of the day');
  t.equal(seen[3]!.ts - seen[2]!.ts, HOUR_MS);
});

/** A fake clock: sleeping moves it on. */
function clock(start: number): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

t.test('replay: history at the replay speed up to now, then each row at its time', async (t) => {
  const rows = hourly(24 * 40);
  const start = Date.UTC(2026, 11, 6, 21, 7, 30);
  const c = clock(start);
  const plan = planReplay(rows, start, 5 * HOUR_MS);
  const sent: { v: number; ts: number; at: number }[] = [];
  await replay({
    rows,
    plan,
    paceMs: 250,
    latestOnly: false,
    stopped: () => sent.length >= 8,
    now: c.now,
    sleep: c.sleep,
    send: async (row, ts) => {
      sent.push({ v: row.v, ts, at: c.now() });
    },
  });
  const first = Date.UTC(2026, 11, 6, 16);
  t.same(
    sent.slice(0, 6).map((s) => s.ts),
    [0, 1, 2, 3, 4, 5].map((i) => first + i * HOUR_MS),
    'the last 5 h and the current hour, an hour apart',
  );
  t.same(
    sent.slice(0, 6).map((s) => s.at - start),
    [0, 250, 500, 750, 1000, 1250],
    'sent one every 250 ms',
  );
  t.ok(
    sent.slice(0, 6).every((s) => s.ts <= s.at),
    'none in the future',
  );
  t.equal(sent[6]!.ts, Date.UTC(2026, 11, 6, 22), 'then live: the next hour …');
  t.ok(sent[6]!.at >= sent[6]!.ts && sent[6]!.at - sent[6]!.ts < 1000, '… sent when it comes');
  t.same(
    sent
      .map((s) => s.v)
      .slice(1)
      .map((v, i) => v - sent[i]!.v),
    [1, 1, 1, 1, 1, 1, 1],
    'consecutive rows, none skipped',
  );
  t.ok(
    sent.every((s) => beijingHour(s.ts) === beijingHour(rows[s.v]!.ts)),
    'each row at its hour of the day',
  );
});

t.test("replay for a device without a clock: the current hour's row, then live; no history", async (t) => {
  const rows = hourly(24 * 40);
  const start = Date.UTC(2026, 11, 6, 21, 7, 30);
  const c = clock(start);
  const sent: { ts: number; at: number }[] = [];
  await replay({
    rows,
    plan: planReplay(rows, start, 5 * HOUR_MS),
    paceMs: 250,
    latestOnly: true,
    stopped: () => sent.length >= 2,
    now: c.now,
    sleep: c.sleep,
    send: async (_row, ts) => {
      sent.push({ ts, at: c.now() });
    },
  });
  t.same(
    sent.map((s) => s.ts),
    [Date.UTC(2026, 11, 6, 21), Date.UTC(2026, 11, 6, 22)],
  );
  t.equal(sent[0]!.at, start, 'at once');
});

t.test(
  "the Beijing stations replayed now: no reading from 2013, the data's hours kept",
  { skip: !existsSync(DEFAULT_BEIJING_DIR) && 'no ../shared/datasets/beijing-air' },
  async (t) => {
    const st = loadStationFile(`${DEFAULT_BEIJING_DIR}/PRSA_Data_Dongsi_20130301-20170228.csv`);
    const now = Date.now();
    const plan = planReplay(st.rows, now, 48 * HOUR_MS);
    const c = new ReplayCursor(st.rows, plan);
    for (let i = 0; i < 49; i++) {
      const { row, ts } = c.peek();
      t.ok(ts > now - 49 * HOUR_MS && ts <= now, `row ${plan.start + i} within the last 48 h`);
      t.equal(beijingHour(ts), beijingHour(row.ts));
      c.advance();
    }
    t.ok(c.peek().ts > now, 'the next row is due in the future');
  },
);
