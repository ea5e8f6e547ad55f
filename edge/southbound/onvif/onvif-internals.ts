/**
 * Everything of the `onvif` package's internals that the camera client relies on, in one place.
 * The package documents a callback API (Cam and its methods, typed in its index.d.ts); what
 * follows goes beyond it, read from lib/cam.js and lib/events.js and checked against onvif 0.8.3
 * (package.json: "onvif": "^0.8.3"). onvif-client.ts uses the functions below instead of reaching
 * into a Cam, and test/edge/southbound/onvif/onvif-internals.test.ts checks every item on a real
 * Cam against the test camera (scripts/sim/onvif-camera.ts): an upgrade that moves one fails it.
 *
 * What is relied on, and why:
 *  1. `Cam.timeShift`: the camera clock minus ours, learnt by getSystemDateAndTime() only while it is
 *     unset (`if (!this.timeShift)`), and added to WS-Security's `Created` (`this.timeShift || 0`).
 *     Cleared before every GetSystemDateAndTime so a camera whose clock was set meanwhile is
 *     followed: forgetClockShift().
 *  2. `Cam.events.subscription`: set by createPullPointSubscription() (with
 *     `subscriptionReference.address`, a url.parse() object of the pull point) and deleted by
 *     unsubscribe(): hasSubscription().
 *  3. That address object is handed to http.request() as its options as it is (Cam._requestPart2
 *     takes `options.url` instead of its own hostname/port/agent) by pullMessages(), renew() and
 *     unsubscribe(): an `agent` set on it carries those requests. The client gives PullMessages, which
 *     a camera may hold open for a minute, an agent of its own that it can destroy: pullThroughAgent().
 *  4. The constructor options `agent` (every other request goes through it), `autoconnect: false`
 *     (no requests from the constructor) and `preserveAddress` (service addresses the camera
 *     announces are rewritten to the host and port we were given, through NAT): createCam().
 *  5. `lib/utils.js`'s parseSOAPString, read by lib/cam.js when it loads: soap-guard.ts (kept as its
 *     own module, imported first) puts a check of every answer in front of it; the test checks that
 *     it was installed.
 */
import type { Agent } from 'node:http';
// before the package loads: its SOAP parser takes quadratic time on some answers (soap-guard.ts)
import './soap-guard.js';
import onvif from 'onvif';

/** The package's camera client. */
export type OnvifCam = InstanceType<typeof onvif.Cam>;

export interface CamSettings {
  hostname: string;
  port: number;
  path: string;
  /** Left out when empty (no credentials sent). */
  username: string;
  password: string | undefined;
  timeoutMs: number;
  /** Carries every request but those of pullThroughAgent(). */
  agent: Agent;
}

/** 4. A Cam that sends nothing until asked, on our agent, keeping our address for the services it announces. */
export function createCam(s: CamSettings): OnvifCam {
  return new onvif.Cam({
    hostname: s.hostname,
    port: s.port,
    path: s.path,
    ...(s.username ? { username: s.username } : {}),
    ...(s.password !== undefined ? { password: s.password } : {}),
    timeout: s.timeoutMs,
    autoconnect: false,
    preserveAddress: true,
    agent: s.agent,
  });
}

/** 1. Makes the next GetSystemDateAndTime learn the camera clock again. */
export function forgetClockShift(cam: OnvifCam): void {
  delete cam.timeShift;
}

interface Subscription {
  subscriptionReference?: { address?: Record<string, unknown> };
}
const subscriptionOf = (cam: OnvifCam): Subscription | undefined =>
  (cam.events as { subscription?: Subscription }).subscription;

/** 2. Whether the Cam holds a PullPoint subscription. */
export function hasSubscription(cam: OnvifCam): boolean {
  return subscriptionOf(cam) !== undefined;
}

/** 3. Sends the subscription's requests (PullMessages, Renew, Unsubscribe) through `agent`; false when there is no pull-point address. */
export function pullThroughAgent(cam: OnvifCam, agent: Agent): boolean {
  const address = subscriptionOf(cam)?.subscriptionReference?.address;
  if (!address || typeof address !== 'object') return false;
  address.agent = agent;
  return true;
}

/** Which of the internals above are missing on a Cam ([] when all are there). */
export function onvifProblems(cam: OnvifCam): string[] {
  const problems: string[] = [];
  const isMethod = (name: string): boolean => typeof Reflect.get(cam, name) === 'function';
  if (typeof cam.events !== 'object' || cam.events === null) problems.push('events object');
  if (!isMethod('_requestPart2')) problems.push('_requestPart2() (requests to a given url object)');
  for (const m of ['getSystemDateAndTime', 'createPullPointSubscription', 'pullMessages', 'renew', 'unsubscribe'])
    if (!isMethod(m)) problems.push(`${m}()`);
  if (cam.preserveAddress !== true) problems.push('preserveAddress option');
  return problems;
}

/** Throws when the Cam internals relied on here are missing (an onvif upgrade changed them). */
export function assertOnvifInternals(cam: OnvifCam): void {
  const problems = onvifProblems(cam);
  if (problems.length)
    throw new Error(`onvif internals changed (checked against onvif 0.8.3): missing ${problems.join(', ')}`);
}
