/**
 * decode: readings per second out of vendor payloads, three ways, in the same run, on the same
 * payloads — the library profile yiwang-ref/water-meter-cjt188 (CJ/T 188 frames: message type by
 * data identifier, BCD address and volumes, BCD clock, status bits with an enum, sum8, length byte):
 *  - declarative: the profile's [layout] through the layout engine (decodePayload);
 *  - handwritten: a TypeScript decoder written by hand for the same layout, with the same checks;
 *  - sandbox: the same decoder as an escape-hatch script (decodeUplink) in the QuickJS sandbox.
 * Before timing, all three must give the same values for every payload, and reject a bad one.
 * Rounds alternate between the decoders; each figure is the best round.
 *   npm run bench -- decode [--seconds 1] [--rounds 5] [--payloads 1000]
 */
import { deepStrictEqual, throws } from 'node:assert';
import { join } from 'node:path';
import { decodePayload, encodePayload, type Decoded, type LayoutValue } from '../edge/profiles/layout/index.js';
import { decodeInterpreted } from '../edge/profiles/layout/decode.js';
import { loadProfileFile } from '../edge/profiles/load.js';
import { ScriptSandbox } from '../edge/profiles/sandbox.js';
import { LIBRARY_DIR } from '../edge/profiles/tooling.js';
import { argValue, report } from './report.js';
import { PROFILE_BINDINGS } from '../edge/profile-bindings.js';

const args = process.argv.slice(2);
const seconds = Number(argValue(args, '--seconds') ?? 1);
const rounds = Number(argValue(args, '--rounds') ?? 5);
const count = Number(argValue(args, '--payloads') ?? 1000);
const PROFILE = 'yiwang-ref/water-meter-cjt188';

// ---- the hand-written decoder of the same layout ----------------------------------------------

class DecodeError extends Error {}

const VALVE = ['open', 'closed', undefined, 'fault'];

/** BCD digits of b[at..at+n), least significant byte first, as a number. */
function bcdNumber(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at + n - 1; i >= at; i--) {
    const x = b[i]!; // within the length checked by decodeHandwritten
    const hi = x >> 4;
    const lo = x & 15;
    if (hi > 9 || lo > 9) throw new DecodeError(`BCD digit above 9 at byte ${i}`);
    v = v * 100 + hi * 10 + lo;
  }
  return v;
}

const DIGITS = Array.from({ length: 256 }, (_, x) => `${x >> 4}${x & 15}`);

/** The same digits as a string, leading zeros kept. */
function bcdString(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = at + n - 1; i >= at; i--) {
    const x = b[i]!;
    if (x >> 4 > 9 || (x & 15) > 9) throw new DecodeError(`BCD digit above 9 at byte ${i}`);
    s += DIGITS[x];
  }
  return s;
}

function status(b: Uint8Array, at: number, out: LayoutValue[]): void {
  const st = b[at]! | (b[at + 1]! << 8);
  const valve = VALVE[st & 3];
  if (valve === undefined) throw new DecodeError(`valve state ${st & 3} unknown`);
  out.push(
    { name: 'valve', value: valve },
    { name: 'battery_low', value: (st & 4) !== 0 },
    { name: 'reverse_flow', value: (st & 0x100) !== 0 },
    { name: 'tamper', value: (st & 0x200) !== 0 },
  );
}

export function decodeHandwritten(b: Uint8Array): Decoded {
  const len = b.length;
  if (len < 16) throw new DecodeError(`${len} bytes is too short`);
  let sum = 0;
  for (let i = 0; i < len - 2; i++) sum += b[i]!;
  if ((sum & 0xff) !== b[len - 2]) throw new DecodeError('sum8 mismatch');
  if (b[0] !== 0x68 || b[1] !== 0x10 || b[len - 1] !== 0x16) throw new DecodeError('bad frame bytes');
  const address = bcdString(b, 2, 7);
  if (b[10] !== len - 13) throw new DecodeError('length byte disagrees');
  const di = (b[11]! << 8) | b[12]!;
  const out: LayoutValue[] = [{ name: 'address', value: address }];
  if (di === 0x901f) {
    if (len !== 35) throw new DecodeError('meter data is 35 bytes');
    out.push({ name: 'volume', value: bcdNumber(b, 14, 4) / 100, unit: 'm3' });
    if (b[18] !== 0x2c) throw new DecodeError('unit code');
    out.push({ name: 'settlement_volume', value: bcdNumber(b, 19, 4) / 100, unit: 'm3' });
    if (b[23] !== 0x2c) throw new DecodeError('unit code');
    out.push({ name: 'meter_time', value: bcdString(b, 24, 7) });
    status(b, 31, out);
    return { type: 'meter_data', values: out };
  }
  if (di === 0xa017) {
    if (len !== 18) throw new DecodeError('valve reply is 18 bytes');
    status(b, 14, out);
    return { type: 'valve_reply', values: out };
  }
  throw new DecodeError(`data identifier ${di} unknown`);
}

// ---- the same decoder as an escape-hatch script -------------------------------------------------

const SCRIPT = `
var VALVE = ['open', 'closed', undefined, 'fault'];
function bcd(b, at, n, asString) {
  var s = '';
  for (var i = at + n - 1; i >= at; i--) {
    var x = b[i];
    if ((x >> 4) > 9 || (x & 15) > 9) throw new Error('BCD digit above 9 at byte ' + i);
    s += String(x >> 4) + String(x & 15);
  }
  return asString ? s : Number(s);
}
function status(b, at, d) {
  var st = b[at] | (b[at + 1] << 8);
  d.valve = VALVE[st & 3];
  if (d.valve === undefined) throw new Error('valve state unknown');
  d.battery_low = (st & 4) !== 0; d.reverse_flow = (st & 0x100) !== 0; d.tamper = (st & 0x200) !== 0;
}
function decodeUplink(input) {
  var b = input.bytes, len = b.length, sum = 0;
  if (len < 16) return { errors: ['too short'] };
  for (var i = 0; i < len - 2; i++) sum += b[i];
  if ((sum & 255) !== b[len - 2]) return { errors: ['sum8 mismatch'] };
  if (b[0] !== 0x68 || b[1] !== 0x10 || b[len - 1] !== 0x16 || b[10] !== len - 13) return { errors: ['bad frame'] };
  var d = { address: bcd(b, 2, 7, true) };
  var di = (b[11] << 8) | b[12];
  if (di === 0x901F && len === 35 && b[18] === 0x2C && b[23] === 0x2C) {
    d.volume = bcd(b, 14, 4) / 100; d.settlement_volume = bcd(b, 19, 4) / 100; d.meter_time = bcd(b, 24, 7, true);
    status(b, 31, d);
  } else if (di === 0xA017 && len === 18) status(b, 14, d);
  else return { errors: ['unknown data identifier ' + di] };
  return { data: d };
}`;

// ---- payloads -----------------------------------------------------------------------------------

const bcdDigits = (n: number, width: number): string => String(n).padStart(width, '0');

function payloads(layout: NonNullable<Awaited<ReturnType<typeof loadProfileFile>>['layout']>): Uint8Array[] {
  const out: Uint8Array[] = [];
  const valves = ['open', 'closed', 'fault'];
  for (let i = 0; i < count; i++) {
    const head = { address: bcdDigits(10_000_000 + i * 7919, 14), control: i % 10 === 9 ? 0x84 : 0x81, ser: i & 0xff };
    const st = { valve: valves[i % 3]!, battery_low: i % 7 === 0, reverse_flow: i % 11 === 0, tamper: i % 13 === 0 };
    if (i % 10 === 9) out.push(encodePayload(layout, { ...head, di: 0xa017, ...st }, 'valve_reply'));
    else {
      const day = 1 + (i % 28);
      out.push(
        encodePayload(
          layout,
          {
            ...head,
            di: 0x901f,
            ...st,
            volume: (123_456 + i * 37) / 100,
            settlement_volume: (120_000 + i * 31) / 100,
            meter_time: `202611${bcdDigits(day, 2)}${bcdDigits(i % 24, 2)}${bcdDigits(i % 60, 2)}00`,
          },
          'meter_data',
        ),
      );
    }
  }
  return out;
}

// ---- timing -------------------------------------------------------------------------------------

/** Readings per second of decode over the payloads, cycled for `seconds`. */
function measure(decode: (b: Uint8Array) => number, ps: readonly Uint8Array[]): number {
  let readings = 0;
  let i = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let now = t0;
  while (now < end) {
    for (let k = 0; k < 256; k++) {
      readings += decode(ps[i]!);
      i = i + 1 === ps.length ? 0 : i + 1;
    }
    now = performance.now();
  }
  return readings / ((now - t0) / 1000);
}

async function main(): Promise<void> {
  const p = loadProfileFile(join(LIBRARY_DIR, `${PROFILE}.toml`), PROFILE_BINDINGS, LIBRARY_DIR);
  const layout = p.layout;
  if (!layout) throw new Error(`${PROFILE} has no [layout]`);
  const sandbox = await ScriptSandbox.create(
    { file: 'wm188-decode.js', source: SCRIPT, timeoutMs: 50, memoryMb: 16 },
    'bench decode script',
  );
  try {
    const ps = payloads(layout);
    // The three decoders must agree on every payload before they are timed.
    const strip = (vs: readonly LayoutValue[]): { name: string; value: unknown }[] =>
      vs.map((v) => ({ name: v.name, value: v.value }));
    for (const b of ps) {
      const want = decodePayload(layout, b);
      deepStrictEqual(decodeHandwritten(b), want);
      deepStrictEqual(decodeInterpreted(layout, b), want);
      deepStrictEqual(
        strip(sandbox.decodeUplink(b).values).sort((x, y) => x.name.localeCompare(y.name)),
        strip(want.values).sort((x, y) => x.name.localeCompare(y.name)),
      );
    }
    const first = ps[0];
    if (!first) throw new Error('--payloads must be at least 1');
    const bad = Uint8Array.from(first);
    bad[14] = 0x5a; // a BCD digit above 9 …
    bad[bad.length - 2] = (bad[bad.length - 2]! + 0x5a - first[14]!) & 0xff; // … under a correct sum
    throws(() => decodePayload(layout, bad), /PROFILE_ERR_BCD|BCD/);
    throws(() => decodeHandwritten(bad), DecodeError);
    throws(() => sandbox.decodeUplink(bad), /BCD digit above 9/);
    const perMessage = ps.reduce((n, b) => n + decodePayload(layout, b).values.length, 0) / ps.length;

    const best = { declarative: 0, handwritten: 0, interpreted: 0, sandbox: 0 };
    for (let r = 0; r < rounds; r++) {
      best.handwritten = Math.max(
        best.handwritten,
        measure((b) => decodeHandwritten(b).values.length, ps),
      );
      best.declarative = Math.max(
        best.declarative,
        measure((b) => decodePayload(layout, b).values.length, ps),
      );
      best.interpreted = Math.max(
        best.interpreted,
        measure((b) => decodeInterpreted(layout, b).values.length, ps),
      );
      best.sandbox = Math.max(
        best.sandbox,
        measure((b) => sandbox.decodeUplink(b).values.length, ps),
      );
    }
    console.log(
      `payloads=${ps.length} readings_per_message=${perMessage.toFixed(2)} seconds_per_round=${seconds} rounds=${rounds}`,
    );
    console.log(`interpreted_per_s=${Math.round(best.interpreted)} (the layout walked without the generated decoder)`);
    report(
      'decode',
      {
        declarative_per_s: Math.round(best.declarative),
        handwritten_per_s: Math.round(best.handwritten),
        ratio: best.declarative / best.handwritten,
        sandbox_per_s: Math.round(best.sandbox),
      },
      {
        profile: PROFILE,
        payloads: ps.length,
        readingsPerMessage: perMessage,
        interpretedPerS: Math.round(best.interpreted),
        seconds,
        rounds,
      },
    );
  } finally {
    sandbox.dispose();
  }
}

await main();
