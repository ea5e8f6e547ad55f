/**
 * Issue 16, finding 5: an LwM2M registration flood must not take the agent down or cost honest
 * devices their service. Against the built agent as shipped (own process, heap flags, default
 * limits): thousands of new endpoints from one address (as NB-IoT NAT makes them look), each
 * registering objects that make the generic-ipso profile queue requests the fake endpoint never
 * answers; an honest device keeps updating and notifying throughout. And in-process with small
 * limits, from many source addresses (the rate limit then holds each to its burst): the count
 * limits hold, and the honest device still works.
 *   needs `npm run build --silent` first (the first test spawns dist/edge/cli/main.js)
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../../../common/paths.js';
import { tempDir } from '../../../../helpers/fleet.js';
import { until } from '../../../../helpers/wait.js';
import { apiGet, honestProbe, registrationFlood, rssOf, spawnAgent } from './registration-flood.js';
import { startLwm2mEdge } from './helpers.js';
import { loadEdgeConfig } from '../../../../../edge/config.js';

/** The agent as shipped: the rate limit's defaults. */
const { new_endpoints_burst: BURST, new_endpoints_per_s: PER_S } = loadEdgeConfig(undefined, {}).lwm2m;

interface Lwm2mStatus {
  counters: Record<string, number>;
  rejectedByCode: Record<string, number>;
}

t.test(
  'a flood of new endpoints from one address: rate-limited, the agent stays up, the honest device loses nothing',
  async (t) => {
    const dir = tempDir('yw-lwm2m-flood-test-');
    const edge = await spawnAgent(join(REPO_ROOT, 'dist', 'edge', 'cli', 'main.js'), dir);
    let alive = true;
    void edge.exited.then(() => {
      alive = false;
    });
    t.teardown(async () => {
      if (alive) {
        edge.proc.kill('SIGTERM');
        await edge.exited;
      }
    });
    const target = { host: '127.0.0.1', port: edge.coapPort };
    const honest = await honestProbe(target, 'urn:imei:honest-flood', 100);
    t.ok(honest.device.observations.has('/3303/0/5700'), 'the honest device is observed before the flood');

    const started = Date.now();
    const flood = await registrationFlood(target, { count: 8000, endpoints: 8000, perSecond: 4000, sockets: 4 });
    const sock = join(dir, 'agent.sock');
    const registered = async (): Promise<number> =>
      ((await apiGet(sock, '/v1/lwm2m/devices')) as { devices: unknown[] }).devices.length;
    const status = async (): Promise<Lwm2mStatus | undefined> =>
      ((await apiGet(sock, '/v1/status')) as { lwm2m?: Lwm2mStatus }).lwm2m;
    // the flood is over when the agent has answered it: its registrations stop growing
    let last = -1;
    await until(
      'the agent has taken in the flood',
      async () => {
        const n = await registered();
        const done = n === last;
        last = n;
        return done;
      },
      30_000,
      1000,
    ).catch(() => undefined);
    await honest.stop();
    t.ok(alive, `the agent is up (rss ${((rssOf(edge.proc.pid!) ?? 0) / 2 ** 20).toFixed(0)} MB)`);
    t.ok(
      honest.figures.updates > 0 && honest.figures.notifications > 0,
      `honest device: ${JSON.stringify(honest.figures)}`,
    );
    t.equal(
      honest.figures.updatesFailed + honest.figures.notificationsFailed,
      0,
      'no update or notification of the honest device failed',
    );
    // the bucket: a burst, then its rate for as long as the agent took the flood in (+ the honest device)
    const seconds = (Date.now() - started) / 1000;
    const allowed = BURST + PER_S * seconds + 1;
    const n = await registered();
    t.ok(n <= allowed, `${n} registrations held, at most ${allowed.toFixed(0)} admitted in ${seconds.toFixed(1)} s`);
    const s = await status();
    t.ok((flood.answers['4.29'] ?? 0) > 0, 'the flooder got 4.29 answers');
    t.ok(
      (s?.counters.registrationsRateLimited ?? 0) >= (flood.answers['4.29'] ?? 1),
      `${s?.counters.registrationsRateLimited} new endpoints refused 4.29 (status.lwm2m), at least the ${flood.answers['4.29']} the flooder saw`,
    );
    const rejectedLines = readFileSync(join(dir, 'edge.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"lwm2m request rejected"')).length;
    t.ok(
      rejectedLines <= 10,
      `${rejectedLines} log lines for ${s?.rejectedByCode?.LWM2M_ERR_RATE_LIMITED} refusals (10 per code and minute)`,
    );
  },
);

t.test(
  'a flood from many addresses: registration, queue and observation totals hold; the honest device works',
  async (t) => {
    const MAX_REGS = 300,
      MAX_QUEUED = 500;
    const e = await startLwm2mEdge({
      lwm2m: { max_registrations: MAX_REGS, queue_max_total: MAX_QUEUED, new_endpoints_burst: 20 },
    });
    t.teardown(() => e.agent.stop());
    const target = { host: '127.0.0.1', port: e.port };
    const honest = await honestProbe(target, 'urn:imei:honest-many', 50);
    t.ok(honest.device.observations.has('/3303/0/5700'), 'the honest device is observed');
    const bindAddresses = Array.from({ length: 50 }, (_, i) => `127.0.1.${i + 1}`);
    const flood = await registrationFlood(target, {
      count: 3000,
      endpoints: 3000,
      perSecond: 3000,
      bindAddresses,
      sockets: 50,
    });
    // every Register the agent received is admitted or refused (a flood may lose a few datagrams: 95 % of them)
    const judged = (): number => {
      const c = e.lwm2m.stats().counters;
      return c.registrations! + c.registrationsRateLimited! + c.registrationsRefusedFull!;
    };
    await until('the flood is answered', () => judged() >= 0.95 * flood.sent, 30_000, 50).catch(() => undefined);
    await honest.stop();
    const s = e.lwm2m.stats();
    t.ok(s.registrations <= MAX_REGS, `${s.registrations} registrations held (max ${MAX_REGS})`);
    t.ok(s.counters.registrationsRefusedFull! > 0, `${s.counters.registrationsRefusedFull} refused 5.03 at the cap`);
    t.ok((flood.answers['5.03'] ?? 0) > 0, 'the flooder got 5.03 answers');
    t.ok(s.queuedRequests <= MAX_QUEUED, `${s.queuedRequests} requests queued (max ${MAX_QUEUED})`);
    t.ok(s.counters.queueRefusedTotal! > 0, `${s.counters.queueRefusedTotal} profile requests refused at the total`);
    t.equal(
      honest.figures.updatesFailed + honest.figures.notificationsFailed,
      0,
      `honest device: ${JSON.stringify(honest.figures)}`,
    );
    t.ok(honest.figures.notifications > 0, 'its notifications were stored');
  },
);
