import t from 'tap';
import { decodeRequest, decodeResponse } from '../../../../edge/southbound/dlt645/codec.js';
import { encodeFrame, scanFrame } from '../../../../edge/southbound/dlt645/frame.js';
import { DLT645_DI } from '../../../../edge/southbound/dlt645/data-ids.js';
import { fuzz, mutate, pick, prng } from './fixtures/fuzz.js';
import { bytes, vectors } from './fixtures/vectors.js';

const seeds = vectors.map((v) => bytes(v.hex));
const interesting = [0x68, 0x16, 0xfe, 0x33, 0xaa, 0x99, 0x00, 0xff, 0x91, 0xd1, 0x93, 0x80];
const dis = [...Object.values(DLT645_DI), '00020000', '0203FF00', '0001FF01', '00FF0000', '02070100', '04000507'];

t.test('mutated frames: decoded or a DLT645 coded error', async (t) => {
  const rnd = prng(645);
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
    'DLT645_ERR_',
  );
});

t.test('well-framed replies with random content reach the value decoders', async (t) => {
  const rnd = prng(2007);
  const gen = (): Uint8Array => {
    const di = pick(rnd, dis);
    const data = [...Buffer.from(di, 'hex').reverse()];
    const n = Math.floor(rnd() * 30);
    for (let i = 0; i < n; i++)
      data.push(rnd() < 0.7 ? pick(rnd, [0x00, 0x12, 0x99, 0x45, 0x80, 0x59]) : Math.floor(rnd() * 256));
    const control = pick(rnd, [0x91, 0xb1, 0x92, 0xd1, 0x93, 0x94, 0x11, Math.floor(rnd() * 256)]);
    const address = rnd() < 0.9 ? '000000000161' : 'AAAAAAAAAAAA';
    return encodeFrame({
      address,
      control,
      data: Uint8Array.from(rnd() < 0.05 ? [] : data),
      preamble: Math.floor(rnd() * 3),
    });
  };
  const stats = fuzz(t, 30_000, gen, (b) => decodeResponse(b), 'DLT645_ERR_');
  t.ok(stats.ok > 1000 && stats.coded > 1000, 'both outcomes exercised');
});

t.test('stream scanning always makes progress', async (t) => {
  const rnd = prng(16);
  let frames = 0;
  fuzz(
    t,
    5_000,
    () => {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < 4; i++)
        parts.push(rnd() < 0.5 ? pick(rnd, seeds) : mutate(rnd, pick(rnd, seeds), interesting));
      return Buffer.concat(parts);
    },
    (input) => {
      let buf = input;
      for (let guard = 0; guard <= input.length + 1; guard++) {
        const s = scanFrame(buf);
        if (s.kind === 'partial') return;
        if (s.consumed <= 0) throw new Error('no progress');
        if (s.kind === 'frame') frames++;
        buf = buf.subarray(s.consumed);
      }
      throw new Error('scan did not finish');
    },
    'DLT645_ERR_',
  );
  t.ok(frames > 1000, `${frames} frames found`);
});
