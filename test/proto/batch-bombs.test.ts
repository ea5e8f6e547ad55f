/**
 * Issue 16, finding 1: batches whose bytes claim far more than they hold. Before the fix a 389-byte
 * Batch{reading_count=2^32-1, one device, 40 timelines of count 1e8} made decodeBatch expand every
 * timeline first (the cloud: event loop blocked, heap 4.7 GB, dead in 11–23 s). Each crafted batch
 * here is decoded in a child process with a 256 MB heap: it must be refused (or reduced to a
 * quarantine) quickly and with little heap, and the child must survive to answer the next one.
 */
import t from 'tap';
import { fork, type ChildProcess } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { DICTIONARY_V1 } from '../../proto/dictionary.js';
import { pb } from '../../proto/index.js';
import type { DecodeReport } from './fixtures/decode-child.js';

// generous bounds: the machine is shared and slow; the unfixed decoder needs seconds and gigabytes
const MAX_MS = 2000;
const MAX_HEAP_MB = 64;

const deflate = (b: Uint8Array): Buffer => deflateRawSync(b, { dictionary: DICTIONARY_V1, level: 9 });
const batch = (body: Uint8Array, readingCount: number, codec = 1): Buffer =>
  Buffer.from(
    pb.Batch.encode({
      gatewayId: 'gw-evil',
      epoch: 1,
      seq: 1,
      codec,
      body: codec === 1 ? deflate(body) : body,
      readingCount,
    }).finish(),
  );
/** `n` copies of a field (tag byte + payload bytes) as raw protobuf. */
const repeated = (field: number, wireType: number, payload: number[], n: number): Buffer => {
  const one = Buffer.from([(field << 3) | wireType, ...payload]);
  const out = Buffer.allocUnsafe(one.length * n);
  for (let i = 0; i < n; i++) one.copy(out, i * one.length);
  return out;
};
/** A DeviceData block with raw extra fields appended (after a valid id). */
const device = (...raw: Uint8Array[]): Buffer => {
  const inner = Buffer.concat([
    Buffer.from(pb.DeviceData.encode({ deviceId: 'dev-1', metric: ['m'] }).finish()),
    ...raw,
  ]);
  return Buffer.concat([Buffer.from(pb.BatchBody.encode({}).finish()), lenField(1, inner)]);
};
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const lenField = (field: number, payload: Uint8Array): Buffer =>
  Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(payload.length)]), payload]);

class Child {
  private readonly proc: ChildProcess;
  private readonly ready: Promise<void>;
  constructor() {
    this.proc = fork(fileURLToPath(new URL('./fixtures/decode-child.js', import.meta.url)), [], {
      execArgv: [...process.execArgv, '--max-old-space-size=256', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.proc.once('message', () => resolve());
      this.proc.once('exit', (code) => reject(new Error(`decoder child exited (${code}) before it was ready`)));
    });
  }
  async decode(bytes: Buffer, limits = {}): Promise<DecodeReport> {
    await this.ready;
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null): void =>
        reject(new Error(`decoder child died (exit ${code}, ${signal}): out of heap?`));
      this.proc.once('exit', onExit);
      this.proc.once('message', (m: DecodeReport) => {
        this.proc.off('exit', onExit);
        resolve(m);
      });
      this.proc.send({ bytes: bytes.toString('base64'), limits });
    });
  }
  kill(): void {
    this.proc.kill();
  }
}

t.test('crafted batches are refused or quarantined in bounded time and memory', async (t) => {
  const child = new Child();
  t.teardown(() => child.kill());
  const expect = async (
    name: string,
    bytes: Buffer,
    want: Partial<Omit<DecodeReport, 'groups'>> & { groups?: (string | RegExp)[] },
    limits = {},
    maxHeapMb = MAX_HEAP_MB,
  ): Promise<void> => {
    const r = await child.decode(bytes, limits);
    t.match(
      r,
      want,
      `${name}: ${r.ok ? `${r.readings} readings, ${r.quarantined} quarantined` : `${r.code} ${r.message}`}`,
    );
    t.ok(r.ms < MAX_MS, `${name}: ${r.ms.toFixed(1)} ms`);
    t.ok(r.heapGrowthMb < maxHeapMb, `${name}: heap +${r.heapGrowthMb.toFixed(1)} MB`);
  };
  const timelines = (n: number, count: number): pb.ITimeline[] =>
    Array.from({ length: n }, () => ({ startMs: 1_700_000_000_000, count }));

  // the finding itself: 389 bytes, reading_count 2^32-1, 40 timelines of count 1e8
  const finding = batch(
    pb.BatchBody.encode({ devices: [{ deviceId: 'd', timelines: timelines(40, 1e8), metric: ['m'] }] }).finish(),
    4294967295,
  );
  t.ok(finding.length < 400, `the finding's batch is ${finding.length} bytes`);
  await expect('reading_count 2^32-1', finding, { ok: false, code: 'WIRE_ERR_LIMIT' });
  // within the batch limit, a timeline's count must be backed by values present: 1 value, count 1e8
  await expect(
    'count 1e8 backed by one value',
    batch(
      pb.BatchBody.encode({
        devices: [
          { deviceId: 'd', timelines: timelines(1, 1e8), metric: ['m'], ints: [5] },
          { deviceId: 'ok', timelines: timelines(1, 1), metric: ['m'], ints: [7] },
        ],
      }).finish(),
      2,
    ),
    {
      ok: true,
      readings: 1,
      quarantined: 1,
      groups: [/column ints has 1 values, the series' timelines need 100000000/],
    },
  );
  await expect(
    '40 timelines of 1e8, readings declared 100k',
    batch(
      pb.BatchBody.encode({ devices: [{ deviceId: 'd', timelines: timelines(40, 1e8), metric: ['m'] }] }).finish(),
      100_000,
    ),
    { ok: false, code: 'WIRE_ERR_INVALID' },
  );
  // the lower finding: a 1 KB deflated batch of 1,000,000 readings; the cloud's limit refuses it whole
  const million = batch(
    pb.BatchBody.encode({
      devices: [
        {
          deviceId: 'd',
          timelines: timelines(1, 1_000_000),
          metric: ['m'],
          kind: [pb.ValueKind.VALUE_BOOL],
          bools: new Array<boolean>(1_000_000).fill(true),
        },
      ],
    }).finish(),
    1_000_000,
  );
  t.ok(million.length < 2048, `the million-reading batch is ${million.length} bytes`);
  await expect('1,000,000 readings in ~1 KB', million, { ok: false, code: 'WIRE_ERR_LIMIT' });
  // (only the limit refused it: raised, it decodes — a million reading objects, ~140 MB)
  await expect(
    '…and under a limit of 1,000,000 it decodes',
    million,
    { ok: true, readings: 1_000_000 },
    { maxReadings: 1_000_000 },
    200,
  );

  // 2-byte sub-messages protobufjs would turn into millions of objects, in ~16 KB deflated
  const emptyTimelines = device(repeated(2, 2, [0], 7_000_000));
  await expect('7M empty timelines in one block', batch(emptyTimelines, 0), {
    ok: true,
    readings: 0,
    groups: [/^WIRE_ERR_INVALID: device block: 7000000 timelines for 1 series/],
  });
  await expect('7M empty events', batch(repeated(2, 2, [0], 7_000_000), 0), { ok: false, code: 'WIRE_ERR_LIMIT' });
  await expect('7M empty device blocks', batch(repeated(1, 2, [0], 7_000_000), 0), {
    ok: false,
    code: 'WIRE_ERR_LIMIT',
  });
  await expect('5M metric names', batch(device(repeated(3, 2, [1, 0x61], 5_000_000)), 0), {
    ok: true,
    groups: [/^WIRE_ERR_LIMIT: device block: 5000001 series/],
  });
  // packed columns longer than the batch: counted from the bytes, never materialised
  await expect('16M packed bools', batch(device(lenField(14, Buffer.alloc(16_000_000, 1))), 1), {
    ok: false,
    code: 'WIRE_ERR_INVALID',
  });
  await expect(
    '8M deltas for one value',
    batch(
      device(
        lenField(2, Buffer.concat([Buffer.from([0x08, 0x02]), lenField(3, Buffer.alloc(8_000_000, 1))])),
        lenField(12, Buffer.from([2])),
      ),
      1,
    ),
    { ok: true, readings: 0, quarantined: 1, groups: [/8000000 deltas/] },
  );
  await expect(
    '8M absent indexes for one value',
    batch(device(lenField(16, Buffer.alloc(8_000_000, 0)), lenField(12, Buffer.from([2]))), 1),
    { ok: true, readings: 0, quarantined: 1, groups: [/8000000 absent/] },
  );
  // a compression bomb: 64 MB of zeros in ~64 KB
  await expect('64 MB of zeros', batch(Buffer.alloc(64 * 1024 * 1024), 0), { ok: false, code: 'WIRE_ERR_LIMIT' });
  await expect(
    'a plain body over the limit',
    batch(Buffer.alloc(2048), 0, 0),
    { ok: false, code: 'WIRE_ERR_LIMIT' },
    { maxBodyBytes: 1024 },
  );
});
