/**
 * What the DL/T 645 and CJ/T 188 pollers share (both are 0x68-framed meter protocols with a
 * checksum, read item by item, with a broadcast address read): scanning received bytes for the
 * meter's reply, walking every frame of a byte run, reading the bound items into readings, and
 * address discovery by broadcast. Each protocol supplies its framing (`MeterFraming`).
 */
import { isYiwangError, YiwangError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { ClockQuality } from '../../../proto/index.js';
import type { Reading } from '../../../proto/reading.js';
import { metricFor, type MeterItemBinding } from './binding.js';
import { meterError, ReadingFactory, unlessRefused, type SerialDeviceSpec } from './device.js';
import type { RawSerialLink, ScanVerdict } from './raw-link.js';
import type { PollContext, PolledDevice } from './scheduler.js';

/** The result of a protocol's `scanFrame` (same contract in dlt645/frame.ts and cjt188/frame.ts). */
export type MeterScan<F> =
  | { kind: 'frame'; frame: F; consumed: number }
  | { kind: 'partial'; skip: number }
  | { kind: 'invalid'; error: YiwangError; consumed: number };

export interface MeterFraming<F> {
  /** Protocol name in messages: "DL/T 645". */
  readonly label: string;
  /** The codec's checksum error code (ends the exchange: the reply was garbled, not someone else's). */
  readonly checksumCode: string;
  scan(buf: Uint8Array): MeterScan<F>;
  /** Sent by a meter (not a request, e.g. the local echo of a half-duplex adapter). */
  fromMeter(frame: F): boolean;
}

/** A scanner for RawSerialLink.exchange: the first reply frame from a meter; a checksum failure ends the exchange. */
export function meterReplyScanner<F>(f: MeterFraming<F>): (rx: Buffer) => ScanVerdict<F> {
  return (rx) => {
    let off = 0;
    for (;;) {
      const s = f.scan(rx.subarray(off));
      if (s.kind === 'partial') return { kind: 'more' };
      off += s.consumed;
      if (s.kind === 'invalid') {
        if (s.error.code === f.checksumCode) return { kind: 'error', error: meterError(s.error, `${f.label} reply`) };
        continue;
      }
      if (f.fromMeter(s.frame)) return { kind: 'done', value: s.frame };
    }
  };
}

/** Every complete frame (or framing error) in `bytes`, in order; a trailing incomplete frame is reported by `partial`. */
export function meterFrames<F>(
  bytes: Uint8Array,
  f: MeterFraming<F>,
): { frames: ({ frame: F } | { error: YiwangError })[]; partial: boolean } {
  const frames: ({ frame: F } | { error: YiwangError })[] = [];
  let off = 0;
  for (;;) {
    const s = f.scan(bytes.subarray(off));
    if (s.kind === 'partial') return { frames, partial: bytes.length - off - s.skip > 0 };
    off += s.consumed;
    frames.push(s.kind === 'frame' ? { frame: s.frame } : { error: s.error });
  }
}

export interface NamedValue {
  name: string;
  value: number | string | boolean;
  unit?: string;
}

/** Codec values of one item → readings (or values) named by the item's binding (`metricFor`); unmapped values are dropped. */
export function itemReadings<T>(
  item: MeterItemBinding,
  values: readonly NamedValue[],
  make: (metric: string, v: NamedValue) => T,
): T[] {
  const out: T[] = [];
  for (const v of values) {
    const metric = metricFor(item, v.name, values.length);
    if (metric) out.push(make(metric, v));
  }
  return out;
}

/**
 * Reads every bound item of one meter through `ctx.request` (retries per bus policy). An item the
 * meter refuses (abnormal reply, SERIAL_ERR_REMOTE) is skipped and logged: the meter is alive.
 */
export async function readMeterItems(
  ctx: PollContext,
  o: {
    id: string;
    items: readonly MeterItemBinding[];
    log: Logger;
    readings: ReadingFactory;
    read(item: MeterItemBinding, what: string): Promise<readonly NamedValue[]>;
  },
): Promise<Reading[]> {
  const out: Reading[] = [];
  for (const item of o.items) {
    const what = `${o.id} DI ${item.di}`;
    const values = await unlessRefused(ctx, what, () => o.read(item, what), o.log, o.id, 'data identifier refused');
    if (values === undefined) continue;
    const ts = Date.now();
    out.push(...itemReadings(item, values, (metric, v) => o.readings.make(metric, v.unit ?? '', v.value, ts)));
  }
  return out;
}

/** Decodes a frame with the codec; codec errors become the serial errors that drive retries (meterError). */
export function decodeReply<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    throw meterError(e, what);
  }
}

/**
 * Broadcast address read: sends `request`, collects every answer for the response timeout and
 * resolves the one meter's address. No answer, several addresses or garbled answers (several
 * meters talking at once) → SERIAL_ERR_DISCOVERY.
 */
export async function discoverByBroadcast<F>(
  ctx: PollContext,
  link: RawSerialLink,
  request: Buffer,
  f: MeterFraming<F>,
  addressOf: (frame: F) => string | undefined,
): Promise<string> {
  return ctx
    .request(`${f.label} address discovery`, async () => {
      const rx = await link.collect(request);
      const found = new Set<string>();
      let bad = 0;
      for (const x of meterFrames(rx, f).frames) {
        if ('error' in x) {
          bad++;
          continue;
        }
        if (!f.fromMeter(x.frame)) continue;
        try {
          const a = addressOf(x.frame);
          if (a !== undefined) found.add(a);
        } catch {
          bad++;
        }
      }
      if (found.size === 1 && bad === 0) return [...found][0]!;
      if (found.size === 0 && bad === 0)
        throw new YiwangError('SERIAL_ERR_DISCOVERY', `${link.path}: no meter answered the broadcast address read`);
      throw new YiwangError(
        'SERIAL_ERR_DISCOVERY',
        `${link.path}: ${found.size} addresses and ${bad} garbled frames answered the broadcast (several meters on the bus?)`,
      );
    })
    .catch((e: unknown) => {
      if (isYiwangError(e, 'SERIAL_ERR_TIMEOUT')) throw new YiwangError('SERIAL_ERR_DISCOVERY', e.message);
      throw e;
    });
}

/**
 * A meter polled item by item (DL/T 645, CJ/T 188): the protocol class supplies `read`, one
 * request–reply exchange for one bound item returning the codec's values.
 */
export abstract class PolledMeter<B extends { items: readonly MeterItemBinding[] }> implements PolledDevice {
  readonly id: string;
  readonly priority: number;
  readonly intervalMs: number;
  private readonly readings: ReadingFactory;

  constructor(
    protected readonly spec: SerialDeviceSpec & { binding: B },
    protected readonly link: RawSerialLink,
    clock: () => ClockQuality,
    private readonly log: Logger,
  ) {
    this.id = spec.id;
    this.priority = spec.pollPriority;
    this.intervalMs = spec.intervalMs;
    this.readings = new ReadingFactory(spec, clock);
  }

  poll(ctx: PollContext): Promise<Reading[]> {
    return readMeterItems(ctx, {
      id: this.id,
      items: this.spec.binding.items,
      log: this.log,
      readings: this.readings,
      read: (item, what) => this.read(item, what),
    });
  }

  protected abstract read(item: MeterItemBinding, what: string): Promise<readonly NamedValue[]>;
}
