import t from 'tap';
import { encodeFrame, Hj212Deframer, HJ212_MAX_SEGMENT } from '../../../../edge/southbound/hj212/frame.js';
import { decodePacket, parseSegment } from '../../../../edge/southbound/hj212/segment.js';
import { decodeDataMessage, HJ212_DATA_CN, verifyIdentity } from '../../../../edge/southbound/hj212/messages.js';
import { buildDataReply, replyWanted } from '../../../../edge/southbound/hj212/replies.js';
import { fuzz, mutate, pick, prng } from '../dlt645/fixtures/fuzz.js';
import { vectors, wire } from './fixtures/vectors.js';

const seeds = vectors.map(wire);
const interesting = [...'#&;,=-/0123456789.CPNQ\r\n'].map((c) => c.charCodeAt(0));

/** Everything an adapter does with one frame. */
function handle(input: Uint8Array | string): unknown {
  const p = typeof input === 'string' ? parseSegment(input) : decodePacket(input);
  verifyIdentity(p, {});
  if (HJ212_DATA_CN[p.cn]) {
    const msg = decodeDataMessage(p);
    if (replyWanted(p)) buildDataReply(p);
    return msg;
  }
  return p;
}

t.test('mutated frames: decoded or an HJ212 coded error', async (t) => {
  const rnd = prng(212);
  fuzz(t, 25_000, () => mutate(rnd, pick(rnd, seeds), interesting), handle, 'HJ212_ERR_');
});

const codes = ['w01018', 'w00000', '060', 'B01', 'a34004', 'e10101', 'i3331x', 'x', 'w21003'];
const fields = ['Rtd', 'Avg', 'Min', 'Max', 'Cou', 'Flag', 'ZsAvg', 'SampleTime', 'EFlag', 'Info', ''];
const values = [
  '1.5',
  '-0.25',
  '',
  'N',
  'T',
  'Z',
  '20240501100000',
  '1e3',
  'abc',
  '//log;a,b//',
  '.5',
  '9'.repeat(30),
  'NaN',
];

function segment(rnd: () => number): string {
  const head: string[] = [];
  if (rnd() < 0.8) head.push(`QN=${pick(rnd, ['20240501103000123', '2024', '20240501103000'])}`);
  if (rnd() < 0.9) head.push(`ST=${pick(rnd, ['32', '22', '3'])}`);
  if (rnd() < 0.97) head.push(`CN=${pick(rnd, [...Object.keys(HJ212_DATA_CN), '1062', '9014', '20111'])}`);
  if (rnd() < 0.9) head.push(`PW=${pick(rnd, ['123456', ''])}`);
  if (rnd() < 0.9) head.push(`MN=${pick(rnd, ['MN0001', '010000A8900016F000169DC0', ''])}`);
  if (rnd() < 0.7) head.push(`Flag=${pick(rnd, ['0', '1', '4', '5', '7', '9', '300', 'x'])}`);
  if (rnd() < 0.1) head.push(`PNUM=${pick(rnd, ['2', '0'])};PNO=${pick(rnd, ['1', '3'])}`);
  const groups: string[] = [];
  if (rnd() < 0.9) groups.push(`DataTime=${pick(rnd, ['20240501100000', '20240501100000123', '20241341100000', ''])}`);
  const n = Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) {
    const code = pick(rnd, codes);
    const items: string[] = [];
    const m = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < m; k++) items.push(`${code}-${pick(rnd, fields)}=${pick(rnd, values)}`);
    groups.push(items.join(','));
  }
  let s = `${head.join(';')}${head.length ? ';' : ''}CP=&&${groups.join(';')}&&`;
  if (rnd() < 0.3) s = Buffer.from(mutate(rnd, Buffer.from(s), interesting)).toString('latin1');
  return s;
}

t.test('well-framed random segments reach the segment and message parsers', async (t) => {
  const rnd = prng(2017);
  const stats = fuzz(
    t,
    25_000,
    () => {
      const s = segment(rnd);
      return Buffer.byteLength(s) <= HJ212_MAX_SEGMENT ? encodeFrame(s) : Buffer.from(s);
    },
    handle,
    'HJ212_ERR_',
  );
  t.ok(stats.ok > 1000 && stats.coded > 1000, 'both outcomes exercised');
});

t.test('the deframer survives any chunking of good and bad frames', async (t) => {
  const rnd = prng(9014);
  let frames = 0;
  fuzz(
    t,
    5_000,
    () =>
      Buffer.concat(
        [0, 1, 2, 3, 4].map(() => (rnd() < 0.5 ? pick(rnd, seeds) : mutate(rnd, pick(rnd, seeds), interesting))),
      ),
    (input) => {
      const d = new Hj212Deframer();
      let at = 0;
      while (at < input.length) {
        const n = 1 + Math.floor(rnd() * 80);
        for (const e of d.push(input.subarray(at, at + n))) {
          if (e.type === 'frame') {
            frames++;
            try {
              handle(e.frame.segment);
            } catch (err) {
              if (!(err instanceof Error && 'code' in err && String(err.code).startsWith('HJ212_ERR_'))) throw err;
            }
          }
        }
        at += n;
        if (d.pending > HJ212_MAX_SEGMENT + 16) throw new Error(`deframer holds ${d.pending} bytes`);
      }
    },
    'HJ212_ERR_',
  );
  t.ok(frames > 5_000, `${frames} frames delivered`);
});
