/**
 * CJ/T 188 water, heat and gas meters on a serial bus: reads of the bound data identifiers (901F
 * by default) with a per-meter sequence number, and address discovery by broadcast read (function
 * 0x03, DI 810A; one meter per bus). Request frames seen on the line (local echo) are skipped.
 * The reply scanning, item loop and discovery are shared with DL/T 645 (serial/meter-poll.ts);
 * this file gives the framing and frames.
 */
import type { Cjt188Binding, MeterItemBinding } from '../serial/binding.js';
import {
  decodeReply,
  discoverByBroadcast,
  meterReplyScanner,
  PolledMeter,
  type MeterFraming,
  type NamedValue,
} from '../serial/meter-poll.js';
import type { RawSerialLink, ScanVerdict } from '../serial/raw-link.js';
import type { PollContext } from '../serial/scheduler.js';
import { buildReadAddressRequest, buildReadRequest, decodeResponse, expectReadValues } from './codec.js';
import { decodeControl, scanFrame, type Cjt188Frame } from './frame.js';

export const CJT188_FRAMING: MeterFraming<Cjt188Frame> = {
  label: 'CJ/T 188',
  checksumCode: 'CJT188_ERR_CHECKSUM',
  scan: scanFrame,
  fromMeter: (f) => decodeControl(f.control).fromMeter,
};

export const cjt188Reply: (rx: Buffer) => ScanVerdict<Cjt188Frame> = meterReplyScanner(CJT188_FRAMING);

export class Cjt188Meter extends PolledMeter<Cjt188Binding> {
  private ser = 0;

  protected async read(item: MeterItemBinding, what: string): Promise<readonly NamedValue[]> {
    this.ser = (this.ser + 1) & 0xff;
    const ser = this.ser;
    const frame = await this.link.exchange(
      buildReadRequest(this.spec.binding.meterType, this.spec.address, { di: item.di, ser }),
      cjt188Reply,
      what,
    );
    return decodeReply(what, () => expectReadValues(frame, { address: this.spec.address, di: item.di, ser }));
  }
}

/** Broadcast address read for meters of `meterType`; resolves the one meter's address or throws SERIAL_ERR_DISCOVERY. */
export function discoverCjt188(ctx: PollContext, link: RawSerialLink, meterType: number): Promise<string> {
  return discoverByBroadcast(ctx, link, buildReadAddressRequest(meterType), CJT188_FRAMING, (f) => {
    const r = decodeResponse(f);
    return r.kind === 'address' ? r.address : undefined;
  });
}
