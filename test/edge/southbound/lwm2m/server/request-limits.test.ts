/**
 * Limits of what the server holds for registered devices (issue 16, finding 5): the persistent
 * per-device request queue (count and bytes per device and in all), requests out to devices at
 * once, observations (per device and in all) and unfinished Block1 uploads. Each refusal is a
 * coded error with a counter; what the device already has keeps working.
 */
import t from 'tap';
import { isYiwangError } from '../../../../../common/errors.js';
import { createSimDevices } from '../../../../../edge/profiles/lwm2m-sim-device.js';
import { until } from '../../../../helpers/wait.js';
import { startLwm2mEdge } from './helpers.js';
import { RawClient, uintOption } from './raw-client.js';

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    return isYiwangError(e) ? e.code : `uncoded: ${(e as Error).message}`;
  }
}

t.test(
  'queued requests: per-device bytes and the total count are bounded, each with a coded error and a counter',
  async (t) => {
    const e = await startLwm2mEdge({
      lwm2m: { queue_max_total: 3, queue_max_bytes_per_device: 1024, awake_window_ms: 2000 },
    });
    t.teardown(() => e.agent.stop());
    const devs = await createSimDevices(
      2,
      { host: '127.0.0.1', port: e.port },
      { binding: 'UQ', prefix: 'urn:imei:8640000' },
    );
    t.teardown(() => {
      for (const d of devs) d.close();
    });
    for (const d of devs) {
      t.equal(await d.register(), '2.01');
      d.sleep();
    }
    const [a, b] = devs.map((d) => d.opts.endpoint) as [string, string];
    await until('both asleep', () => e.lwm2m.devices().every((d) => d.reachable === false), 10_000);

    t.equal(
      await refusal(e.lwm2m.submit(a, { op: 'write', path: '/3/0/14', value: 'x'.repeat(1100) })),
      'LWM2M_ERR_QUEUE_FULL',
      'a request over the per-device byte limit',
    );
    t.equal(e.lwm2m.stats().counters.queueRefusedDevice, 1, 'counted');
    await e.lwm2m.submit(a, { op: 'read', path: '/3/0/0' });
    await e.lwm2m.submit(a, { op: 'read', path: '/3/0/1' });
    await e.lwm2m.submit(b, { op: 'read', path: '/3/0/0' });
    t.equal(
      await refusal(e.lwm2m.submit(b, { op: 'read', path: '/3/0/1' })),
      'LWM2M_ERR_QUEUE_TOTAL',
      'the fourth open request of all devices',
    );
    t.equal(e.lwm2m.stats().counters.queueRefusedTotal, 1, 'counted');
    t.match(e.lwm2m.stats(), { queuedRequests: 3 }, 'three held');
    t.equal(e.agent.status().lwm2m?.counters.queueRefusedTotal, 1, 'in the status');

    // the device wakes and drains: there is room again
    await devs[0]!.update(); // awake for 2 s: its two requests go out
    await until('a drained', () => e.lwm2m.requests(a).open.length === 0, 10_000);
    // the stored list empties a moment before the in-memory total settles (after the store's commit)
    await until('the total follows the drain', () => e.lwm2m.stats().queuedRequests === 1, 5_000);
    t.equal(e.lwm2m.stats().queuedRequests, 1, 'the total follows the drain');
    t.equal(await refusal(e.lwm2m.submit(b, { op: 'read', path: '/3/0/1' })), 'accepted', 'room again');
  },
);

t.test('queued requests: the byte budget of all devices is bounded', async (t) => {
  const e = await startLwm2mEdge({ lwm2m: { queue_max_total_bytes: 65_536, awake_window_ms: 100 } });
  t.teardown(() => e.agent.stop());
  const devs = await createSimDevices(
    2,
    { host: '127.0.0.1', port: e.port },
    { binding: 'UQ', prefix: 'urn:imei:8642000' },
  );
  t.teardown(() => {
    for (const d of devs) d.close();
  });
  for (const d of devs) {
    t.equal(await d.register(), '2.01');
    d.sleep();
  }
  await until('both asleep', () => e.lwm2m.devices().every((d) => d.reachable === false), 5000);
  const big = (ep: string, path: string): Promise<string> =>
    refusal(e.lwm2m.submit(ep, { op: 'write', path, value: 'x'.repeat(30_000) }));
  t.equal(await big(devs[0]!.opts.endpoint, '/3/0/14'), 'accepted');
  t.equal(await big(devs[1]!.opts.endpoint, '/3/0/14'), 'accepted');
  t.equal(
    await big(devs[1]!.opts.endpoint, '/3/0/15'),
    'LWM2M_ERR_QUEUE_TOTAL',
    'the third 30 KB request does not fit in 64 KiB',
  );
  t.ok(e.lwm2m.stats().queuedBytes <= 65_536, `${e.lwm2m.stats().queuedBytes} bytes queued`);
  t.equal(e.lwm2m.stats().counters.queueRefusedTotal, 1);
});

t.test(
  'a newer write to the same resource takes the place of the pending one even at the per-device limit',
  async (t) => {
    const e = await startLwm2mEdge({ lwm2m: { queue_max_per_device: 1, awake_window_ms: 100 } });
    t.teardown(() => e.agent.stop());
    const [dev] = await createSimDevices(
      1,
      { host: '127.0.0.1', port: e.port },
      { binding: 'UQ', prefix: 'urn:imei:8641000' },
    );
    t.teardown(() => dev!.close());
    t.equal(await dev!.register(), '2.01');
    dev!.sleep();
    const ep = dev!.opts.endpoint;
    await until('asleep', () => e.lwm2m.devices()[0]!.reachable === false, 5000);
    const first = await e.lwm2m.submit(ep, { op: 'write', path: '/3/0/14', value: '+08:00' });
    const second = await e.lwm2m.submit(ep, { op: 'write', path: '/3/0/14', value: '+09:00' });
    t.same(second.superseded, [first.id], 'the newer write is queued in place of the older');
    t.equal(
      await refusal(e.lwm2m.submit(ep, { op: 'read', path: '/3/0/0' })),
      'LWM2M_ERR_QUEUE_FULL',
      'another request is not',
    );
    t.equal(e.lwm2m.stats().queuedRequests, 1);
  },
);

t.test('at most max_inflight_requests are out to devices; the others wait their turn', async (t) => {
  const e = await startLwm2mEdge({ lwm2m: { max_inflight_requests: 1, request_timeout_ms: 400, request_attempts: 1 } });
  t.teardown(() => e.agent.stop());
  const devs = await createSimDevices(3, { host: '127.0.0.1', port: e.port }, { prefix: 'urn:imei:8630000' });
  t.teardown(() => {
    for (const d of devs) d.close();
  });
  for (const d of devs) t.equal(await d.register(), '2.01');
  devs[0]!.sleep(); // never answers: holds the one slot until its request times out
  const stuck = await e.lwm2m.submit(devs[0]!.opts.endpoint, { op: 'read', path: '/3/0/0' });
  const r1 = await e.lwm2m.submit(devs[1]!.opts.endpoint, { op: 'read', path: '/3/0/0' });
  const r2 = await e.lwm2m.submit(devs[2]!.opts.endpoint, { op: 'read', path: '/3/0/0' });
  t.match(e.lwm2m.stats(), { inflightRequests: 1, devicesWaitingForSlot: 2 }, 'one out, two waiting');
  t.match(await stuck.result, { ok: false, error: { code: 'LWM2M_ERR_TIMEOUT' } });
  t.match(await r1.result, { ok: true }, 'the waiting devices are served after the slot came free');
  t.match(await r2.result, { ok: true });
  t.ok(e.lwm2m.stats().counters.queueSlotWaits! >= 2, 'waits counted');
  t.equal(e.lwm2m.stats().inflightRequests, 0);
});

t.test('observations per device and in all are bounded; a refused one is answered with Reset', async (t) => {
  const e = await startLwm2mEdge({ lwm2m: { max_observations_per_device: 1, max_observations: 2 } });
  t.teardown(() => e.agent.stop());
  const devs = await createSimDevices(3, { host: '127.0.0.1', port: e.port }, { prefix: 'urn:imei:8620000' });
  t.teardown(() => {
    for (const d of devs) d.close();
  });
  for (const d of devs) t.equal(await d.register(), '2.01');
  const [a, b, c] = devs.map((d) => d.opts.endpoint) as [string, string, string];
  t.match(await (await e.lwm2m.submit(a, { op: 'observe', path: '/3303/0/5700' })).result, { ok: true });
  t.equal(
    await refusal(e.lwm2m.submit(a, { op: 'observe', path: '/3/0/9' })),
    'LWM2M_ERR_OBSERVATIONS_FULL',
    'a second observation of one device',
  );
  t.match(
    await (await e.lwm2m.submit(a, { op: 'observe', path: '/3303/0/5700' })).result,
    { ok: true },
    'observing the same path again replaces it',
  );
  t.match(await (await e.lwm2m.submit(b, { op: 'observe', path: '/3303/0/5700' })).result, { ok: true });
  t.equal(
    await refusal(e.lwm2m.submit(c, { op: 'observe', path: '/3303/0/5700' })),
    'LWM2M_ERR_OBSERVATIONS_FULL',
    'a third observation of all devices',
  );
  t.equal(e.lwm2m.stats().observations, 2);

  // both pass the check when queued; the second is refused when the device accepts it
  await e.lwm2m.observations.remove(b, '/3303/0/5700');
  const [x, y] = await Promise.all([
    e.lwm2m.submit(b, { op: 'observe', path: '/3303/0/5700' }),
    e.lwm2m.submit(c, { op: 'observe', path: '/3303/0/5700' }),
  ]);
  const results = await Promise.all([x.result, y.result]);
  t.equal(results.filter((r) => r.ok).length, 1, 'one established');
  const refused = results.find((r) => !r.ok)!;
  t.match(
    refused,
    { ok: false, error: { code: 'LWM2M_ERR_OBSERVATIONS_FULL' } },
    'the other refused with the coded error',
  );
  const loser = results[0]!.ok ? devs[2]! : devs[1]!;
  t.ok(loser.observations.has('/3303/0/5700'), 'the device believes it is observed');
  await loser.notify('/3303/0/5700');
  t.notOk(loser.observations.has('/3303/0/5700'), 'its notification got a Reset: it stopped the observation');
  t.ok(e.lwm2m.stats().counters.observationsRefused! >= 3, 'refusals counted');
  t.equal(e.lwm2m.stats().observations, 2, 'still two held');
});

t.test('unfinished Block1 uploads to /rd are bounded in count and bytes (5.03 with Max-Age)', async (t) => {
  // 1,100 bytes: two 512-byte blocks with their keys (method, ep=…, path: about 15 bytes each) fit, a third block does not
  const e = await startLwm2mEdge({ lwm2m: { max_uploads: 2, uploads_max_bytes: 1100 } });
  t.teardown(() => e.agent.stop());
  const c = await RawClient.open(e.port);
  t.teardown(() => c.close());
  const block = (ep: string, num: number, more: boolean): Promise<import('coap-packet').ParsedPacket> =>
    c.request({
      path: ['rd'],
      contentFormat: 40,
      query: [`ep=${ep}`],
      payload: Buffer.alloc(512, 0x2c), // szx 5 = 512
      block1: Buffer.from([(num << 4) | (more ? 8 : 0) | 5]),
    });
  t.equal((await block('up-a', 0, true)).code, '2.31', 'upload a, block 0');
  t.equal((await block('up-b', 0, true)).code, '2.31', 'upload b, block 0 (1024 payload bytes and two keys held)');
  const third = await block('up-c', 0, true);
  t.equal(third.code, '5.03', 'a third unfinished upload is refused');
  t.equal(uintOption(third, 'Max-Age'), 30);
  const over = await block('up-a', 1, true);
  t.equal(over.code, '5.03', 'a block beyond the byte budget is refused; its upload is dropped');
  const held = e.lwm2m.stats();
  t.equal(held.uploads, 1, 'upload b goes on');
  t.ok(
    held.uploadBytes > 512 && held.uploadBytes < 600,
    `its block and its key are counted (${held.uploadBytes} bytes)`,
  );
  t.equal(e.lwm2m.stats().counters.uploadsRefused, 2, 'counted');
});

t.test('one source address cannot hold every Block1 upload slot (4.29 with Max-Age)', async (t) => {
  const e = await startLwm2mEdge({ lwm2m: { max_uploads: 64 } });
  t.teardown(() => e.agent.stop());
  const c = await RawClient.open(e.port);
  t.teardown(() => c.close());
  const block0 = (ep: string): Promise<import('coap-packet').ParsedPacket> =>
    c.request({
      path: ['rd'],
      contentFormat: 40,
      query: [`ep=${ep}`],
      payload: Buffer.alloc(16, 0x2c),
      block1: Buffer.from([0x08]), // num 0, more, szx 0 = 16
    });
  for (let i = 0; i < 16; i++) t.equal((await block0(`hog-${i}`)).code, '2.31', `upload ${i} from one address`);
  const over = await block0('hog-16');
  t.equal(over.code, '4.29', 'the 17th unfinished upload from the address is refused');
  t.equal(uintOption(over, 'Max-Age'), 30);
  t.match(e.lwm2m.stats(), { uploads: 16 }, 'the other slots stay free for other addresses');
  t.equal(e.lwm2m.stats().counters.uploadsRefused, 1, 'counted');
});

t.test('one Block1 upload larger than max_upload_bytes gets 4.13 with Size1', async (t) => {
  const e = await startLwm2mEdge({ lwm2m: { max_upload_bytes: 1024 } });
  t.teardown(() => e.agent.stop());
  const c = await RawClient.open(e.port);
  t.teardown(() => c.close());
  const block = (num: number): Promise<import('coap-packet').ParsedPacket> =>
    c.request({
      path: ['rd'],
      contentFormat: 40,
      query: ['ep=big-upload'],
      payload: Buffer.alloc(512, 0x2c),
      block1: Buffer.from([(num << 4) | 8 | 5]),
    });
  t.equal((await block(0)).code, '2.31');
  t.equal((await block(1)).code, '2.31', '1024 bytes: at the limit');
  const r = await block(2);
  t.equal(r.code, '4.13', 'the block past the limit');
  t.match(r.payload.toString(), /^LWM2M_ERR_BLOCK: upload exceeds 1024 bytes/);
  t.equal(uintOption(r, 'Size1'), 1024, 'Size1 names the limit');
  t.match(e.lwm2m.stats(), { uploads: 0, uploadBytes: 0 }, 'the upload is dropped');
});

t.test('finished requests and device events are kept up to history_max_rows each', async (t) => {
  const { default: Database } = await import('better-sqlite3');
  const { SqliteLwm2mStore } = await import('../../../../../edge/southbound/lwm2m/server/sqlite-store.js');
  const { tempDir } = await import('../../../../helpers/fleet.js');
  const db = new Database(`${tempDir('yw-lwm2m-hist-')}/edge.db`);
  const store = new SqliteLwm2mStore(db, 0);
  t.teardown(() => {
    store.close();
    db.close();
  });
  await store.write(() => {
    for (let i = 0; i < 150; i++) {
      store.addEvent(`ep-${i % 7}`, 'registered', 'x', i);
      const { id } = store.enqueue(`ep-${i % 7}`, 'read', '/3/0/0', '{}', null, i, i + 1000);
      if (i % 10 !== 0) store.finish(id, 'done', { ok: true }, i);
    }
  });
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  t.equal(
    await store.write(() => store.pruneHistory(100)),
    35 + 50,
    'the oldest finished requests and events are deleted',
  );
  t.equal(count(`SELECT count(*) AS n FROM lwm2m_queue WHERE state = 'done'`), 100, '100 finished requests kept');
  t.equal(count(`SELECT count(*) AS n FROM lwm2m_queue WHERE state = 'pending'`), 15, 'open requests are never pruned');
  t.equal(count('SELECT count(*) AS n FROM lwm2m_events'), 100, '100 events kept');
  t.equal(count('SELECT min(at_ms) AS n FROM lwm2m_events'), 50, 'the newest ones');
});
