/**
 * Runs a profile's test vectors, in file order against one simulated device (so alarm vectors can
 * raise and then clear; `reset = true` starts a vector with a fresh alarm state). Every failure
 * names the vector and the field that differs.
 */
import { isYiwangError } from '../../common/errors.js';
import { ClockQuality, pb, type Event } from '../../proto/index.js';
import type { Reading } from '../../proto/reading.js';
import { AlarmEngine } from './alarms.js';
import { encodeCommand } from './commands.js';
import { fixChecksums } from './layout/checksum-fix.js';
import type { Layout } from './layout/index.js';
import { checkReadings, decodeValues, valuesToReadings, type DecodeContext } from './readings.js';
import type { ScriptSandbox } from './sandbox.js';
import type { Profile, ScalarValue, Vector } from './types.js';

export interface VectorResult {
  vector: string;
  index: number;
  ok: boolean;
  problems: string[];
}

const SEVERITY_NAMES = ['info', 'warning', 'critical'];

export function vectorLabel(p: Profile, v: Vector): string {
  return `${p.file} vector ${v.name === `#${v.index + 1}` ? v.name : `"${v.name}" (#${v.index + 1})`}`;
}

/** readings and events of one input (hex or LwM2M values), as the agent would produce them. */
export function runInput(
  p: Profile,
  sandbox: ScriptSandbox | undefined,
  alarms: AlarmEngine,
  input: { hex?: string; lwm2m?: Readonly<Record<string, ScalarValue>> },
  ctx: DecodeContext,
): { readings: Reading[]; events: Event[] } {
  let raw: Reading[];
  if (input.hex !== undefined) {
    const decoded = decodeValues(p, sandbox, Uint8Array.from(Buffer.from(input.hex, 'hex')));
    raw = valuesToReadings(p, decoded.values, ctx);
  } else {
    raw = Object.entries(input.lwm2m ?? {}).map(([path, value]) => {
      const m = [...p.metrics.values()].find((d) => d.lwm2m === path);
      return {
        deviceId: ctx.deviceId,
        metric: m?.name ?? path,
        unit: '',
        ts: ctx.ts,
        value,
        clock: ctx.clock,
        priority: 0,
      };
    });
  }
  const events: Event[] = [];
  const readings = checkReadings(p, raw, ctx, events);
  alarms.evaluate(p, readings, ctx, events);
  return { readings, events };
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function compareReadings(
  want: Readonly<Record<string, ScalarValue>>,
  got: readonly Reading[],
  problems: string[],
): void {
  const have = new Map(got.map((r) => [r.metric, r.value]));
  for (const [k, w] of Object.entries(want)) {
    if (!have.has(k)) {
      problems.push(
        `reading ${k}: missing (expected ${show(w)}; got ${got.map((r) => r.metric).join(', ') || 'no readings'})`,
      );
      continue;
    }
    const g = have.get(k)!;
    const same =
      typeof w === 'number' && typeof g === 'number' ? Math.abs(w - g) <= 1e-9 * Math.max(1, Math.abs(w)) : w === g;
    if (!same) problems.push(`reading ${k}: got ${show(g)}, expected ${show(w)}`);
  }
  for (const r of got)
    if (!(r.metric in want)) problems.push(`reading ${r.metric}: got ${show(r.value)}, not expected by the vector`);
}

function compareEvents(v: Vector, got: readonly Event[], problems: string[]): void {
  const want = v.events ?? [];
  const fmt = (e: Event): string => `${e.type ?? ''}${e.active ? ' (raised)' : ' (cleared)'}`;
  if (want.length !== got.length) {
    problems.push(
      `events: got ${got.length} [${got.map(fmt).join(', ')}], expected ${want.length} [${want.map((e) => `${e.type}${e.active === false ? ' (cleared)' : ''}`).join(', ')}]`,
    );
    return;
  }
  want.forEach((w, i) => {
    const g = got[i]!; // as many as want (checked above)
    if (g.type !== w.type) problems.push(`events[${i}].type: got ${show(g.type)}, expected ${show(w.type)}`);
    if (w.active !== undefined && Boolean(g.active) !== w.active)
      problems.push(`events[${i}].active: got ${String(Boolean(g.active))}, expected ${String(w.active)}`);
    if (w.severity !== undefined && SEVERITY_NAMES[Number(g.severity ?? pb.Event.Severity.INFO)] !== w.severity)
      problems.push(`events[${i}].severity: got ${SEVERITY_NAMES[Number(g.severity)]}, expected ${w.severity}`);
  });
}

/** The vector's bytes with the layout's checksums written, ready to paste (a vector failing on its checksum). */
function withChecksums(layout: Layout, hex: string): string[] {
  try {
    const { bytes } = fixChecksums(layout, Buffer.from(hex, 'hex'));
    return [`with the checksum the layout computes: hex = "${Buffer.from(bytes).toString('hex').toUpperCase()}"`];
  } catch {
    return [];
  }
}

/** Why a vector meant to fail its checksum passes it: each checksum the frame satisfies. */
function checksumPasses(layout: Layout, hex: string): string[] {
  try {
    const { fixes } = fixChecksums(layout, Buffer.from(hex, 'hex'));
    return fixes.map((f) => {
      const where = f.width === 1 ? `byte ${f.at} carries it` : `bytes ${f.at}..${f.at + f.width - 1} carry it`;
      const moved = f.fromEnd
        ? `; the layout reads it from the last ${f.width === 1 ? 'byte' : `${f.width} bytes`}, so a byte appended to a good frame can still pass`
        : '';
      return `the frame passes its ${f.label}: over bytes ${f.from}..${f.to} it is ${f.bytes}, and ${where}${moved} (for a bad frame, change a byte the checksum covers)`;
    });
  } catch {
    return [];
  }
}

export function runVectors(p: Profile, sandbox: ScriptSandbox | undefined): VectorResult[] {
  const alarms = new AlarmEngine();
  const results: VectorResult[] = [];
  for (const v of p.vectors) {
    if (v.reset) alarms.reset();
    const problems: string[] = [];
    const ctx: DecodeContext = {
      deviceId: 'vector-device',
      ts: 1_700_000_000_000 + v.index * 1000,
      clock: ClockQuality.CLOCK_GATEWAY_SYNCED,
    };
    try {
      if (v.command !== undefined) {
        const got = Buffer.from(encodeCommand(p, sandbox, v.command, v.params ?? {}))
          .toString('hex')
          .toUpperCase();
        if (v.error !== undefined) problems.push(`error: expected ${v.error}, the command encoded to ${got}`);
        else if (v.hex !== undefined && got !== v.hex) problems.push(`bytes: got ${got}, expected ${v.hex}`);
      } else {
        const out = runInput(p, sandbox, alarms, v, ctx);
        if (v.error !== undefined) {
          problems.push(
            `error: expected ${v.error}, got readings ${out.readings.map((r) => `${r.metric}=${show(r.value)}`).join(', ') || '(none)'}`,
          );
          if (v.error === 'PROFILE_ERR_CHECKSUM' && p.layout && v.hex !== undefined)
            problems.push(...checksumPasses(p.layout, v.hex));
        } else {
          compareReadings(v.readings ?? {}, out.readings, problems);
          if (v.events !== undefined || out.events.length > 0) compareEvents(v, out.events, problems);
        }
      }
    } catch (e) {
      const code = isYiwangError(e) ? e.code : 'exception';
      const msg = (e as Error).message;
      if (v.error === undefined) problems.push(`error: ${code}: ${msg}`);
      else if (v.error !== code) problems.push(`error: got ${code} (${msg}), expected ${v.error}`);
      if (code === 'PROFILE_ERR_CHECKSUM' && v.error !== code && p.layout && v.hex !== undefined)
        problems.push(...withChecksums(p.layout, v.hex));
      else if (v.errorMatch !== undefined && !msg.includes(v.errorMatch))
        problems.push(`error message: "${msg}" does not contain "${v.errorMatch}"`);
    }
    results.push({ vector: vectorLabel(p, v), index: v.index, ok: problems.length === 0, problems });
  }
  return results;
}
