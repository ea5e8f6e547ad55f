/**
 * DL/T 645-2007 as the serial poller and the profile loader read meter replies: stream scanning
 * (scanFrame, with a progress invariant), decodeFrame / decodeRequest / decodeResponse, the
 * poller's reply scanner and decodeReply(expectReadValues) for the frame's own identifier, meter
 * framing of a whole poll (meterFrames) and the wire decoders of the library's DL/T 645 profiles.
 * Every input also runs with its first frame's checksum repaired. Round trip: random values of
 * known identifiers, buildReadResponse → decodeResponse.
 */
import fc from 'fast-check';
import {
  buildReadResponse,
  decodeRequest,
  decodeResponse,
  expectReadValues,
} from '../../../edge/southbound/dlt645/codec.js';
import {
  DLT645_DI,
  decodeItemValue,
  lookupDataId,
  type Dlt645Value,
} from '../../../edge/southbound/dlt645/data-ids.js';
import { decodeFrame, encodeFrame, scanFrame } from '../../../edge/southbound/dlt645/frame.js';
import { dlt645Reply, DLT645_FRAMING } from '../../../edge/southbound/dlt645/poller.js';
import { decodeReply } from '../../../edge/southbound/serial/meter-poll.js';
import { codedBy, roundTrip, type FuzzTarget, type Seed } from '../lib/target.js';
import { assertSame } from '../lib/roundtrip.js';
import { hex, sharedVectors } from './common.js';
import { repairSum, runMeter, serialDecoders, serialProfileSeeds, type MeterParsers } from './serial-common.js';

const isCoded = codedBy(['DLT645_ERR_', 'SERIAL_ERR_']);
const decoders = await serialDecoders('dlt645');

function asMeter(b: Uint8Array): void {
  const r = decodeResponse(b);
  if (r.kind === 'data') decodeReply('read', () => expectReadValues(b, { address: r.address, di: r.di }));
}

const parsers: MeterParsers = {
  scanFrame,
  decodeFrame,
  decodeRequest,
  asMeter,
  reply: dlt645Reply,
  framing: DLT645_FRAMING,
  decoders,
  repair: (input) => repairSum(input, 9, 12, (b, at) => b[at + 7] === 0x68),
};

async function seeds(): Promise<Seed[]> {
  return [
    ...sharedVectors<{ id: string; hex: string }>('dlt645_2007.json').map((v) => hex(`vector-${v.id}`, v.hex)),
    ...(await serialProfileSeeds('dlt645')),
  ];
}

const DIS = [
  ...Object.values(DLT645_DI),
  '00010000',
  '00020000',
  '02010100',
  '02020100',
  '02030000',
  '0203FF00',
  '04000101',
  '04000102',
  '04000401',
  '04000501',
].filter((d) => lookupDataId(d));

const target: FuzzTarget = {
  name: 'dlt645',
  description: 'DL/T 645-2007 meter replies: scanning, frames, reply decoding, poll framing, profile wire decoders',
  seeds,
  dictionary: [
    [0x68],
    [0x16],
    [0xfe, 0xfe, 0xfe, 0xfe],
    [0x33],
    [0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa],
    [0x91],
    [0xb1],
    [0xd1],
    [0x93],
    [0x11],
    [0x12],
    [0x13],
    [0x00],
    [0xff],
    [0x99],
    [0x80],
    [0x45],
  ].map((b) => Uint8Array.from(b)),
  usPerByte: 400, // ~10 decoders, each may build a coded error per byte of noise; a meter's bytes arrive at line rate (1 ms each at 9600 baud)
  maxLen: 4096,
  run: (input) => runMeter(parsers, isCoded, input),
  isCoded,
  roundTrips: [
    roundTrip(
      'decodeResponse(buildReadResponse(values))',
      fc.tuple(fc.constantFrom(...DIS), fc.uint8Array({ minLength: 0, maxLength: 64 })),
      ([di, raw]) => {
        const item = lookupDataId(di)!;
        let values: Dlt645Value[];
        try {
          values = decodeItemValue(item, raw);
        } catch (err) {
          if (isCoded(err)) return; // not a value of this identifier
          throw err;
        }
        const r = decodeResponse(buildReadResponse('000000000161', di, values));
        if (r.kind !== 'data') throw new Error(`reply decoded as ${r.kind}`);
        assertSame(`DI ${di}`, r.values, values);
      },
    ),
    roundTrip(
      'decodeFrame(encodeFrame(frame))',
      fc.record({
        address: fc.stringMatching(/^[0-9]{12}$/),
        control: fc.nat(255),
        data: fc.uint8Array({ maxLength: 255 }),
        preamble: fc.nat(4),
      }),
      (f) => {
        const back = decodeFrame(encodeFrame(f));
        assertSame('DL/T 645 frame', { ...back, data: Uint8Array.from(back.data) }, f);
      },
    ),
  ],
};
export default target;
