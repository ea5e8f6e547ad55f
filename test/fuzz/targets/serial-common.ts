/**
 * Shared by the serial meter targets (DL/T 645, CJ/T 188, Modbus): the library profiles' serial
 * bindings as the profile loader builds their wire decoders (edge/southbound/serial/vector-frames.ts),
 * and checksum repair, so that mutated frames also reach the value decoders behind the checksum.
 */
import { meterFrames, type MeterFraming } from '../../../edge/southbound/serial/meter-poll.js';
import { serialWireDecoder, type SerialWireDecoder } from '../../../edge/southbound/serial/vector-frames.js';
import { InvariantError, type Seed } from '../lib/target.js';
import { all } from './common.js';
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
  const ids = new Set(
    (await libraryProfiles())
      .filter((p) => (p.transport.serial as { protocol?: string } | undefined)?.protocol === protocol)
      .map((p) => p.id),
  );
  return (await profileUplinks())
    .filter((v) => ids.has(v.profile))
    .map((v) => ({ name: `profile-${v.profile}-${v.name}`, bytes: v.bytes }));
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
export function repairSum(
  input: Uint8Array,
  lenAt: number,
  overhead: number,
  isStart: (b: Uint8Array, at: number) => boolean,
): Uint8Array | undefined {
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

/** A meter protocol's parsers as the poller and the profile loader drive them (DL/T 645, CJ/T 188). */
export interface MeterParsers {
  scanFrame(buf: Uint8Array): { kind: string; consumed?: number };
  decodeFrame(b: Uint8Array): unknown;
  decodeRequest(b: Uint8Array): unknown;
  /** decodeResponse and, for a data reply, decodeReply(expectReadValues) of its own identifier. */
  asMeter(b: Uint8Array): void;
  /** The poller's reply scanner. */
  reply(rx: Buffer): unknown;
  framing: MeterFraming<unknown>;
  decoders: SerialWireDecoder[];
  /** The input with its first frame's checksum repaired (repairSum), or undefined. */
  repair(input: Uint8Array): Uint8Array | undefined;
}

/** Stream scanning until it waits for more bytes; every step must consume something. */
function scanAll(scanFrame: MeterParsers['scanFrame'], input: Uint8Array): void {
  let buf = input;
  for (let guard = 0; guard <= input.length + 1; guard++) {
    const s = scanFrame(buf);
    if (s.kind === 'partial') return;
    if (s.consumed! <= 0) throw new InvariantError('scanFrame made no progress');
    buf = buf.subarray(s.consumed);
  }
  throw new InvariantError('scanFrame did not finish');
}

/** Runs every consumer of a meter's bytes on `input`, and the value decoders again on its repaired copy. */
export function runMeter(p: MeterParsers, isCoded: (err: unknown) => boolean, input: Uint8Array): undefined {
  const repaired = p.repair(input);
  const steps: (() => unknown)[] = [
    () => scanAll(p.scanFrame, input),
    () => p.decodeFrame(input),
    () => p.decodeRequest(input),
    () => p.asMeter(input),
    () => p.reply(Buffer.from(input)),
    () => meterFrames(input, p.framing),
    ...p.decoders.map((d) => () => d.decode(input)),
  ];
  if (repaired)
    steps.push(
      () => p.asMeter(repaired),
      () => p.decodeRequest(repaired),
      ...p.decoders.map((d) => () => d.decode(repaired)),
    );
  all(isCoded, steps);
  return undefined;
}
