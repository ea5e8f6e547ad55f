/**
 * CJ/T 188 water, heat and gas meters on a serial bus: reads of the bound data identifiers (901F
 * by default) with a per-meter sequence number, and address discovery by broadcast read (function
 * 0x03, DI 810A; one meter per bus). Request frames seen on the line (local echo) are skipped.
 */
import { YiwangError, isYiwangError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { Reading } from '../../../proto/reading.js';
import type { ClockQuality } from '../../../proto/index.js';
import { metricFor, type Cjt188Binding } from '../serial/binding.js';
import { meterError, ReadingFactory, type SerialDeviceSpec } from '../serial/device.js';
import type { RawSerialLink, ScanVerdict } from '../serial/raw-link.js';
import type { PollContext, PolledDevice } from '../serial/scheduler.js';
import { buildReadAddressRequest, buildReadRequest, decodeResponse, expectReadValues } from './codec.js';
import { decodeControl, scanFrame, type Cjt188Frame } from './frame.js';

export function cjt188Reply(rx: Buffer): ScanVerdict<Cjt188Frame> {
  let off = 0;
  for (;;) {
    const s = scanFrame(rx.subarray(off));
    if (s.kind === 'partial') return { kind: 'more' };
    if (s.kind === 'invalid') {
      if (s.error.code === 'CJT188_ERR_CHECKSUM') return { kind: 'error', error: meterError(s.error, 'CJ/T 188 reply') };
      off += s.consumed;
      continue;
    }
    off += s.consumed;
    if (decodeControl(s.frame.control).fromMeter) return { kind: 'done', value: s.frame };
  }
}

export class Cjt188Meter implements PolledDevice {
  readonly id: string;
  readonly priority: number;
  readonly intervalMs: number;
  private readonly readings: ReadingFactory;
  private ser = 0;

  constructor(private readonly spec: SerialDeviceSpec & { binding: Cjt188Binding }, private readonly link: RawSerialLink, clock: () => ClockQuality, private readonly log: Logger) {
    this.id = spec.id;
    this.priority = spec.pollPriority;
    this.intervalMs = spec.intervalMs;
    this.readings = new ReadingFactory(spec, clock);
  }

  async poll(ctx: PollContext): Promise<Reading[]> {
    const out: Reading[] = [];
    const { meterType, items } = this.spec.binding;
    for (const item of items) {
      const what = `${this.id} DI ${item.di}`;
      let values;
      try {
        values = await ctx.request(what, async () => {
          const ser = this.ser = (this.ser + 1) & 0xff;
          const frame = await this.link.exchange(buildReadRequest(meterType, this.spec.address, { di: item.di, ser }), cjt188Reply, what);
          try {
            return expectReadValues(frame, { address: this.spec.address, di: item.di, ser });
          } catch (e) {
            throw meterError(e, what);
          }
        });
      } catch (e) {
        if (isYiwangError(e, 'SERIAL_ERR_REMOTE')) {
          this.log.warn({ deviceId: this.id, code: e.code, err: e.message }, 'data identifier refused');
          continue;
        }
        throw e;
      }
      const ts = Date.now();
      for (const v of values) {
        const metric = metricFor(item, v.name, values.length);
        if (metric) out.push(this.readings.make(metric, v.unit ?? '', v.value, ts));
      }
    }
    return out;
  }
}

/** Broadcast address read for meters of `meterType`; resolves the one meter's address or throws SERIAL_ERR_DISCOVERY. */
export async function discoverCjt188(ctx: PollContext, link: RawSerialLink, meterType: number): Promise<string> {
  return ctx.request('CJ/T 188 address discovery', async () => {
    const rx = await link.collect(buildReadAddressRequest(meterType));
    const found = new Set<string>();
    let bad = 0;
    let off = 0;
    for (;;) {
      const s = scanFrame(rx.subarray(off));
      if (s.kind === 'partial') break;
      off += s.consumed;
      if (s.kind === 'invalid') { bad++; continue; }
      if (!decodeControl(s.frame.control).fromMeter) continue;
      try {
        const r = decodeResponse(s.frame);
        if (r.kind === 'address') found.add(r.address);
      } catch { bad++; }
    }
    if (found.size === 1 && bad === 0) return [...found][0];
    if (found.size === 0 && bad === 0) throw new YiwangError('SERIAL_ERR_DISCOVERY', `${link.path}: no meter answered the broadcast address read`);
    throw new YiwangError('SERIAL_ERR_DISCOVERY', `${link.path}: ${found.size} addresses and ${bad} garbled frames answered the broadcast (several meters on the bus?)`);
  });
}
