/**
 * The one check every reading passes where it enters the store, whatever adapter produced it
 * (docs/reference/limits.md, "Edge: store, readings and files"). A reading that fails it is
 * refused on its own — quarantined with a coded reason — and never reaches a batch, so it can
 * never cost the cloud's acceptance of anyone else's readings:
 *   - ts: a safe integer of milliseconds, ≥ 2000-01-01 (except gateway stamps taken while the gateway
 *     clock is unsynchronised: corrected on sync), < 2100-01-01, and at most one day ahead of the
 *     gateway clock while that clock is synchronised;
 *   - value: a finite number (what the wire's double and scaled-integer columns carry), a boolean, or
 *     text of at most 4,096 characters;
 *   - device id and metric: 1–128 printable ASCII characters without spaces; unit: at most 32
 *     characters, no control characters.
 * Protocol adapters may apply stricter rules of their own first (SenML: senml.ts).
 */
import { ClockQuality } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';

/** 2000-01-01T00:00:00Z: no device of this fleet measured anything before. */
export const MIN_TS_MS = 946_684_800_000;
/** 2100-01-01T00:00:00Z: the ceiling whatever the gateway clock says. */
export const MAX_TS_MS = 4_102_444_800_000;
/** How far ahead of the synchronised gateway clock a device clock may run. */
export const MAX_FUTURE_MS = 86_400_000;
export const MAX_ID_CHARS = 128;
export const MAX_UNIT_CHARS = 32;
export const MAX_TEXT_VALUE_CHARS = 4096;

export type ReadingErrorCode =
  | 'EDGE_ERR_READING_TIME'
  | 'EDGE_ERR_READING_TIME_SCALE'
  | 'EDGE_ERR_READING_VALUE'
  | 'EDGE_ERR_READING_DEVICE'
  | 'EDGE_ERR_READING_NAME';

/** A reading (or a record that could not become one) refused on its own, and why. */
export interface Refusal<C extends string = string> {
  deviceId: string;
  metric: string;
  /** An EDGE_ERR_* code of the edge, or the cloud's code for readings the cloud quarantined. */
  code: C;
  detail: string;
  /** Readings this refusal stands for (1 at the edge; the cloud reports groups). */
  count?: number;
}

export interface CheckContext {
  /** The gateway clock now (ms). */
  now: number;
  /** Whether the gateway clock is synchronised (the future bound applies only then). */
  clockSynced: boolean;
}

const PRINTABLE_ID = /^[\x21-\x7e]+$/;
// C0 controls, DEL and C1 controls (ESC sequences among them)
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A string for logs, lists and the terminal: control characters escaped, cut to `max` characters. */
export function printable(s: string, max = 64): string {
  const cut = s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s;
  return cut.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function idProblem(what: 'device id' | 'metric', s: string): string | undefined {
  if (s.length === 0) return `empty ${what}`;
  if (s.length > MAX_ID_CHARS) return `${what} of ${s.length} characters (at most ${MAX_ID_CHARS})`;
  if (!PRINTABLE_ID.test(s))
    return `${what} ${JSON.stringify(printable(s))} has characters outside printable ASCII (or spaces)`;
  return undefined;
}

/** Why `ts` cannot be a reading's timestamp, or undefined when it can. */
export function timeProblem(ts: number, clock: ClockQuality, ctx: CheckContext): string | undefined {
  if (!Number.isSafeInteger(ts)) return `timestamp ${ts} is not a whole number of milliseconds`;
  if (ts >= MAX_TS_MS) return `timestamp ${ts} is after 2100-01-01`;
  if (ts < (clock === ClockQuality.CLOCK_GATEWAY_UNSYNCED ? 0 : MIN_TS_MS))
    return `timestamp ${ts} is before ${clock === ClockQuality.CLOCK_GATEWAY_UNSYNCED ? '1970' : '2000-01-01'}`;
  if (ctx.clockSynced && ts > ctx.now + MAX_FUTURE_MS)
    return `timestamp ${new Date(ts).toISOString()} is more than a day ahead of the gateway clock`;
  return undefined;
}

function valueProblem(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `value ${v} is not a finite number`;
  if (typeof v === 'boolean') return undefined;
  if (typeof v === 'string')
    return v.length > MAX_TEXT_VALUE_CHARS
      ? `text value of ${v.length} characters (at most ${MAX_TEXT_VALUE_CHARS})`
      : undefined;
  return `value of type ${v === null ? 'null' : typeof v}`;
}

/** The whole check without allocating: it runs for every reading stored. */
function passes(r: Reading, ctx: CheckContext): boolean {
  const d = r.deviceId,
    m = r.metric,
    u = r.unit,
    v = r.value,
    ts = r.ts;
  return (
    typeof d === 'string' &&
    d.length > 0 &&
    d.length <= MAX_ID_CHARS &&
    PRINTABLE_ID.test(d) &&
    typeof m === 'string' &&
    m.length > 0 &&
    m.length <= MAX_ID_CHARS &&
    PRINTABLE_ID.test(m) &&
    typeof u === 'string' &&
    u.length <= MAX_UNIT_CHARS &&
    (u.length === 0 || !CONTROL.test(u)) &&
    (typeof v === 'number'
      ? Number.isFinite(v)
      : typeof v === 'boolean' || (typeof v === 'string' && v.length <= MAX_TEXT_VALUE_CHARS)) &&
    Number.isSafeInteger(ts) &&
    ts < MAX_TS_MS &&
    ts >= (r.clock === ClockQuality.CLOCK_GATEWAY_UNSYNCED ? 0 : MIN_TS_MS) &&
    (!ctx.clockSynced || ts <= ctx.now + MAX_FUTURE_MS)
  );
}

/** The refusal of one reading, or undefined when it may be stored. */
export function checkReading(r: Reading, ctx: CheckContext): Refusal<ReadingErrorCode> | undefined {
  if (passes(r, ctx)) return undefined;
  const refuse = (code: ReadingErrorCode, detail: string): Refusal<ReadingErrorCode> => ({
    deviceId: printable(String(r.deviceId), MAX_ID_CHARS),
    metric: printable(String(r.metric), MAX_ID_CHARS),
    code,
    detail,
  });
  if (typeof r.deviceId !== 'string') return refuse('EDGE_ERR_READING_DEVICE', 'device id is not text');
  const dev = idProblem('device id', r.deviceId);
  if (dev) return refuse('EDGE_ERR_READING_DEVICE', dev);
  if (typeof r.metric !== 'string') return refuse('EDGE_ERR_READING_NAME', 'metric is not text');
  const met = idProblem('metric', r.metric);
  if (met) return refuse('EDGE_ERR_READING_NAME', met);
  if (typeof r.unit !== 'string' || r.unit.length > MAX_UNIT_CHARS || CONTROL.test(r.unit))
    return refuse(
      'EDGE_ERR_READING_NAME',
      `unit ${JSON.stringify(printable(String(r.unit)))} is not text of at most ${MAX_UNIT_CHARS} characters without control characters`,
    );
  const val = valueProblem(r.value);
  if (val) return refuse('EDGE_ERR_READING_VALUE', `${r.metric}: ${val}`);
  const time = timeProblem(r.ts, r.clock, ctx);
  if (time) return refuse('EDGE_ERR_READING_TIME', `${r.metric}: ${time}`);
  // never reached while passes() and the rules above agree (a property test checks it); refuse rather than pass
  return refuse('EDGE_ERR_READING_VALUE', `${r.metric}: fails the entry check`);
}

/** Splits readings into those that may be stored and the refusals of the others. */
export function screenReadings(
  readings: readonly Reading[],
  ctx: CheckContext,
): { valid: Reading[]; refused: Refusal<ReadingErrorCode>[] } {
  let refused: Refusal<ReadingErrorCode>[] | undefined;
  let valid: Reading[] | undefined;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    const bad = checkReading(r, ctx);
    if (bad) {
      refused ??= [];
      valid ??= readings.slice(0, i);
      refused.push(bad);
    } else valid?.push(r);
  }
  // the common case allocates nothing: every reading passes
  return { valid: valid ?? (readings as Reading[]), refused: refused ?? [] };
}

/** A one-line diagnostic for a device whose every reading was refused: the first reason, and how many more. */
export function refusalSummary(refused: readonly Refusal[]): string {
  const first = refused[0];
  if (!first) return 'no readings';
  const more = refused.length - 1;
  return `${first.detail}${more > 0 ? ` (and ${more} more refused)` : ''}`;
}
