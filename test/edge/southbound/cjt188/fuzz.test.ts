import t from 'tap';
import { decodeRequest, decodeResponse } from '../../../../edge/southbound/cjt188/codec.js';
import { encodeFrame, scanFrame } from '../../../../edge/southbound/cjt188/frame.js';
import { fuzz, mutate, pick, prng } from '../dlt645/fixtures/fuzz.js';
import { bytes, vectors } from './fixtures/vectors.js';

const seeds = vectors.map((v) => bytes(v.hex));
const interesting = [0x68, 0x16, 0xfe, 0x10, 0x20, 0x30, 0xaa, 0x2c, 0x29, 0x05, 0x90, 0x1f, 0x81, 0xc1, 0x00, 0xff];
const dis = [
  [0x90, 0x1f],
  [0x1f, 0x90],
  [0xd1, 0x20],
  [0xd1, 0x2b],
  [0x81, 0x0a],
  [0xa0, 0x17],
  [0x81, 0x02],
];

t.test('mutated frames: decoded or a CJT188 coded error', async (t) => {
  const rnd = prng(188);
  fuzz(
    t,
    30_000,
    () => mutate(rnd, pick(rnd, seeds), interesting),
    (b) => {
      try {
        return decodeResponse(b);
      } catch {
        return decodeRequest(b);
      }
    },
    'CJT188_ERR_',
  );
});

t.test('well-framed replies with random content reach the value decoders', async (t) => {
  const rnd = prng(2004);
  const gen = (): Uint8Array => {
    const data = [...pick(rnd, dis), Math.floor(rnd() * 256)];
    const n = pick(rnd, [0, 2, 5, 19, 43, Math.floor(rnd() * 50)]);
    for (let i = 0; i < n; i++)
      data.push(
        rnd() < 0.7 ? pick(rnd, [0x00, 0x12, 0x99, 0x2c, 0x05, 0x11, 0x35, 0x59, 0x20]) : Math.floor(rnd() * 256),
      );
    const control = pick(rnd, [0x81, 0x83, 0x84, 0xc1, 0xc4, 0x01, Math.floor(rnd() * 256)]);
    const meterType = pick(rnd, [0x10, 0x11, 0x20, 0x21, 0x30, 0x49]);
    return encodeFrame({
      meterType,
      address: rnd() < 0.9 ? '00201510270588' : 'AAAAAAAAAAAAAA',
      control,
      data: Uint8Array.from(data),
      preamble: Math.floor(rnd() * 3),
    });
  };
  const stats = fuzz(t, 30_000, gen, (b) => decodeResponse(b), 'CJT188_ERR_');
  t.ok(stats.ok > 1000 && stats.coded > 1000, 'both outcomes exercised');
});

t.test('stream scanning always makes progress', async (t) => {
  const rnd = prng(7);
  fuzz(
    t,
    5_000,
    () =>
      Buffer.concat(
        [0, 1, 2, 3].map(() => (rnd() < 0.5 ? pick(rnd, seeds) : mutate(rnd, pick(rnd, seeds), interesting))),
      ),
    (input) => {
      let buf = input;
      for (let guard = 0; guard <= input.length + 1; guard++) {
        const s = scanFrame(buf);
        if (s.kind === 'partial') return;
        if (s.consumed <= 0) throw new Error('no progress');
        buf = buf.subarray(s.consumed);
      }
      throw new Error('scan did not finish');
    },
    'CJT188_ERR_',
  );
});
