/**
 * Shared by the serial meter targets (DL/T 645, CJ/T 188, Modbus): the library profiles' serial
 * bindings as the profile loader builds their wire decoders (edge/southbound/serial/vector-frames.ts),
 * and checksum repair, so that mutated frames also reach the value decoders behind the checksum.
 */
import { serialWireDecoder, type SerialWireDecoder } from '../../../edge/southbound/serial/vector-frames.js';
import type { Seed } from '../lib/target.js';
import { libraryProfiles, profileUplinks } from './profiles.js';

/** Wire decoders of the library profiles whose [transport.serial] speaks `protocol`. */
export async function serialDecoders(protocol: string): Promise<SerialWireDecoder[]> {
  const out: SerialWireDecoder[] = [];
  for (const p of await libraryProfiles()) {
    const spec = p.transport.serial as { protocol?: string } | undefined;
    if (spec?.protocol === protocol) out.push(serialWireDecoder(spec, p.id));
  }
  return out;
}

/** Uplink vectors of the profiles speaking `protocol`, as seeds. */
export async function serialProfileSeeds(protocol: string): Promise<Seed[]> {
  const ids = new Set((await libraryProfiles()).filter((p) => (p.transport.serial as { protocol?: string } | undefined)?.protocol === protocol).map((p) => p.id));
  return (await profileUplinks()).filter((v) => ids.has(v.profile)).map((v) => ({ name: `profile-${v.profile}-${v.name}`, bytes: v.bytes }));
}

/** Sum of bytes mod 256. */
export const sum8 = (b: Uint8Array, from: number, to: number): number => {
  let s = 0;
  for (let i = from; i < to; i++) s = (s + b[i]!) & 0xff;
  return s;
};

/**
 * A copy of `input` whose first frame (0x68 at `at`, length byte at `at + lenAt`, `overhead` bytes
 * around the data) carries a correct sum8 checksum and end byte; undefined when no frame fits.
 */
export function repairSum(input: Uint8Array, lenAt: number, overhead: number, isStart: (b: Uint8Array, at: number) => boolean): Uint8Array | undefined {
  for (let at = input.indexOf(0x68); at >= 0 && at + lenAt < input.length; at = input.indexOf(0x68, at + 1)) {
    if (!isStart(input, at)) continue;
    const end = at + overhead + input[at + lenAt]!;
    if (end > input.length) return undefined;
    const out = Uint8Array.from(input);
    out[end - 2] = sum8(out, at, end - 2);
    out[end - 1] = 0x16;
    return out;
  }
  return undefined;
}
