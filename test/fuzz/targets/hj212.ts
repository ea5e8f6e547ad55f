/**
 * HJ 212 as an instrument connection handles it (edge/southbound/hj212/connection.ts): the TCP
 * byte stream through the deframer (chunked as the input's own bytes say), every frame's segment
 * through parseSegment, verifyIdentity, decodeDataMessage and dataReadings (with the binding of
 * the library's HJ 212 profile and without), and the reply it would send. The same input also
 * goes in as one frame (decodePacket) and as a bare data segment (parseSegment), so that mutations
 * reach the segment parser without first breaking the frame's CRC. Round trip: random segments,
 * encodeSegment → encodeFrame → decodePacket.
 */
import fc from 'fast-check';
import { encodeFrame, Hj212Deframer } from '../../../edge/southbound/hj212/frame.js';
import { validateHj212Binding, type Hj212Binding } from '../../../edge/southbound/hj212/binding.js';
import { decodeDataMessage, HJ212_DATA_CN, verifyIdentity } from '../../../edge/southbound/hj212/messages.js';
import { dataReadings } from '../../../edge/southbound/hj212/readings.js';
import { buildDataReply, buildRequestReply, replyWanted } from '../../../edge/southbound/hj212/replies.js';
import { decodePacket, encodeSegment, parseSegment, type Hj212Packet } from '../../../edge/southbound/hj212/segment.js';
import { codedBy, InvariantError, roundTrip, type FuzzTarget, type Seed } from '../lib/target.js';
import { assertSame } from '../lib/roundtrip.js';
import { all, checkReadings, sharedVectors, text } from './common.js';
import { libraryProfiles, profileUplinks } from './profiles.js';

const isCoded = codedBy(['HJ212_ERR_']);

const profiles = await libraryProfiles();
const bindings: Hj212Binding[] = profiles
  .filter((p) => p.transport.hj212)
  .map((p) => validateHj212Binding(p.transport.hj212, p.id));

/** Everything the connection does with one packet. */
function handle(p: Hj212Packet): void {
  verifyIdentity(p, {});
  verifyIdentity(p, { pw: '123456' });
  if (!HJ212_DATA_CN[p.cn]) {
    buildRequestReply(p);
    return;
  }
  const msg = decodeDataMessage(p);
  decodeDataMessage(p, { utcOffsetMinutes: -720 });
  checkReadings(dataReadings(msg, 'hj-1'), 'dataReadings');
  for (const b of bindings) checkReadings(dataReadings(msg, 'hj-1', b), 'dataReadings (profile binding)');
  if (replyWanted(p)) buildDataReply(p);
}

function stream(input: Uint8Array): void {
  const d = new Hj212Deframer();
  let at = 0,
    k = 0;
  while (at < input.length) {
    const n = 1 + ((input[k++ % input.length]! * 7) % 97);
    for (const e of d.push(input.subarray(at, at + n))) {
      if (e.type === 'frame') {
        try {
          handle(parseSegment(e.frame.segment));
        } catch (err) {
          if (!isCoded(err)) throw err;
        }
      } else if (!isCoded(e.error))
        throw new InvariantError(`deframer error event without a coded error: ${String(e.error)}`);
    }
    at += n;
    if (d.pending > 1024 + 16) throw new InvariantError(`deframer holds ${d.pending} bytes`);
  }
}

function run(input: Uint8Array): unknown {
  all(isCoded, [
    () => stream(input),
    () => handle(decodePacket(input)),
    () => handle(parseSegment(Buffer.from(input).toString('latin1'))),
  ]);
  return undefined;
}

async function seeds(): Promise<Seed[]> {
  const out: Seed[] = [];
  for (const v of sharedVectors<{ id: string; frame: string }>('hj212.json')) {
    out.push(text(`frame-${v.id}`, `${v.frame}\r\n`));
    out.push(text(`segment-${v.id}`, v.frame.slice(6, -4)));
  }
  for (const v of await profileUplinks())
    if (v.bytes.includes(0x23)) out.push({ name: `profile-${v.profile}-${v.name}`, bytes: v.bytes });
  return out;
}

// ---- round trip: random well-formed segments ----------------------------------------------------

const value = fc.stringMatching(/^[A-Za-z0-9.+-]{0,12}$/);
const field = fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/), value);
const segmentArb = fc.record({
  header: fc
    .tuple(
      fc.constantFrom('20240501103000123', '20240501103000'),
      fc.constantFrom('32', '22', '31'),
      fc.constantFrom('2011', '2051', '2061', '2031', '9014', '1062'),
      fc.constantFrom('123456', ''),
      fc.stringMatching(/^[A-Za-z0-9]{1,24}$/),
      fc.constantFrom('4', '5', '0'),
    )
    .map(([qn, st, cn, pw, mn, flag]): [string, string][] => [
      ['QN', qn],
      ['ST', st],
      ['CN', cn],
      ['PW', pw],
      ['MN', mn],
      ['Flag', flag],
    ]),
  cp: fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 4 }),
});

const target: FuzzTarget = {
  name: 'hj212',
  description: 'HJ 212 TCP streams, frames and data segments: deframer, segment, messages, readings, replies',
  seeds,
  dictionary: [
    '##',
    '\r\n',
    'QN=',
    'ST=',
    'CN=',
    'PW=',
    'MN=',
    'Flag=',
    'PNUM=',
    'PNO=',
    'CP=&&',
    '&&',
    ';',
    ',',
    '=',
    '-Rtd=',
    '-Flag=',
    '-Avg=',
    '-Min=',
    '-Max=',
    '-Cou=',
    'DataTime=',
    '20240501100000',
    '2011',
    '2051',
    '2061',
    '2031',
    '9014',
    'w01018',
    'a34004',
    'N',
    'T',
    'D',
    'F',
    'M',
    'S',
    'C',
    'B',
    '0000',
    '9999',
    '1024',
    '//',
    'NaN',
    '1e999',
  ],
  maxLen: 16 * 1024,
  run,
  isCoded,
  roundTrips: [
    roundTrip('decodePacket(encodeFrame(encodeSegment(p)))', segmentArb, (p) => {
      const seg = encodeSegment({ header: p.header, cp: p.cp });
      if (Buffer.byteLength(seg) > 1024) return;
      const back = decodePacket(encodeFrame(seg));
      assertSame('HJ 212 segment', { header: back.header, cp: back.cp }, { header: p.header, cp: p.cp });
    }),
  ],
};
export default target;
