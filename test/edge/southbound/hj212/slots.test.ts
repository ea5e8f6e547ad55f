/**
 * HJ 212 connection slots under a slow-connection flood (issue 16, finding 8): slow connections
 * from several loopback sources fill every slot, then an honest instrument connects and its
 * upload is answered after the commit — an idle connection that never sent a valid frame is
 * evicted for it. Also: the per-source limit, the first-frame timeout (a slowloris that drips
 * bytes is closed), refusal only when every slot holds a proven instrument, and the counters.
 */
import t, { type Test } from 'tap';
import { connect, type Socket } from 'node:net';
import { captureLog } from '../../../helpers/log-capture.js';
import { until } from '../../../helpers/wait.js';
import { loadEdgeConfig, type EdgeConfig } from '../../../../edge/config.js';
import { Hj212Server } from '../../../../edge/southbound/hj212/server.js';
import type { Reading } from '../../../../proto/reading.js';
import { SimInstrument, uploadFrame, nextQn } from '../../../../scripts/sim/hj212-instrument.js';
import type { UplinkSink } from '../../../../edge/southbound/types.js';

const MN = '88888880000001';
const PW = '123456';

class Sink implements UplinkSink {
  readonly stored: Reading[][] = [];
  calls = 0;
  private held: (() => void)[] | undefined;
  async accept(readings: Reading[]): Promise<'stored' | 'duplicate'> {
    this.calls++;
    if (this.held) await new Promise<void>((r) => this.held!.push(r));
    this.stored.push(readings);
    return 'stored';
  }
  hold(): void {
    this.held = [];
  }
  release(): void {
    const h = this.held ?? [];
    this.held = undefined;
    for (const r of h) r();
  }
}

async function server(
  t: Test,
  over: Partial<EdgeConfig['hj212']>,
): Promise<{ srv: Hj212Server; sink: Sink; logs: ReturnType<typeof captureLog>; config: EdgeConfig['hj212'] }> {
  const sink = new Sink();
  const logs = captureLog();
  const config = {
    ...loadEdgeConfig(undefined, { hj212: { enabled: true, host: '127.0.0.1', port: 0 } }).hj212,
    ...over,
  };
  const srv = new Hj212Server({ config, sink, log: logs.log });
  await srv.start();
  t.teardown(() => srv.stop());
  return { srv, sink, logs, config };
}

/** A raw client from `localAddress` (127.0.0.x): connects, then does whatever the test makes it do. */
async function raw(t: Test, port: number, localAddress: string): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port, localAddress });
  s.on('error', () => {
    /* closed by the server */
  });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  });
  t.teardown(() => s.destroy());
  return s;
}

const closed = (s: Socket): boolean => s.destroyed || s.readyState === 'closed';
const upload = (qn: string): Buffer =>
  uploadFrame({
    cn: '2011',
    mn: MN,
    pw: PW,
    qn,
    dataTime: '20240102030405',
    factors: { w01018: { Rtd: '1.5', Flag: 'N' } },
  });

async function honest(t: Test, srv: Hj212Server, sink: Sink): Promise<SimInstrument> {
  const a = await SimInstrument.connect('127.0.0.1', srv.port);
  t.teardown(() => a.close());
  const qn = nextQn();
  const before = sink.stored.length;
  await a.write(upload(qn));
  const r = await a.reply(qn, 10_000);
  t.equal(r.cn, '9014', 'honest instrument answered');
  t.ok(sink.stored.length > before, 'its readings were stored before the reply');
  return a;
}

t.test(
  'slow connections from many sources fill every slot; an honest instrument still gets in and is answered',
  async (t) => {
    // The finding's attack at the default caps (256 in all, 32 per source): as many sources as fill
    // the total, each at its own cap of slow connections. First-frame timeout long: this test is
    // about eviction, not the timer.
    const { srv, sink, logs, config } = await server(t, { first_frame_timeout_ms: 60_000 });
    const { max_connections: total, max_connections_per_source: perSource } = config;
    t.equal(srv.counters.refused, 0);
    const slow: Socket[] = [];
    for (let src = 2; src < 2 + Math.ceil(total / perSource); src++) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(perSource, total - slow.length) }, () => raw(t, srv.port, `127.0.0.${src}`)),
      );
      for (const s of batch) s.write('##00'); // the start of a frame, never finished
      slow.push(...batch);
    }
    await until('every slot held', () => srv.connections.size === total);
    const a = await honest(t, srv, sink);
    t.equal(srv.counters.evicted, 1, 'one never-proven connection evicted for the instrument');
    t.equal(srv.counters.refused, 0, 'nobody refused');
    await until('the evicted slow connection is closed', () => slow.filter(closed).length === 1);
    t.ok(logs.withCode('HJ212_ERR_LIMIT').length >= 1, 'eviction logged with its code');
    t.notOk(a.closed, 'instrument stays connected');
    t.equal(srv.connections.size, total, 'total cap kept');
  },
);

t.test(
  'per-source limit: a source at its limit evicts its own idlest unproven connection, or is refused',
  async (t) => {
    const { srv } = await server(t, {
      max_connections: 50,
      max_connections_per_source: 3,
      first_frame_timeout_ms: 60_000,
    });
    const first = await raw(t, srv.port, '127.0.0.2');
    await raw(t, srv.port, '127.0.0.2');
    await raw(t, srv.port, '127.0.0.2');
    await until('three held', () => srv.connections.size === 3);
    // A fourth from the same source takes the place of the idlest (the first) of its own.
    await raw(t, srv.port, '127.0.0.2');
    await until('first evicted', () => closed(first));
    t.equal(srv.counters.evicted, 1);
    t.equal(srv.connections.size, 3, 'the source still holds three');
    // Another source is not affected by that source's limit.
    await raw(t, srv.port, '127.0.0.3');
    await until('other source accepted', () => srv.connections.size === 4);

    // A source whose every connection is a proven instrument: one more is refused (no eviction).
    const { srv: srv2, sink: sink2 } = await server(t, {
      max_connections: 50,
      max_connections_per_source: 2,
      first_frame_timeout_ms: 60_000,
    });
    await honest(t, srv2, sink2);
    await honest(t, srv2, sink2);
    const extra = await raw(t, srv2.port, '127.0.0.1');
    await until('extra refused', () => closed(extra));
    t.equal(srv2.counters.refusedPerSource, 1, 'counted as refused by the per-source limit');
    t.equal(srv2.counters.evicted, 0, 'no proven instrument evicted');
  },
);

t.test(
  'first-frame timeout: a connection dripping bytes without a complete frame is closed; proven ones stay',
  async (t) => {
    const { srv, sink } = await server(t, { first_frame_timeout_ms: 300, idle_timeout_ms: 60_000 });
    const a = await honest(t, srv, sink);
    const drip = await raw(t, srv.port, '127.0.0.2');
    const frame = upload(nextQn());
    let i = 0;
    const timer = setInterval(() => {
      if (!closed(drip) && i < frame.length - 1) drip.write(frame.subarray(i, ++i));
    }, 20);
    t.teardown(() => clearInterval(timer));
    await until('slowloris closed by the first-frame timeout', () => closed(drip), 10_000);
    clearInterval(timer);
    t.equal(srv.counters.firstFrameTimeouts, 1, 'counted');
    t.notOk(a.closed, 'the proven instrument is not touched');
    const qn = nextQn();
    await a.write(upload(qn));
    await a.reply(qn);
    t.pass('and still answered');
  },
);

t.test('when every slot holds a proven instrument, a new connection is refused and counted', async (t) => {
  const { srv, sink } = await server(t, { max_connections: 2, first_frame_timeout_ms: 60_000 });
  await honest(t, srv, sink);
  await honest(t, srv, sink);
  const extra = await raw(t, srv.port, '127.0.0.2');
  await until('refused', () => closed(extra));
  t.equal(srv.counters.refused, 1);
  t.equal(srv.counters.evicted, 0);
});

t.test('a connection flood is counted, its log lines rate-limited', async (t) => {
  const { srv, logs } = await server(t, {
    max_connections: 50,
    max_connections_per_source: 2,
    first_frame_timeout_ms: 60_000,
  });
  for (let i = 0; i < 40; i++) await raw(t, srv.port, '127.0.0.2');
  await until('38 evicted', () => srv.counters.evicted === 38);
  const lines = logs.withCode('HJ212_ERR_LIMIT').length;
  t.ok(lines >= 1 && lines <= 10, `at most 10 lines for 38 evictions (${lines})`);
  await until('the source holds two', () => srv.connections.size === 2);
});

t.test(
  'frames waiting for the store: reading pauses at max_pending_frames and resumes after the commits',
  async (t) => {
    const { srv, sink } = await server(t, { max_pending_frames: 2 });
    const a = await SimInstrument.connect('127.0.0.1', srv.port);
    t.teardown(() => a.close());
    sink.hold();
    const qns = [nextQn(), nextQn(), nextQn()];
    await a.write(upload(qns[0]!));
    await until('first handed to the store', () => sink.calls === 1);
    await a.write(upload(qns[1]!));
    await until('second handed to the store', () => sink.calls === 2);
    const conn = [...srv.connections][0]!;
    await until('reading paused', () => conn.paused);
    await a.write(upload(qns[2]!));
    t.equal(a.replies.length, 0, 'nothing answered before the commits');
    sink.release();
    for (const qn of qns) await a.reply(qn);
    t.equal(sink.stored.length, 3, 'all three stored after the pause');
    t.notOk(conn.paused, 'reading resumed');
  },
);
