/**
 * Issue 16: live updates (SSE) had no backpressure — 10 stalled listeners grew the cloud by
 * 110 MB in 12 s, never freed. Listeners are capped (total and per client address) and a
 * listener whose unsent bytes would pass http.live_max_buffered_bytes is disconnected.
 * Stalled listeners are real sockets that send the request and never read.
 */
import t from 'tap';
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import type { NewEvent } from '../../../cloud/health/types.js';
import { startCloud } from '../../helpers/fleet.js';
import { until } from '../../helpers/wait.js';
import { rawRequest } from './raw-http.js';

const CAP = 512 * 1024;

/** A listener that sends its request and never reads a byte (no 'data' handler: the socket stays paused). */
function stalled(port: number, localAddress = '127.0.0.1'): Socket {
  const s = connect({ port, host: '127.0.0.1', localAddress });
  s.on('error', () => {});
  s.write(`GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
  return s;
}

const events = (n: number, round: number): NewEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    gatewayId: 'gw-1',
    deviceId: `dev-${i}`,
    type: 'tilt',
    severity: 'info',
    tsMs: Date.now(),
    message: `round ${round} ${'m'.repeat(4000)}`,
    attributes: {},
    active: true,
    sourceId: '',
  }));

t.test(
  'stalled listeners are dropped at their buffer cap; buffered bytes stay bounded; a reading listener keeps up',
  async (t) => {
    const { cloud, logs } = await startCloud(undefined, {
      health: { live_ms: 50 },
      http: { live_max_buffered_bytes: CAP, live_max_listeners: 8, live_max_per_client: 6, request_timeout_ms: 1000 },
    });
    t.teardown(() => cloud.stop());
    const port = cloud.api.port;
    const live = cloud.live;

    // one healthy listener that reads everything
    let got = 0,
      summaries = 0;
    const healthy = request(
      { host: '127.0.0.1', port, path: '/api/v1/live', headers: { accept: 'text/event-stream' }, agent: false },
      (res) => {
        res.on('data', (c: Buffer) => {
          got += (c.toString().match(/^event: event$/gm) ?? []).length;
          summaries += (c.toString().match(/^event: summary$/gm) ?? []).length;
        });
      },
    );
    healthy.on('error', () => {});
    healthy.end();
    const stuck = [stalled(port), stalled(port), stalled(port), stalled(port)];
    await until('five listeners, and a tick ran for them', () => live.listeners === 5 && summaries > 0);
    const attachedAt = Date.now();

    let maxBuffered = 0;
    let round = 0;
    while (live.stats().droppedSlow < stuck.length && round < 2000) {
      await cloud.store.addEvents(events(100, round++), Date.now());
      await new Promise((r) => setTimeout(r, 40)); // about what the hub sends per tick at the cap
      maxBuffered = Math.max(maxBuffered, live.bufferedBytes());
    }
    const frame = 4300; // one event frame (a 4 KB message); a tick's write is at most the cap plus one frame
    t.equal(
      live.stats().droppedSlow,
      4,
      `every stalled listener was dropped (after ${round} rounds of 100 events, ${((round * 100 * frame) / 1e6).toFixed(0)} MB sent to each)`,
    );
    t.ok(
      maxBuffered <= 5 * (2 * CAP + frame),
      `buffered bytes stayed bounded: at most ${maxBuffered} (cap ${CAP} per listener)`,
    );
    await until('the healthy listener got every event', async () => got >= round * 100, 30_000);
    t.equal(live.listeners, 1, 'the reading listener is still attached');
    t.ok(live.bufferedBytes() <= CAP, 'and nothing is left buffered for the dropped ones');
    t.equal(logs.withCode('CLOUD_ERR_LIVE_SLOW').length, 1, 'one warn line for the burst of drops (rate-limited)');

    // the server closed the stalled sockets: once one reads what was queued, it sees the end
    const closed = stuck.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.on('close', () => resolve());
          s.resume();
        }),
    );
    await Promise.all(closed);
    t.pass('each stalled socket was closed by the server');

    const m = (await rawRequest(port, 'GET', '/metrics', { host: `127.0.0.1:${port}` })).text;
    t.match(m, /yiwang_http_live_dropped_total\{reason="slow"\} 4/);
    t.match(m, /yiwang_http_live_listeners 1/);
    // http.request_timeout_ms (1 s here) bounds receiving requests, never a live response
    await new Promise((r) => setTimeout(r, Math.max(0, 2000 - (Date.now() - attachedAt))));
    t.equal(live.listeners, 1, 'the reading listener outlives the request timeout');
    healthy.destroy();
  },
);

t.test('listeners are capped in total and per client address (503)', async (t) => {
  const { cloud } = await startCloud(undefined, { http: { live_max_listeners: 4, live_max_per_client: 2 } });
  t.teardown(() => cloud.stop());
  const port = cloud.api.port;
  const host = `127.0.0.1:${port}`;
  const open = [stalled(port, '127.0.0.1'), stalled(port, '127.0.0.1')];
  await until('two listeners', () => cloud.live.listeners === 2);
  const third = await rawRequest(port, 'GET', '/api/v1/live', { host });
  t.equal(third.status, 503, 'a third from the same address is refused');
  t.equal(third.json().error?.code, 'CLOUD_ERR_LIVE_FULL');
  open.push(stalled(port, '127.0.0.2'), stalled(port, '127.0.0.3'));
  await until('four listeners', () => cloud.live.listeners === 4);
  const fifth = await new Promise<string>((resolve) => {
    const s = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.4' });
    let text = '';
    s.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('}}')) {
        s.destroy();
        resolve(text);
      }
    });
    s.write(`GET /api/v1/live HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  });
  t.match(
    fifth,
    /^HTTP\/1\.1 503 [\s\S]*CLOUD_ERR_LIVE_FULL/,
    'past the total a listener from a new address is refused',
  );
  t.same(
    { ...cloud.live.stats(), bufferedBytes: 0 },
    { listeners: 4, bufferedBytes: 0, refusedFull: 1, refusedPerClient: 1, droppedSlow: 0 },
  );
  // a listener that goes away frees its place
  open[0]!.destroy();
  await until('a place is free', () => cloud.live.listeners === 3);
  const again = stalled(port, '127.0.0.1');
  await until('it is taken again', () => cloud.live.listeners === 4);
  for (const s of [...open, again]) s.destroy();
  await until('all gone', () => cloud.live.listeners === 0);
});
