/** `yiwang-edge profile decode <profile> --hex …`: every field of a payload, then the readings and events it gives. */
import { PROFILE_BINDINGS } from '../profile-bindings.js';
import type { Command } from 'commander';
import { isYiwangError, YiwangError } from '../../common/errors.js';
import { ClockQuality } from '../../proto/index.js';
import { AlarmEngine } from '../profiles/alarms.js';
import { explainPayload, type Layout } from '../profiles/layout/index.js';
import { fixChecksums, type ChecksumFix } from '../profiles/layout/checksum-fix.js';
import { findProfile, LIBRARY_DIR, sandboxFor } from '../profiles/tooling.js';
import { runInput } from '../profiles/vectors.js';

function checksumLines(layout: Layout, bytes: Uint8Array): string[] {
  let fixes: ChecksumFix[];
  try {
    fixes = fixChecksums(layout, bytes).fixes;
  } catch {
    return [];
  } // too short: the length error says so
  return fixes.map((f) => {
    const state =
      f.bytes === f.was ? `ok, over bytes ${f.from}..${f.to}` : `✗ over bytes ${f.from}..${f.to} it must be ${f.bytes}`;
    return `  ${String(f.at).padStart(3)} +${f.width}  ${f.was.replace(/ /g, '').padEnd(12)} ${f.label.padEnd(24)} ${state}`;
  });
}

export function register(program: Command, parent: Command): void {
  parent
    .command('decode')
    .argument('<profile>', 'a profile file, or a vendor/model id in the profile directories')
    .requiredOption('--hex <bytes>', 'the payload as hex (spaces allowed)')
    .option('--dir <dir...>', 'profile directories for an id (default: the bundled firmware-profiles/)')
    .description('decode one payload with a profile, showing every field with its bytes')
    .action(async (arg: string, o: { hex: string; dir?: string[] }) => {
      const { json } = program.opts<{ json?: boolean }>();
      const hex = o.hex.replace(/\s+/g, '');
      if (!/^([0-9a-fA-F]{2})*$/.test(hex))
        throw new YiwangError('PROFILE_ERR_FORMAT', `--hex must be an even number of hex digits (got "${o.hex}")`);
      const p = await findProfile(arg, o.dir ?? [LIBRARY_DIR], PROFILE_BINDINGS);
      const sandbox = await sandboxFor(p);
      try {
        const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
        const explained = p.layout ? explainPayload(p.layout, bytes) : undefined;
        let result:
          | { readings: { metric: string; value: unknown; unit: string }[]; events: unknown[] }
          | { error: { code: string; message: string } };
        try {
          const out = runInput(
            p,
            sandbox,
            new AlarmEngine(),
            { hex },
            { deviceId: 'cli', ts: Date.now(), clock: ClockQuality.CLOCK_GATEWAY_SYNCED },
          );
          result = {
            readings: out.readings.map((r) => ({ metric: r.metric, value: r.value, unit: r.unit })),
            events: out.events,
          };
        } catch (e) {
          if (!isYiwangError(e)) throw e;
          result = { error: { code: e.code, message: e.message } };
        }
        if (json) {
          if ('error' in result) process.exitCode = 1;
          console.log(
            JSON.stringify(
              { profile: p.id, bytes: bytes.length, ...(explained ? { layout: explained } : {}), ...result },
              null,
              2,
            ),
          );
          return;
        }
        console.log(
          `${p.id}  (${p.vendor} ${p.model}), ${bytes.length} bytes${explained?.type ? `, message "${explained.type}"` : ''}`,
        );
        for (const f of explained?.fields ?? []) {
          const vals = f.values
            .map((v) => `${v.name} = ${JSON.stringify(v.value)}${v.unit ? ` ${v.unit}` : ''}`)
            .join(', ');
          console.log(
            `  ${String(f.at).padStart(3)} +${f.size}  ${f.hex.padEnd(12)} ${f.field.padEnd(24)} ${vals}${f.error ? `  ✗ ${f.error.code}: ${f.error.message}` : ''}`.trimEnd(),
          );
        }
        // The checksum bytes too, with what they must be (the frame's order, ready to type).
        for (const f of p.layout ? checksumLines(p.layout, bytes) : []) console.log(f);
        if ('error' in result) {
          console.log(`error ${result.error.code}: ${result.error.message}`);
          process.exitCode = 1;
          return;
        }
        console.log('readings');
        for (const r of result.readings)
          console.log(`  ${r.metric} = ${JSON.stringify(r.value)}${r.unit ? ` ${r.unit}` : ''}`);
        for (const e of result.events as { type: string; active: boolean; message: string }[])
          console.log(`event ${e.type} ${e.active ? 'raised' : 'cleared'}: ${e.message}`);
      } finally {
        sandbox?.dispose();
      }
    });
}
