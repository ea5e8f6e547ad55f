/**
 * HJ 212 TCP server on loopback with real instrument clients: readings with flags, replies only
 * after the store committed, bad CRC rejected with the connection kept, frames split across TCP
 * segments and several in one segment, PW/MN checks, one bad instrument not disturbing another,
 * connection limit (eviction of a never-valid connection) and idle timeout.
 */
import t, { type Test } from 'tap';
import { captureLog } from '../../../helpers/log-capture.js';
import { until } from '../../../helpers/wait.js';
import { loadEdgeConfig, type EdgeConfig } from '../../../../edge/config.js';
import { Hj212Server } from '../../../../edge/southbound/hj212/server.js';
import { parseInstruments } from '../../../../edge/southbound/hj212/instruments.js';
import type { Reading } from '../../../../proto/reading.js';
import { ClockQuality, Priority } from '../../../../proto/index.js';
import { SimInstrument, uploadFrame, nextQn } from '../../../../scripts/sim/hj212-instrument.js';
import type { UplinkSink } from '../../../../edge/southbound/types.js';

const MN = '88888880000001';
const PW = '123456';

/** A sink whose commits can be held back, to see when replies leave. */
class GateSink implements UplinkSink {
  readonly stored: { readings: Reading[]; key?: string | undefined }[] = [];
  readonly keys = new Set<string>();
  held: (() => void)[] = [];
  hold = false;
  calls = 0;
  async accept(readings: Reading[], key?: string): Promise<'stored' | 'duplicate'> {
    this.calls++;
    if (this.hold) await new Promise<void>((r) => this.held.push(r));
    if (key && this.keys.has(key)) return 'duplicate';
    if (key) this.keys.add(key);
    this.stored.push({ readings, key });
    return 'stored';
  }
  release(): void {
    this.hold = false;
    for (const r of this.held.splice(0)) r();
  }
  all(): Reading[] {
    return this.stored.flatMap((s) => s.readings);
  }
}

function config(over: Partial<EdgeConfig['hj212']> = {}): EdgeConfig['hj212'] {
  return { ...loadEdgeConfig(undefined, { hj212: { enabled: true, host: '127.0.0.1', port: 0 } }).hj212, ...over };
}

async function server(
  t: Test,
  over: Partial<EdgeConfig['hj212']> = {},
  instruments?: Record<string, unknown>,
): Promise<{ srv: Hj212Server; sink: GateSink; logs: ReturnType<typeof captureLog> }> {
  const sink = new GateSink();
  const logs = captureLog();
  const inst = instruments ? parseInstruments(instruments, 'instruments.toml', '/nonexistent') : undefined;
  const srv = new Hj212Server({ config: config(over), sink, log: logs.log, ...(inst ? { instruments: inst } : {}) });
  await srv.start();
  t.teardown(() => srv.stop());
  return { srv, sink, logs };
}

async function instrument(t: Test, srv: Hj212Server): Promise<SimInstrument> {
  const i = await SimInstrument.connect('127.0.0.1', srv.port);
  t.teardown(() => i.close());
  return i;
}

const REALTIME = {
  w01018: { Rtd: '25.3', Flag: 'N' },
  w21003: { Rtd: '1.234', Flag: 'T' },
  w01001: { Rtd: '7.12', Flag: 'N' },
};

t.test('a real-time upload becomes readings with flags, and is answered only after the commit', async (t) => {
  const { srv, sink } = await server(
    t,
    {},
    {
      instrument: [
        { mn: MN, pw: PW, id: 'outlet-1', hj212: { factors: { w01018: 'cod', '060': 'ammonia_nitrogen' } } },
      ],
    },
  );
  const a = await instrument(t, srv);
  const b = await instrument(t, srv);
  sink.hold = true;
  const qn = nextQn();
  await a.write(uploadFrame({ cn: '2011', mn: MN, pw: PW, qn, dataTime: '20240102030405', factors: REALTIME }));
  await until('upload handed to the store', () => sink.calls === 1);
  // While A's commit is held, another instrument's upload goes through (the server is not blocked) …
  sink.hold = false;
  const qnB = nextQn();
  await b.write(
    uploadFrame({
      cn: '2011',
      mn: MN,
      pw: PW,
      qn: qnB,
      dataTime: '20240102030410',
      factors: { w01018: { Rtd: '1', Flag: 'N' } },
    }),
  );
  await b.reply(qnB);
  // … and A still has no reply, because its readings are not committed yet.
  t.equal(a.replies.length, 0, 'no reply before the commit');
  sink.release();
  const reply = await a.reply(qn);
  t.equal(reply.cn, '9014', 'data reply CN 9014');
  t.equal(reply.mn, MN);
  t.equal(reply.pw, PW);
  const got = sink.stored.find((s) => s.key?.includes(qn))!;
  t.ok(got, 'stored under a key with MN and QN');
  t.equal(got.key, `hj212:${MN}:2011:${qn}`);
  const ts = Date.UTC(2024, 0, 2, 3 - 8, 4, 5);
  t.same(
    got.readings.map((r) => [r.deviceId, r.metric, r.value, r.unit, r.ts, r.clock, r.priority]),
    [
      ['outlet-1', 'cod', 25.3, 'mg/L', ts, ClockQuality.CLOCK_DEVICE, Priority.PRIORITY_NORMAL],
      ['outlet-1', 'cod_flag', 'N', '', ts, ClockQuality.CLOCK_DEVICE, Priority.PRIORITY_NORMAL],
      ['outlet-1', 'ammonia_nitrogen', 1.234, 'mg/L', ts, ClockQuality.CLOCK_DEVICE, Priority.PRIORITY_NORMAL],
      ['outlet-1', 'ammonia_nitrogen_flag', 'T', '', ts, ClockQuality.CLOCK_DEVICE, Priority.PRIORITY_ALARM],
      ['outlet-1', 'ph', 7.12, 'pH', ts, ClockQuality.CLOCK_DEVICE, Priority.PRIORITY_NORMAL],
      ['outlet-1', 'ph_flag', 'N', '', ts, ClockQuality.CLOCK_DEVICE, Priority.PRIORITY_NORMAL],
    ],
  );

  // The same upload again (the instrument missed the reply): answered, not stored twice.
  await a.write(uploadFrame({ cn: '2011', mn: MN, pw: PW, qn, dataTime: '20240102030405', factors: REALTIME }));
  await until('second reply', () => a.replies.filter((r) => r.qn === qn).length === 2);
  t.equal(srv.counters.duplicates, 1, 'counted as a duplicate');
  t.equal(sink.stored.filter((s) => s.key?.includes(qn)).length, 1, 'stored once');
});

t.test('minute, hourly and daily data carry period and statistic in the metric name', async (t) => {
  const { srv, sink } = await server(t);
  const a = await instrument(t, srv);
  const f = { w01018: { Avg: '20.5', Min: '18', Max: '23', Cou: '1.5', Flag: 'N' } };
  for (const cn of ['2051', '2061', '2031'] as const) {
    const qn = nextQn();
    await a.write(uploadFrame({ cn, mn: MN, pw: PW, qn, dataTime: '20240102030000', factors: f }));
    await a.reply(qn);
  }
  const names = sink.all().map((r) => `${r.deviceId} ${r.metric}=${r.value}`);
  t.same(names, [
    ...['minute', 'hour', 'day'].flatMap((p) => [
      `hj212:${MN} cod_${p}_avg=20.5`,
      `hj212:${MN} cod_${p}_flag=N`,
      `hj212:${MN} cod_${p}_min=18`,
      `hj212:${MN} cod_${p}_max=23`,
      `hj212:${MN} cod_${p}_cou=1.5`,
    ]),
  ]);
  t.equal(sink.all().find((r) => r.metric === 'cod_hour_cou')!.unit, 'kg', 'emission unit for Cou');
});

t.test('a bad CRC is rejected and the connection survives; split and coalesced frames parse', async (t) => {
  const { srv, sink, logs } = await server(t);
  const a = await instrument(t, srv);
  const good = (qn: string) =>
    uploadFrame({
      cn: '2011',
      mn: MN,
      pw: PW,
      qn,
      dataTime: '20240102030405',
      factors: { w01018: { Rtd: '1', Flag: 'N' } },
    });
  const bad = Buffer.from(good(nextQn()));
  bad[bad.length - 4] = bad[bad.length - 4] === 0x30 ? 0x31 : 0x30; // one CRC digit
  await a.write(bad);
  await until('bad frame rejected', () => srv.counters.rejected === 1);
  t.equal(logs.withCode('HJ212_ERR_CRC').length, 1, 'logged with its coded error');
  t.notOk(a.closed, 'connection still open');
  const q1 = nextQn();
  await a.write(good(q1));
  await a.reply(q1);
  t.pass('next frame on the same connection answered');

  // One frame in three TCP segments, each received before the next is sent.
  const q2 = nextQn();
  const f2 = good(q2);
  const conn = [...srv.connections][0]!;
  const cuts = [0, 7, 40, f2.length];
  for (let i = 0; i < 3; i++) {
    const before = conn.bytesIn;
    await a.write(f2.subarray(cuts[i], cuts[i + 1]));
    await until('segment received', () => conn.bytesIn >= before + cuts[i + 1]! - cuts[i]!);
  }
  await a.reply(q2);
  // Two frames in one segment.
  const q3 = nextQn();
  const q4 = nextQn();
  await a.write(Buffer.concat([good(q3), good(q4)]));
  await a.reply(q3);
  await a.reply(q4);
  t.equal(sink.stored.length, 4, 'four uploads stored, the bad one not');
  t.equal(srv.counters.connections, 1, 'all on one connection');
});

t.test('PW and MN checks: rejected uploads are not stored and get QnRtn', async (t) => {
  const { srv, sink, logs } = await server(t, { require_registered: true }, { instrument: [{ mn: MN, pw: PW }] });
  const a = await instrument(t, srv);
  const q1 = nextQn();
  await a.write(
    uploadFrame({ cn: '2011', mn: MN, pw: 'wrong', qn: q1, dataTime: '20240102030405', factors: REALTIME }),
  );
  const r1 = await a.reply(q1);
  t.equal(r1.cn, '9011');
  t.match(r1.cp.flat(), [['QnRtn', '3']], 'QnRtn 3: PW error');
  const q2 = nextQn();
  await a.write(
    uploadFrame({ cn: '2011', mn: '99999999999999', pw: PW, qn: q2, dataTime: '20240102030405', factors: REALTIME }),
  );
  const r2 = await a.reply(q2);
  t.match(r2.cp.flat(), [['QnRtn', '4']], 'QnRtn 4: MN error');
  t.equal(sink.calls, 0, 'nothing stored');
  t.equal(logs.withCode('HJ212_ERR_PASSWORD').length, 1);
  t.equal(logs.withCode('HJ212_ERR_MN').length, 1);
});

t.test('one bad instrument does not disturb another; connection limit; idle timeout', async (t) => {
  const { srv, sink } = await server(t, { max_connections: 3, idle_timeout_ms: 1000 });
  const noisy = await instrument(t, srv);
  const good = await instrument(t, srv);
  const junk = Buffer.concat([
    Buffer.from('garbage\r\n##9999xx'),
    Buffer.alloc(2000, 0x41),
    uploadFrame({ cn: '2011', mn: 'X', pw: PW, dataTime: '20241301000000', factors: { w01018: { Rtd: 'abc' } } }),
  ]);
  const sent: string[] = [];
  for (let i = 0; i < 20; i++) {
    void noisy.write(junk).catch(() => {});
    const qn = nextQn();
    sent.push(qn);
    await good.write(
      uploadFrame({
        cn: '2011',
        mn: MN,
        pw: PW,
        qn,
        dataTime: '20240102030405',
        factors: { w01018: { Rtd: String(i), Flag: 'N' } },
      }),
    );
  }
  for (const qn of sent) await good.reply(qn);
  t.same(
    sink
      .all()
      .filter((r) => r.metric === 'cod')
      .map((r) => r.value),
    Array.from({ length: 20 }, (_, i) => i),
    'every upload of the good instrument stored, in order',
  );
  t.ok(srv.counters.rejected >= 20, `noisy frames rejected (${srv.counters.rejected})`);

  const third = await instrument(t, srv);
  const fourth = await SimInstrument.connect('127.0.0.1', srv.port);
  t.teardown(() => fourth.close());
  // Full: the fourth takes the place of a connection that never sent a valid frame (slots.test.ts).
  await until(
    'a never-valid connection evicted for the fourth',
    () => srv.counters.evicted === 1 && (noisy.closed || third.closed),
  );
  t.equal(srv.counters.refused, 0, 'nobody refused');
  t.notOk(good.closed, 'the proven instrument is not evicted');
  await until('idle connections closed', () => fourth.closed, 5000);
  t.ok(srv.counters.idleClosed >= 1);
});
