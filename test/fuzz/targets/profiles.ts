/**
 * The profile library (firmware-profiles/) for the targets: a ProfileRuntime as the agent runs it
 * (raw CoAP decoding by coap_path) and each profile's test vectors (real uplink bytes) as seeds.
 */
import { join } from 'node:path';
import { silentLogger } from '../../../common/log.js';
import { loadProfileDirs } from '../../../edge/profiles/load.js';
import { ProfileRuntime } from '../../../edge/profiles/runtime.js';
import type { Profile } from '../../../edge/profiles/types.js';
import { REPO_ROOT } from './common.js';
import { PROFILE_BINDINGS } from '../../../edge/profile-bindings.js';

export const LIBRARY = join(REPO_ROOT, 'firmware-profiles');

let runtime: Promise<ProfileRuntime> | undefined;
let loaded: Promise<Profile[]> | undefined;

/** A started ProfileRuntime over the library (no reload timer, events dropped). */
export function profileRuntime(): Promise<ProfileRuntime> {
  runtime ??= (async () => {
    const r = new ProfileRuntime({
      bindings: PROFILE_BINDINGS,
      dirs: [LIBRARY],
      reloadMs: 0,
      events: { raise: () => undefined },
      log: silentLogger(),
    });
    await r.start();
    return r;
  })();
  return runtime;
}

/** The library's profiles, validated. */
export function libraryProfiles(): Promise<Profile[]> {
  loaded ??= loadProfileDirs([LIBRARY], PROFILE_BINDINGS).then((s) => s.profiles);
  return loaded;
}

/** Uplink vectors (bytes) of every profile, with the profile's coap_path when it has one. */
export async function profileUplinks(): Promise<{ profile: string; coapPath?: string; name: string; bytes: Buffer }[]> {
  const out: { profile: string; coapPath?: string; name: string; bytes: Buffer }[] = [];
  for (const p of await libraryProfiles()) {
    for (const v of p.vectors) {
      if (v.hex === undefined || v.command !== undefined) continue;
      out.push({
        profile: p.id,
        ...(p.match.coapPath ? { coapPath: p.match.coapPath } : {}),
        name: v.name,
        bytes: Buffer.from(v.hex, 'hex'),
      });
    }
  }
  return out;
}
