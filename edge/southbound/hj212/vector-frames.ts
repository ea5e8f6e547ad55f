/**
 * An HJ 212 profile's test vectors: the bytes of a vector (`text = "##…\r\n"` or `hex`) are one or
 * more complete frames as the instrument sends them over TCP; they are decoded exactly as the
 * server decodes them — frame and CRC checks, segment parsing, the binding's PW / MN checks, data
 * message (2011/2051/2061/2031), then `dataReadings` with the profile's `[transport.hj212]`
 * binding (factor → metric names, statistic and period suffixes, `<…>_flag` readings). Errors are
 * the HJ 212 codes (HJ212_ERR_CRC, HJ212_ERR_LENGTH, HJ212_ERR_PASSWORD, HJ212_ERR_CN …).
 */
import { YiwangError } from '../../../common/errors.js';
import { validateHj212Binding, type Hj212Binding } from './binding.js';
import { Hj212Deframer } from './frame.js';
import { decodeDataMessage, verifyIdentity } from './messages.js';
import { dataReadings } from './readings.js';
import { parseSegment } from './segment.js';

export interface Hj212WireDecoder {
  readonly protocol: 'hj212';
  decode(bytes: Uint8Array): { values: { name: string; value: number | string | boolean; unit?: string }[] };
}

/** Every frame of `bytes` → the values the server would store (device id and time aside). */
export function decodeUploads(
  b: Hj212Binding,
  bytes: Uint8Array,
  utcOffsetMinutes = 480,
): { name: string; value: number | string | boolean; unit?: string }[] {
  const deframer = new Hj212Deframer();
  const events = deframer.push(bytes);
  if (events.length === 0 || deframer.pending > 0)
    throw new YiwangError('HJ212_ERR_LENGTH', `HJ 212: ${deframer.pending} bytes of an incomplete frame`);
  const out: { name: string; value: number | string | boolean; unit?: string }[] = [];
  for (const ev of events) {
    if (ev.type === 'error') throw ev.error;
    const p = parseSegment(ev.frame.segment);
    verifyIdentity(p, { ...(b.pw !== undefined ? { pw: b.pw } : {}), ...(b.mn !== undefined ? { mn: b.mn } : {}) });
    const msg = decodeDataMessage(p, { utcOffsetMinutes });
    for (const r of dataReadings(msg, 'vector', b))
      out.push({ name: r.metric, value: r.value, ...(r.unit ? { unit: r.unit } : {}) });
  }
  return out;
}

/** The decoder a profile with `[transport.hj212]` keeps for its vectors (called by the profile loader). */
export function hj212WireDecoder(spec: unknown, where: string): Hj212WireDecoder {
  const b = validateHj212Binding(spec, where);
  return { protocol: 'hj212', decode: (bytes) => ({ values: decodeUploads(b, bytes) }) };
}
