/**
 * Department webhooks: signed (HMAC-SHA256 over timestamp and body) as a real receiver checks,
 * retried with back-off when it answers 500, given up after maxAttempts, bounded queue with a
 * drop counter, an attempt that hangs times out.
 */
import t from 'tap';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody, verifySignature, WebhookSender } from '../../../cloud/incidents/webhook.js';
import { until } from '../../helpers/wait.js';
import { startReceiver } from './webhook-receiver.js';

const SECRET = 'dept-secret-0123456789';

t.test('signature: verified by a real receiver; a changed body, another secret or an old timestamp fail', async (t) => {
  const rx = await startReceiver(SECRET);
  t.teardown(() => rx.close());
  const w = new WebhookSender({ baseDelayMs: 10 });
  t.teardown(() => w.stop());
  t.ok(w.send({ departmentId: 'd', url: rx.url, secret: SECRET }, { kind: 'incident.opened', n: 1 }));
  await until('delivered', () => w.counters.delivered === 1);
  const g = rx.got[0]!;
  t.ok(g.verified, 'the receiver verifies the signature');
  t.match(g.signature, /^sha256=[0-9a-f]{64}$/);
  t.same(g.body, { kind: 'incident.opened', n: 1 });
  const ts = Number(g.timestamp);
  t.notOk(verifySignature(SECRET, { signature: g.signature, timestamp: g.timestamp }, `${g.raw} `, ts), 'body changed');
  t.notOk(verifySignature('another-secret-xxxxxxx', { signature: g.signature, timestamp: g.timestamp }, g.raw, ts));
  t.notOk(
    verifySignature(SECRET, { signature: g.signature, timestamp: g.timestamp }, g.raw, ts + 301),
    'a replay 5 min later is refused (the timestamp is in the MAC)',
  );
  t.notOk(
    verifySignature(SECRET, { signature: signBody(SECRET, ts, g.raw), timestamp: String(ts + 1) }, g.raw, ts + 1),
    'the timestamp header cannot be moved on without the secret',
  );
  t.equal(w.queued, 0);
});

t.test('retries with back-off while the receiver answers 500; gives up after maxAttempts', async (t) => {
  const rx = await startReceiver(SECRET);
  t.teardown(() => rx.close());
  rx.answers.push(500, 500);
  const w = new WebhookSender({ baseDelayMs: 20, maxAttempts: 3 });
  t.teardown(() => w.stop());
  w.send({ departmentId: 'd', url: rx.url, secret: SECRET }, { kind: 'x' });
  await until('delivered on the third attempt', () => w.counters.delivered === 1);
  t.equal(rx.got.length, 3, 'three attempts');
  t.same(
    rx.got.map((g) => g.status),
    [500, 500, 200],
  );
  t.ok(
    rx.got.every((g) => g.verified),
    'each attempt signed (with its own timestamp)',
  );
  t.equal(w.counters.retried, 2);
  t.equal(w.counters.attemptsFailed, 2);

  rx.answers.push(500, 500, 500);
  w.send({ departmentId: 'd', url: rx.url, secret: SECRET }, { kind: 'y' });
  await until('given up', () => w.counters.gaveUp === 1);
  t.equal(rx.got.length, 6);
  t.equal(w.queued, 0, 'nothing left queued');
});

t.test('the queue is bounded: more than maxQueue are dropped and counted; send never blocks', async (t) => {
  // a receiver that never answers: deliveries stay in flight until the timeout
  const hang = createServer(() => {});
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  t.teardown(
    () =>
      new Promise<void>((r) => {
        hang.closeAllConnections();
        hang.close(() => r());
      }),
  );
  const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/`;
  const w = new WebhookSender({ maxQueue: 5, concurrency: 2, timeoutMs: 200, maxAttempts: 1 });
  t.teardown(() => w.stop());
  // send() is synchronous: it answers queued or dropped at once, never waiting for a delivery
  const sent = Array.from({ length: 8 }, (_, i) => w.send({ departmentId: 'd', url, secret: SECRET }, { i }));
  t.same(sent, [true, true, true, true, true, false, false, false]);
  t.equal(w.counters.dropped, 3, 'three dropped, counted');
  await until(
    'the hanging attempts time out (5 s by default, 200 ms here) and are given up',
    () => w.counters.gaveUp === 5,
  );
  t.equal(w.counters.delivered, 0);
  t.equal(w.queued, 0);
});
