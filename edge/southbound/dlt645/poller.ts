/**
 * DL/T 645 meters on a serial bus: reads of the bound data identifiers, and address discovery by
 * broadcast read (function 0x13 to AA…AA; works when one meter is on the bus). Request frames seen
 * on the line (local echo of half-duplex adapters) are skipped. The reply scanning, item loop and
 * discovery are shared with CJ/T 188 (serial/meter-poll.ts); this file gives the framing and frames.
 */
import type { Dlt645Binding, MeterItemBinding } from '../serial/binding.js';
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
import { decodeControl, scanFrame, type Dlt645Frame } from './frame.js';

export const DLT645_FRAMING: MeterFraming<Dlt645Frame> = {
  label: 'DL/T 645',
  checksumCode: 'DLT645_ERR_CHECKSUM',
  scan: scanFrame,
  fromMeter: (f) => decodeControl(f.control).fromMeter,
};

/** Scans received bytes for the first reply frame; a checksum failure ends the exchange. */
export const dlt645Reply: (rx: Buffer) => ScanVerdict<Dlt645Frame> = meterReplyScanner(DLT645_FRAMING);

export class Dlt645Meter extends PolledMeter<Dlt645Binding> {
  protected async read(item: MeterItemBinding, what: string): Promise<readonly NamedValue[]> {
    const frame = await this.link.exchange(buildReadRequest(this.spec.address, item.di), dlt645Reply, what);
    return decodeReply(what, () => expectReadValues(frame, { address: this.spec.address, di: item.di }));
  }
}

/** Broadcast address read; resolves the one meter's address, or throws SERIAL_ERR_DISCOVERY. */
export function discoverDlt645(ctx: PollContext, link: RawSerialLink): Promise<string> {
  return discoverByBroadcast(ctx, link, buildReadAddressRequest(), DLT645_FRAMING, (f) => {
    const r = decodeResponse(f);
    return r.kind === 'address' ? r.address : undefined;
  });
}
