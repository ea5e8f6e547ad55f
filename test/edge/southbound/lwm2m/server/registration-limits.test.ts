/**
 * Limits of the registration interface (issue 16, finding 5): registration count and byte budget
 * (5.03 with Max-Age; an offline registration makes room), object-link and endpoint-name sizes,
 * and the per-source rate of NEW endpoints (4.29 with Max-Age; known endpoints never wait). Each
 * limit moves its counter in the agent's status and metrics.
 */
import t from 'tap';
import { EdgeMetrics } from '../../../../../edge/api/metrics.js';
import { registrationBytes } from '../../../../../edge/southbound/lwm2m/server/registration-table.js';
import { startLwm2mEdge } from './helpers.js';
import { location, RawClient, uintOption } from './raw-client.js';

const text = (p: { payload: Buffer }): string => p.payload.toString();

t.test(
  'at max_registrations a new endpoint gets 5.03 with Max-Age; known ones keep working; an offline one makes room',
  async (t) => {
    const e = await startLwm2mEdge({ lwm2m: { max_registrations: 3, new_endpoints_per_s: 0 } });
    t.teardown(() => e.agent.stop());
    const c = await RawClient.open(e.port);
    t.teardown(() => c.close());
    const locs: string[][] = [];
    for (const ep of ['cap-1', 'cap-2', 'cap-3']) {
      const r = await c.register(ep);
      t.equal(r.code, '2.01', `${ep} registered`);
      locs.push(location(r));
    }
    const full = await c.register('cap-4');
    t.equal(full.code, '5.03', 'a fourth endpoint is refused');
    t.match(text(full), /^LWM2M_ERR_REGISTRATIONS_FULL: /, 'coded diagnostic');
    t.equal(uintOption(full, 'Max-Age'), 60, 'Max-Age tells the device when to try again');
    t.equal(e.lwm2m.stats().counters.registrationsRefusedFull, 1, 'counted');
    t.equal(e.lwm2m.stats().registrations, 3, 'nothing more held');

    // the registered devices are not affected: Register again and Update
    t.equal((await c.register('cap-2')).code, '2.01', 'a known endpoint registers again at the cap');
    t.equal((await c.request({ path: locs[0]! })).code, '2.04', 'a known endpoint updates at the cap');

    // De-register cap-3: offline registrations make room for new endpoints, oldest offline first
    t.equal((await c.request({ code: '0.04', path: locs[2]! })).code, '2.02');
    t.equal((await c.register('cap-4')).code, '2.01', 'the new endpoint takes the place of the offline one');
    t.equal(e.lwm2m.stats().counters.registrationsEvicted, 1, 'eviction counted');
    t.notOk(e.lwm2m.device('cap-3'), 'the offline registration is gone');
    t.equal((await c.request({ path: locs[2]! })).code, '4.04', 'its registration id no longer exists');
    t.equal(e.lwm2m.stats().registrations, 3);

    // status and metrics show the refusals
    const status = e.agent.status();
    t.equal(status.lwm2m?.counters.registrationsRefusedFull, 1, 'status.lwm2m carries the counter');
    t.equal(status.lwm2m?.rejectedByCode.LWM2M_ERR_REGISTRATIONS_FULL, 1, 'refusals by code');
    const metrics = await new EdgeMetrics(() => e.agent.status()).render();
    t.match(metrics, /yiwang_edge_lwm2m_refused_total\{reason="registrations_full"\} 1/, 'metric');
    t.match(metrics, /yiwang_edge_lwm2m_registrations 3/);
    t.match(metrics, /yiwang_edge_lwm2m_registrations_evicted_total 1/);
  },
);

t.test('the registration byte budget refuses new endpoints with 5.03 when full of online registrations', async (t) => {
  const links = Array.from({ length: 200 }, (_, i) => `</3303/${i}>`).join(',');
  const cost = registrationBytes({ endpoint: 'bytes-00', links, objects: new Array(200), sms: undefined });
  const fit = Math.floor(65_536 / cost);
  const e = await startLwm2mEdge({ lwm2m: { max_registrations_bytes: 65_536, new_endpoints_per_s: 0 } });
  t.teardown(() => e.agent.stop());
  const c = await RawClient.open(e.port);
  t.teardown(() => c.close());
  for (let i = 0; i < fit; i++) t.equal((await c.register(`bytes-${String(i).padStart(2, '0')}`, links)).code, '2.01');
  const r = await c.register('bytes-xx', links);
  t.equal(r.code, '5.03', `registration ${fit + 1} of ${cost} accounted bytes does not fit in 65536`);
  t.match(text(r), /^LWM2M_ERR_REGISTRATIONS_FULL: /);
  t.ok(e.lwm2m.stats().registrationBytes <= 65_536, `${e.lwm2m.stats().registrationBytes} accounted bytes held`);
  t.equal((await c.register('bytes-00', links)).code, '2.01', 'a known endpoint of the same size registers again');
  t.equal((await c.register('small', '</1/0>')).code, '2.01', 'a small registration still fits');
});

t.test('object links over max_link_bytes get 4.13, endpoint names over max_endpoint_length 4.00', async (t) => {
  const e = await startLwm2mEdge({ lwm2m: { max_link_bytes: 1024, max_endpoint_length: 32 } });
  t.teardown(() => e.agent.stop());
  const c = await RawClient.open(e.port);
  t.teardown(() => c.close());
  const big = Array.from({ length: 150 }, (_, i) => `</3303/${i}>`).join(',');
  const r = await c.register('links-big', big);
  t.equal(r.code, '4.13', `${big.length} bytes of links refused`);
  t.match(text(r), /^LWM2M_ERR_REGISTRATION: object links of \d+ bytes exceed lwm2m.max_link_bytes 1024/);
  t.equal(e.lwm2m.stats().counters.linksTooLarge, 1, 'counted');
  t.equal((await c.register('x'.repeat(33))).code, '4.00', 'a 33-character endpoint name is refused');
  const ok = await c.register('y'.repeat(32));
  t.equal(ok.code, '2.01', 'a 32-character one is taken');
  const upd = await c.request({ path: location(ok), contentFormat: 40, payload: big });
  t.equal(upd.code, '4.13', 'an Update with links over the limit is refused too');
  t.equal((await c.request({ path: location(ok) })).code, '2.04', 'the registration is unchanged and updates');
  t.equal(e.lwm2m.stats().rejectedByCode.LWM2M_ERR_REGISTRATION, 3);
});

t.test('new endpoints are rate-limited per source address; known endpoints never are', async (t) => {
  const e = await startLwm2mEdge({ lwm2m: { new_endpoints_per_s: 1, new_endpoints_burst: 3, rate_limit_sources: 2 } });
  t.teardown(() => e.agent.stop());
  const a = await RawClient.open(e.port, '127.0.0.1');
  const b = await RawClient.open(e.port, '127.0.0.2');
  const c = await RawClient.open(e.port, '127.0.0.3');
  t.teardown(() => {
    a.close();
    b.close();
    c.close();
  });
  const locs: string[][] = [];
  for (let i = 0; i < 3; i++) {
    const r = await a.register(`nat-${i}`);
    t.equal(r.code, '2.01', `burst: new endpoint ${i} from 127.0.0.1`);
    locs.push(location(r));
  }
  const limited = await a.register('nat-3');
  t.equal(limited.code, '4.29', 'the fourth new endpoint from the same address waits');
  t.match(text(limited), /^LWM2M_ERR_RATE_LIMITED: /);
  t.ok((uintOption(limited, 'Max-Age') ?? 0) >= 1, 'with Max-Age');
  t.equal(e.lwm2m.stats().counters.registrationsRateLimited, 1, 'counted');

  // devices already registered behind that address (NAT) are never limited
  for (let i = 0; i < 3; i++) {
    t.equal((await a.request({ path: locs[i]! })).code, '2.04', `update of nat-${i}`);
    t.equal((await a.register(`nat-${i}`)).code, '2.01', `re-register of nat-${i}`);
  }
  t.equal(e.lwm2m.stats().counters.registrationsRateLimited, 1, 'none of them was limited');

  // another address has its own bucket; with rate_limit_sources 2 a third one shares a bucket
  for (let i = 0; i < 3; i++)
    t.equal((await b.register(`other-${i}`)).code, '2.01', 'another source address has its own bucket');
  for (let i = 0; i < 3; i++) await c.register(`third-${i}`);
  t.ok(e.lwm2m.stats().counters.rateLimitSharedBucket! >= 1, 'a third address draws from the shared bucket');
  t.ok(e.lwm2m.stats().rateLimitSources <= 2, 'the map of sources is bounded');
});
