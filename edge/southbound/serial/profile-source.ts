/**
 * Where the serial and HJ 212 adapters find the firmware profile a device file names
 * (`profile = "vendor/model"`): in the agent, its loaded profiles (the library and the overlay
 * directories, validated, as `yiwang-edge profile test` sees them); with `serial.profile_dir` /
 * `hj212.profile_dir` set, or in tools and tests, a directory of `<vendor>/<model>.toml` files.
 * The adapter then binds the device to that profile (`pin`), so its readings are checked against
 * the profile's [metrics] and raise its [[alarms]].
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseToml, tomlErrorText } from '../../../common/toml-read.js';

export interface FoundProfile {
  id: string;
  /** The profile file, for messages. */
  file: string;
  /** Its [transport.serial] / [transport.hj212] tables. */
  transport: { readonly serial?: unknown; readonly hj212?: unknown };
}

export interface ProfileSource {
  /** The profile `vendor/model`, or why there is none. */
  find(id: string): FoundProfile | { missing: string };
  /** Binds a device's readings to a profile (metric checks, alarms); the agent's ProfileRuntime.pin. */
  pin?(deviceId: string, profileId: string): void;
  /** The profile whose match rules a device with these facts satisfies (HJ 212: `hj212_mn`). */
  match?(facts: { deviceId: string; hj212Mn?: string; serialAddress?: string }): FoundProfile | undefined;
  /** Changes when the profiles are reloaded (cached matches are redone). */
  generation?(): number;
}

export const PROFILE_ID = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** Profiles read from `<dir>/<vendor>/<model>.toml` as written (the adapter validates its slot). */
export function directorySource(dir: string): ProfileSource {
  return {
    find(id) {
      const file = join(dir, `${id}.toml`);
      let doc: Record<string, unknown>;
      try {
        doc = parseToml(readFileSync(file, 'utf8'), file);
      } catch (e) {
        return { missing: `${file}: ${tomlErrorText(e)}` };
      }
      const t = (doc.transport as Record<string, unknown> | undefined) ?? {};
      // Early device files put the binding at the top level ([serial] / [hj212]).
      return { id, file, transport: { serial: t.serial ?? doc.serial, hj212: t.hj212 ?? doc.hj212 } };
    },
  };
}

/** The `[transport.<slot>]` table of profile `id`; `fail` throws the adapter's coded config error. */
export function profileSlot(
  source: ProfileSource,
  id: string,
  slot: 'serial' | 'hj212',
  fail: (detail: string) => never,
): { profile: FoundProfile; spec: unknown } {
  if (!PROFILE_ID.test(id)) fail(`profile ${JSON.stringify(id)} must be "vendor/model"`);
  const p = source.find(id);
  if ('missing' in p) fail(`profile ${id}: ${p.missing}`);
  const spec = p.transport[slot];
  if (spec === undefined) fail(`profile ${id} (${p.file}) has no [transport.${slot}] binding`);
  return { profile: p, spec };
}

/** What runtimeSource needs of the agent's ProfileRuntime (edge/profiles/runtime.ts). */
export interface LoadedProfiles {
  readonly index: {
    readonly byId: { get(id: string): FoundProfile | undefined };
    match(facts: { deviceId: string; hj212Mn?: string; serialAddress?: string }): FoundProfile | undefined;
  };
  readonly errors: readonly { message: string }[];
  readonly generation: number;
  pin(deviceId: string, profileId: string): void;
}

const found = (p: FoundProfile): FoundProfile => ({ id: p.id, file: p.file, transport: p.transport });

/** The agent's loaded profiles (library and overlays, validated) as a ProfileSource. */
export function runtimeSource(r: LoadedProfiles): ProfileSource {
  return {
    find(id) {
      const p = r.index.byId.get(id);
      if (p) return found(p);
      const bad = r.errors.find((e) => e.message.includes(`${id}.toml`));
      return { missing: bad ? `not loaded: ${bad.message}` : 'no such profile in the library or profiles.dirs' };
    },
    pin: (deviceId, profileId) => r.pin(deviceId, profileId),
    match(facts) {
      const p = r.index.match(facts);
      return p ? found(p) : undefined;
    },
    generation: () => r.generation,
  };
}
