/**
 * Issue 20 item 8: composite requests (FETCH) to a device without them. The first refusal
 * (4.05 / 4.02 / 5.01) marks the registration: that request fails LWM2M_ERR_NOT_SUPPORTED at once,
 * the queue goes on at once, and later composite requests fail without a datagram. A device not
 * in queue mode that never answers is retried at once and fails after its attempts, and is never
 * logged as "kept for the next wake". Raw datagrams against a real server on loopback.
 */
import t from 'tap';
import type { ParsedPacket } from 'coap-packet';
import { startLwm2mEdge } from './helpers.js';
import { WireDevice } from './wire-device.js';

const TIMEOUT_MS = 3000;

const fetches = (d: WireDevice): ParsedPacket[] => d.received.filter((p) => p.code === '0.05');

for (const refusal of ['4.05', '5.01'] as const) {
  t.test(
    `Core 1.1.1 §6.3 Read-Composite (FETCH) answered ${refusal} (RFC 7252 ${refusal === '4.05' ? '§5.9.2.6' : '§5.9.3.2'}): fails fast, the queue moves on, later composites are not sent`,
    async (t) => {
      const e = await startLwm2mEdge({ lwm2m: { request_timeout_ms: TIMEOUT_MS } });
      t.teardown(() => e.agent.stop());
      const dev = await WireDevice.open(e.port);
      t.teardown(() => dev.close());
      dev.respond = (req) =>
        req.code === '0.05'
          ? { code: refusal }
          : req.code === '0.01'
            ? { code: '2.05', contentFormat: 110, payload: JSON.stringify([{ bn: '/3/0/0', vs: 'ACME' }]) }
            : undefined;
      const ep = 'urn:dev:no-fetch';
      t.equal((await dev.register(ep)).code, '2.01');

      const t0 = Date.now();
      const composite = await e.lwm2m.submit(ep, { op: 'read-composite', paths: ['/3/0/0', '/3/0/1'] });
      const read = await e.lwm2m.submit(ep, { op: 'read', path: '/3/0/0' });
      const first = await composite.result;
      const failedIn = Date.now() - t0;
      t.match(first, { ok: false, coapCode: refusal, error: { code: 'LWM2M_ERR_NOT_SUPPORTED' } }, 'a coded error');
      t.ok(failedIn < TIMEOUT_MS / 3, `failed in ${failedIn} ms, well under one request timeout (${TIMEOUT_MS} ms)`);
      t.match(await read.result, { ok: true, records: [{ value: 'ACME' }] }, 'the next request went out at once');
      t.ok(Date.now() - t0 < TIMEOUT_MS / 3, 'and was answered well within one request timeout');
      t.equal(fetches(dev).length, 1, 'one FETCH on the wire');
      t.ok(
        e.logs.lines.some(
          (l) => l.deviceId === ep && l.coapCode === refusal && String(l.msg).includes('does not support composite'),
        ),
        'what happened is logged',
      );

      const onWire = dev.received.length;
      const again = await e.lwm2m.submit(ep, { op: 'observe-composite', paths: ['/3/0/0'] });
      t.match(
        await again.result,
        { ok: false, error: { code: 'LWM2M_ERR_NOT_SUPPORTED' } },
        'a later composite request fails at once',
      );
      t.notOk((await again.result).coapCode, 'without an answer from the device');
      t.equal(dev.received.length, onWire, 'and without a datagram on the wire');

      // A new Register is a new registration: composite operations are tried again.
      t.equal((await dev.register(ep)).code, '2.01');
      const retried = await e.lwm2m.submit(ep, { op: 'read-composite', paths: ['/3/0/0'] });
      t.match(await retried.result, { ok: false, coapCode: refusal, error: { code: 'LWM2M_ERR_NOT_SUPPORTED' } });
      t.equal(fetches(dev).length, 2, 'after the new Register the FETCH goes on the wire again');
    },
  );
}

t.test(
  'RFC 7252 §4.2 no answer from a device not in queue mode (b=U): sent again at once, failed after N attempts, never "kept for the next wake"',
  async (t) => {
    const e = await startLwm2mEdge({ lwm2m: { request_timeout_ms: 300, request_attempts: 3 } });
    t.teardown(() => e.agent.stop());
    const dev = await WireDevice.open(e.port); // answers nothing
    t.teardown(() => dev.close());
    const ep = 'urn:dev:silent-u';
    t.equal((await dev.register(ep, 'U')).code, '2.01');
    const r = await e.lwm2m.submit(ep, { op: 'read-composite', paths: ['/3/0/0'] });
    const res = await Promise.race([
      r.result,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000).unref()),
    ]);
    t.match(res, { ok: false, error: { code: 'LWM2M_ERR_TIMEOUT' } }, 'the request failed (it was not left waiting)');
    t.equal(new Set(fetches(dev).map((p) => p.token.toString('hex'))).size, 3, 'three attempts, each on the wire');
    const mine = e.logs.lines.filter((l) => l.deviceId === ep);
    t.notOk(
      mine.some((l) => String(l.msg).includes('kept for the next wake')),
      'no log line says "kept for the next wake" for a device that does not sleep',
    );
    t.ok(
      mine.some(
        (l) =>
          l.level === 40 &&
          l.id === r.id &&
          l.msg === 'lwm2m request failed after 3 attempts: the device did not answer',
      ),
      'the log says it failed after 3 attempts',
    );
    t.equal(e.lwm2m.requests(ep).recent[0]?.attempts, 3, 'three attempts recorded');
  },
);

t.test(
  'Core 1.1.1 §6.3 Read-Composite: a timeout (RFC 7252 §4.2) is not a refusal, composite operations stay on',
  async (t) => {
    const e = await startLwm2mEdge({ lwm2m: { request_timeout_ms: 300, request_attempts: 1 } });
    t.teardown(() => e.agent.stop());
    const dev = await WireDevice.open(e.port);
    t.teardown(() => dev.close());
    const ep = 'urn:dev:slow-fetch';
    t.equal((await dev.register(ep)).code, '2.01');
    const lost = await e.lwm2m.submit(ep, { op: 'read-composite', paths: ['/3/0/0'] });
    t.match(await lost.result, { ok: false, error: { code: 'LWM2M_ERR_TIMEOUT' } });
    dev.respond = (req) =>
      req.code === '0.05'
        ? { code: '2.05', contentFormat: 110, payload: JSON.stringify([{ n: '/3/0/0', vs: 'ACME' }]) }
        : undefined;
    const ok = await e.lwm2m.submit(ep, { op: 'read-composite', paths: ['/3/0/0'] });
    t.match(
      await ok.result,
      { ok: true, records: [{ path: '/3/0/0', value: 'ACME' }] },
      'the next FETCH is sent and answered',
    );
    t.equal(fetches(dev).length, 2, 'both FETCHes went on the wire');
  },
);

for (const how of ['Reset', 'token-less 4.05'] as const)
  t.test(
    `Core 1.1.1 §6.3 Read-Composite (FETCH) answered with a ${how} (RFC 7252 §4.2 / §5.3.2: matched by Message ID): fails fast, later composites are not sent`,
    async (t) => {
      const e = await startLwm2mEdge({ lwm2m: { request_timeout_ms: TIMEOUT_MS } });
      t.teardown(() => e.agent.stop());
      const dev = await WireDevice.open(e.port);
      t.teardown(() => dev.close());
      dev.respond = (req) =>
        req.code === '0.05'
          ? how === 'Reset'
            ? { code: '0.00', reset: true }
            : { code: '4.05', noToken: true }
          : req.code === '0.01'
            ? { code: '2.05', contentFormat: 110, payload: JSON.stringify([{ bn: '/3/0/0', vs: 'ACME' }]) }
            : undefined;
      const ep = `urn:dev:no-fetch-${how === 'Reset' ? 'rst' : 'notoken'}`;
      t.equal((await dev.register(ep)).code, '2.01');
      const t0 = Date.now();
      const composite = await e.lwm2m.submit(ep, { op: 'read-composite', paths: ['/3/0/0', '/3/0/1'] });
      const read = await e.lwm2m.submit(ep, { op: 'read', path: '/3/0/0' });
      t.match(
        await composite.result,
        { ok: false, coapCode: how === 'Reset' ? 'reset' : '4.05', error: { code: 'LWM2M_ERR_NOT_SUPPORTED' } },
        'a coded error',
      );
      t.ok(Date.now() - t0 < TIMEOUT_MS / 3, `failed in ${Date.now() - t0} ms, well under one request timeout`);
      t.match(await read.result, { ok: true, records: [{ value: 'ACME' }] }, 'the next request went out at once');
      t.equal(fetches(dev).length, 1, 'one FETCH on the wire, not retransmitted');
      const onWire = dev.received.length;
      const again = await e.lwm2m.submit(ep, { op: 'read-composite', paths: ['/3/0/0'] });
      t.match(
        await again.result,
        { ok: false, error: { code: 'LWM2M_ERR_NOT_SUPPORTED' } },
        'a later one fails at once',
      );
      t.equal(dev.received.length, onWire, 'without a datagram on the wire');
    },
  );

t.test(
  'RFC 7252 §5.2.2 separate response to a FETCH: the empty ACK stops the retransmissions, the response completes the request',
  async (t) => {
    const e = await startLwm2mEdge({ lwm2m: { request_timeout_ms: 10_000 } });
    t.teardown(() => e.agent.stop());
    const dev = await WireDevice.open(e.port);
    t.teardown(() => dev.close());
    const ANSWER_AFTER_MS = 3500; // past the first retransmission (2–3 s) of a request not acknowledged
    dev.respond = (req) =>
      req.code === '0.05'
        ? {
            code: '2.05',
            contentFormat: 110,
            payload: JSON.stringify([{ bn: '/3/0/', n: '0', vs: 'ACME' }]),
            separateAfterMs: ANSWER_AFTER_MS,
          }
        : undefined;
    const ep = 'urn:dev:separate';
    t.equal((await dev.register(ep)).code, '2.01');
    const r = await e.lwm2m.submit(ep, { op: 'read-composite', paths: ['/3/0/0'] });
    t.match(await r.result, { ok: true, records: [{ value: 'ACME' }] }, 'the separate response is the answer');
    t.equal(fetches(dev).length, 1, 'acknowledged: the FETCH was not sent again while its response was on its way');
  },
);
