import t from 'tap';
import {
  decodeFrame,
  encodeFrame,
  hj212Crc16,
  Hj212Deframer,
  type Hj212DeframeEvent,
} from '../../../../edge/southbound/hj212/frame.js';
import { encodeSegment, parseSegment } from '../../../../edge/southbound/hj212/segment.js';
import { throwsCode } from '../../../helpers/errors.js';
import { byId, vectors, wire } from './fixtures/vectors.js';

t.test('CRC16 of every vector', async (t) => {
  for (const v of vectors.filter((x) => x.valid)) {
    const seg = v.frame.slice(6, -4);
    t.equal(hj212Crc16(Buffer.from(seg)).toString(16).padStart(4, '0'), v.frame.slice(-4).toLowerCase(), v.id);
  }
});

t.test('every valid vector decodes and re-encodes to the same bytes', async (t) => {
  for (const v of vectors.filter((x) => x.valid)) {
    const f = decodeFrame(wire(v), { requireCrlf: true });
    t.equal(f.length, Number(v.frame.slice(2, 6)), `${v.id} length`);
    if (v.decoded?.len !== undefined) t.equal(f.length, v.decoded.len);
    const lower = v.frame.slice(-4) !== v.frame.slice(-4).toUpperCase();
    const seg = encodeSegment(parseSegment(f.segment));
    t.equal(seg, f.segment, `${v.id} segment round trip`);
    t.same(encodeFrame(seg, { lowercaseCrc: lower }), wire(v), `${v.id} frame round trip`);
    t.same(decodeFrame(v.frame).segment, f.segment, `${v.id} without CRLF`);
  }
});

t.test('invalid vectors are rejected with the CRC error', async (t) => {
  for (const v of vectors.filter((x) => !x.valid)) {
    throwsCode(t, () => decodeFrame(wire(v)), 'HJ212_ERR_CRC', /CRC 4980 should be 3C00/);
  }
});

t.test('length, header, trailer and maximum checks', async (t) => {
  const v = byId('hj212-annexC-1062');
  throwsCode(t, () => decodeFrame(`X${v.frame}`), 'HJ212_ERR_HEADER');
  throwsCode(
    t,
    () => decodeFrame(v.frame.replace('##0101', '##0100')),
    'HJ212_ERR_LENGTH',
    /says 100 bytes, the data segment has 101/,
  );
  throwsCode(t, () => decodeFrame(v.frame.replace('##0101', '##01a1')), 'HJ212_ERR_LENGTH', /not 4 decimal digits/);
  throwsCode(t, () => decodeFrame(v.frame, { requireCrlf: true }), 'HJ212_ERR_TRAILER');
  throwsCode(t, () => decodeFrame(`${v.frame}\r\nX`), 'HJ212_ERR_LENGTH');
  throwsCode(t, () => decodeFrame(`${v.frame.slice(0, -4)}1C8G`), 'HJ212_ERR_CRC', /not 4 hex/);
  throwsCode(t, () => decodeFrame(v.frame, { maxSegmentLength: 100 }), 'HJ212_ERR_TOO_LONG');
  const big = `QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=A;CP=&&DataTime=20160801085857;${'w01018-Rtd=1.0;'.repeat(70)}w01018-Rtd=1&&`;
  throwsCode(t, () => encodeFrame(big), 'HJ212_ERR_TOO_LONG');
  t.ok(decodeFrame(encodeFrame(big, { maxSegmentLength: 2048 }), { maxSegmentLength: 2048 }));
  const bin = Buffer.concat([Buffer.from('##0002'), Buffer.of(0xc3, 0x28)]);
  const crc = hj212Crc16(Buffer.of(0xc3, 0x28)).toString(16).toUpperCase().padStart(4, '0');
  throwsCode(t, () => decodeFrame(Buffer.concat([bin, Buffer.from(crc)])), 'HJ212_ERR_SEGMENT', /UTF-8/);
});

t.test('UTF-8 data segments: the length counts bytes', async (t) => {
  const seg = 'ST=32;CN=3020;PW=123456;MN=A;CP=&&DataTime=20240101000000;i11001-Info=//分析仪启动;完成,ok//&&';
  const f = encodeFrame(seg);
  t.equal(f.subarray(2, 6).toString(), String(Buffer.byteLength(seg)).padStart(4, '0'));
  const p = parseSegment(decodeFrame(f).segment);
  t.same(p.cp[1], [['i11001-Info', '//分析仪启动;完成,ok//']], 'log text keeps its separators');
});

function collect(d: Hj212Deframer, chunks: Uint8Array[]): Hj212DeframeEvent[] {
  return chunks.flatMap((c) => d.push(c));
}

t.test('deframer: split frames, two frames in one chunk, resync after errors', async (t) => {
  const a = wire(byId('hj212-2011-junit'));
  const b = wire(byId('hj212-annexC-1062'));
  const bad = wire(byId('hj212-2011-bad-crc'));
  const d = new Hj212Deframer();
  const byteByByte = collect(
    d,
    [...a].map((x) => Uint8Array.of(x)),
  );
  t.same(
    byteByByte.map((e) => e.type),
    ['frame'],
    'one byte at a time',
  );
  t.equal(d.pending, 0);
  const two = collect(d, [Buffer.concat([b, a])]);
  t.same(
    two.map((e) => e.type),
    ['frame', 'frame'],
    'two frames in one chunk',
  );
  const mixed = collect(d, [Buffer.concat([Buffer.from('garbage'), bad, b.subarray(0, 50)]), b.subarray(50)]);
  t.same(
    mixed.map((e) => (e.type === 'frame' ? 'frame' : e.error.code)),
    ['HJ212_ERR_HEADER', 'HJ212_ERR_CRC', 'frame'],
  );
  const lying = Buffer.from(b.toString().replace('##0101', '##0090'));
  const resync = collect(d, [lying, a]);
  t.same(
    resync.map((e) => (e.type === 'frame' ? 'frame' : e.error.code)),
    ['HJ212_ERR_LENGTH', 'frame'],
    'a lying length does not swallow the next frame',
  );
  const huge = collect(d, [Buffer.from('##9999'), a]);
  t.same(
    huge.map((e) => (e.type === 'frame' ? 'frame' : e.error.code)),
    ['HJ212_ERR_TOO_LONG', 'frame'],
  );
  t.same(collect(d, [Buffer.from('\r\n\r\n')]), [], 'stray CRLF is ignored');
  d.push(Buffer.from('##01'));
  t.equal(d.pending, 4);
  d.reset();
  t.equal(d.pending, 0);
});
