/**
 * onvif-internals.ts against a real `onvif` Cam and the test camera (scripts/sim/onvif-camera.ts):
 * the clock shift, the subscription and its pull-point address (items 1-4 there) are where they were
 * and behave as the camera client assumes. An onvif upgrade that moves one of them fails here.
 */
import t from 'tap';
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { FakeOnvifCamera } from '../../../../scripts/sim/onvif-camera.js';
import { parseEndpoint } from '../../../../edge/southbound/onvif/onvif-client.js';
import {
  assertOnvifInternals,
  createCam,
  forgetClockShift,
  hasSubscription,
  onvifProblems,
  pullThroughAgent,
  type OnvifCam,
} from '../../../../edge/southbound/onvif/onvif-internals.js';
import { soapGuardInstalled } from '../../../../edge/southbound/onvif/soap-guard.js';
import { until } from '../../../helpers/wait.js';

/** One callback call of the package as a promise. */
const call = <T = unknown>(fn: (cb: (err: Error | null, data?: T) => void) => void): Promise<T | undefined> =>
  new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));

const sockets = (a: Agent): number =>
  Object.values(a.sockets).flat().length + Object.values(a.freeSockets).flat().length;
const shiftNow = (cam: OnvifCam): number => (cam.timeShift ?? NaN) + process.uptime() * 1000;

t.test('the onvif version checked is the one installed', async (t) => {
  const version = (createRequire(import.meta.url)('onvif/package.json') as { version: string }).version;
  t.match(
    version,
    /^0\.8\./,
    `onvif-internals.ts was checked against onvif 0.8.3 (installed: ${version}); re-check every item there before changing this`,
  );
  t.equal(
    soapGuardInstalled,
    true,
    "5: the SOAP check is in front of lib/utils.js's parseSOAPString, installed before lib/cam.js loaded",
  );
});

t.test('a Cam: clock shift, our agents, the subscription and its pull-point address', async (t) => {
  const fake = await new FakeOnvifCamera({ password: 'pw', skewMs: 120_000, pullHoldMs: 3000 }).start();
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const pullAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(async () => {
    agent.destroy();
    pullAgent.destroy();
    await fake.stop();
  });
  const ep = parseEndpoint(fake.deviceServiceUrl)!;
  const cam = createCam({
    hostname: ep.hostname,
    port: ep.port,
    path: ep.path,
    username: 'admin',
    password: 'pw',
    timeoutMs: 2000,
    agent,
  });

  // 4: the options, and nothing sent by the constructor
  t.same(onvifProblems(cam), []);
  t.doesNotThrow(() => assertOnvifInternals(cam));
  await new Promise((r) => setTimeout(r, 50));
  t.equal(fake.requests.size, 0, 'autoconnect: false sends nothing');
  t.equal(cam.agent, agent, 'our agent');

  // 1: timeShift learnt once, kept, and learnt again after forgetClockShift()
  await call<Date>((cb) => cam.getSystemDateAndTime(cb));
  t.ok(
    Math.abs(shiftNow(cam) - (Date.now() + 120_000)) < 3000,
    'timeShift: the camera clock (120 s ahead) minus process uptime',
  );
  fake.skewMs = -60_000;
  await call<Date>((cb) => cam.getSystemDateAndTime(cb));
  t.ok(Math.abs(shiftNow(cam) - (Date.now() + 120_000)) < 3000, 'a set timeShift is not learnt again');
  forgetClockShift(cam);
  t.equal(cam.timeShift, undefined);
  await call<Date>((cb) => cam.getSystemDateAndTime(cb));
  t.ok(
    Math.abs(shiftNow(cam) - (Date.now() - 60_000)) < 3000,
    'after forgetClockShift() the new camera clock is learnt',
  );
  t.ok(sockets(agent) > 0, 'requests went through our agent');

  // 2, 3: the subscription and its pull-point address
  await call((cb) => cam.getCapabilities(cb));
  t.equal(hasSubscription(cam), false);
  t.equal(pullThroughAgent(cam, pullAgent), false, 'no address without a subscription');
  await call((cb) => cam.createPullPointSubscription(cb));
  t.equal(hasSubscription(cam), true, 'createPullPointSubscription() sets events.subscription');
  t.equal(fake.subscriptions, 1);
  t.equal(pullThroughAgent(cam, pullAgent), true, 'subscriptionReference.address is an object');
  const address = (
    cam.events as { subscription: { subscriptionReference: { address: { port?: unknown; hostname?: unknown } } } }
  ).subscription.subscriptionReference.address;
  t.same(
    [address.hostname, Number(address.port)],
    [ep.hostname, ep.port],
    'preserveAddress: the pull point at our host and port',
  );

  fake.raise('motion', true);
  const before = sockets(pullAgent);
  await call((cb) => cam.pullMessages({ messageLimit: 10 }, cb));
  t.equal(before, 0);
  t.ok(sockets(pullAgent) > 0, 'PullMessages went through the agent set on the address');

  // a held pull ends at once when that agent is destroyed, and the next one opens a new socket
  const t0 = Date.now();
  const held = call((cb) => cam.pullMessages({ messageLimit: 10 }, cb));
  await new Promise((r) => setTimeout(r, 200));
  pullAgent.destroy();
  await t.rejects(held, 'the held pull fails');
  t.ok(Date.now() - t0 < 2000, `well before the camera's 3 s hold (${Date.now() - t0} ms)`);
  fake.raise('tamper', true);
  await call((cb) => cam.pullMessages({ messageLimit: 10 }, cb));
  t.pass('the pull agent is usable after destroy()');

  await call((cb) => cam.unsubscribe(cb, true));
  t.equal(hasSubscription(cam), false, 'unsubscribe() deletes events.subscription');
  await until('unsubscribed at the camera', () => fake.subscriptions === 0, 5000);
});
