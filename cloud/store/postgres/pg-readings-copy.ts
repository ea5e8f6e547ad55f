/**
 * Readings into PostgreSQL with COPY FROM STDIN (pg-copy-streams), text format, inside the
 * caller's transaction. Strings are escaped as COPY's text format wants (backslash, tab, newline,
 * carriage return); PostgreSQL text cannot hold U+0000, so a string value holding one is stored as
 * kind 3 with `\0` for U+0000 and `\\` for a backslash (pgReadingValue reverses it).
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import pgCopy from 'pg-copy-streams';
import type { Reading, ReadingValue } from '../../../proto/reading.js';

export const KIND_NUMBER = 0;
export const KIND_BOOLEAN = 1;
export const KIND_STRING = 2;
/** A string holding U+0000, stored escaped. */
export const KIND_STRING_ESCAPED = 3;

export const COPY_READINGS =
  'COPY readings (device_id, metric, ts, unit, kind, num, str, clock, priority, gateway_id) FROM STDIN';

/** Escapes a value for COPY's text format. */
export function copyText(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] ?? c) : s;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** kind, num and str columns of a value. */
export function pgReadingColumns(v: ReadingValue): { kind: number; num: number | null; str: string | null } {
  if (typeof v === 'number') return { kind: KIND_NUMBER, num: v, str: null };
  if (typeof v === 'boolean') return { kind: KIND_BOOLEAN, num: v ? 1 : 0, str: null };
  if (!v.includes('\u0000')) return { kind: KIND_STRING, num: null, str: v };
  return { kind: KIND_STRING_ESCAPED, num: null, str: v.replace(/\\/g, '\\\\').replace(/\u0000/g, '\\0') };
}

/** The value of stored columns. */
export function pgReadingValue(kind: number, num: number | null, str: string | null): ReadingValue {
  if (kind === KIND_NUMBER) return num as number;
  if (kind === KIND_BOOLEAN) return num === 1;
  if (kind === KIND_STRING_ESCAPED)
    return (str ?? '').replace(/\\(\\|0)/g, (_m, c: string) => (c === '0' ? '\u0000' : '\\'));
  return str ?? '';
}

/** One COPY text line of a reading. */
export function copyLine(r: Reading, gatewayId: string): string {
  const { kind, num, str } = pgReadingColumns(r.value);
  return `${copyText(r.deviceId)}\t${copyText(r.metric)}\t${r.ts}\t${copyText(r.unit)}\t${kind}\t${num === null ? '\\N' : String(num)}\t${str === null ? '\\N' : copyText(str)}\t${r.clock}\t${r.priority}\t${copyText(gatewayId)}\n`;
}

/** Rows per chunk written to the COPY stream. */
const LINES_PER_CHUNK = 2000;

/** Writes the readings (in the order given) with COPY on the transaction's client; resolves when the server has them all. */
export async function copyReadings(
  c: pg.PoolClient,
  rows: Iterable<{ r: Reading; gatewayId: string }>,
): Promise<number> {
  let n = 0;
  function* chunks(): Generator<string> {
    let buf: string[] = [];
    for (const { r, gatewayId } of rows) {
      buf.push(copyLine(r, gatewayId));
      n++;
      if (buf.length >= LINES_PER_CHUNK) {
        yield buf.join('');
        buf = [];
      }
    }
    if (buf.length) yield buf.join('');
  }
  const stream = c.query(pgCopy.from(COPY_READINGS));
  await pipeline(Readable.from(chunks(), { objectMode: false }), stream);
  return n;
}
