/**
 * CJ/T 188-2004 as the serial poller and the profile loader read meter replies (see dlt645.ts for
 * the same steps): scanning, frames, requests and replies, decodeReply(expectReadValues), meter
 * framing and the wire decoders of the library's CJ/T 188 profiles, also with the first frame's
 * checksum repaired. Round trip: random frames, encodeFrame → decodeFrame.
 */
import fc from 'fast-check';
import { decodeRequest, decodeResponse, expectReadValues } from '../../../edge/southbound/cjt188/codec.js';
import { decodeFrame, encodeFrame, isMeterType, scanFrame } from '../../../edge/southbound/cjt188/frame.js';
import { cjt188Reply, CJT188_FRAMING } from '../../../edge/southbound/cjt188/poller.js';
import { decodeReply } from '../../../edge/southbound/serial/meter-poll.js';
import { codedBy, roundTrip, type FuzzTarget, type Seed } from '../lib/target.js';
import { assertSame } from '../lib/roundtrip.js';
import { hex, sharedVectors } from './common.js';
import { definedProps } from '../../../common/defined.js';
import { repairSum, runMeter, serialDecoders, serialProfileSeeds, type MeterParsers } from './serial-common.js';

const isCoded = codedBy(['CJT188_ERR_', 'SERIAL_ERR_']);
const decoders = await serialDecoders('cjt188');

function asMeter(b: Uint8Array): void {
  const r = decodeResponse(b) as { kind: string; address?: string; di?: string; ser?: number };
  if (r.kind === 'data')
    decodeReply('read', () => expectReadValues(b, definedProps({ address: r.address, di: r.di, ser: r.ser })));
}

const parsers: MeterParsers = {
  scanFrame,
  decodeFrame,
  decodeRequest,
  asMeter,
  reply: cjt188Reply,
  framing: CJT188_FRAMING,
  decoders,
  repair: (input) => repairSum(input, 10, 13, (b, at) => isMeterType(b[at + 1]!)),
};

async function seeds(): Promise<Seed[]> {
  return [
    ...sharedVectors<{ id: string; hex: string }>('cjt188_2004.json').map((v) => hex(`vector-${v.id}`, v.hex)),
    ...(await serialProfileSeeds('cjt188')),
  ];
}

const target: FuzzTarget = {
  name: 'cjt188',
  description: 'CJ/T 188-2004 meter replies: scanning, frames, reply decoding, poll framing, profile wire decoders',
  seeds,
  dictionary: [
    [0x68],
    [0x16],
    [0xfe, 0xfe],
    [0x10],
    [0x20],
    [0x30],
    [0x49],
    [0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa],
    [0x81],
    [0xc1],
    [0x84],
    [0x90, 0x1f],
    [0x1f, 0x90],
    [0xd1, 0x20],
    [0x2c],
    [0x29],
    [0x05],
    [0x35],
    [0x00],
    [0xff],
    [0x99],
  ].map((b) => Uint8Array.from(b)),
  usPerByte: 400, // ~10 decoders, each may build a coded error per byte of noise; a meter's bytes arrive at line rate (1 ms each at 9600 baud)
  maxLen: 4096,
  run: (input) => runMeter(parsers, isCoded, input),
  isCoded,
  roundTrips: [
    roundTrip(
      'decodeFrame(encodeFrame(frame))',
      fc.record({
        meterType: fc.integer({ min: 0x10, max: 0x49 }),
        address: fc.stringMatching(/^[0-9]{14}$/),
        control: fc.nat(255),
        data: fc.uint8Array({ maxLength: 255 }),
        preamble: fc.nat(4),
      }),
      (f) => {
        if (!isMeterType(f.meterType)) return;
        const back = decodeFrame(encodeFrame(f));
        assertSame('CJ/T 188 frame', { ...back, data: Uint8Array.from(back.data) }, f);
      },
    ),
  ],
};
export default target;
