/**
 * `yiwang-edge profile simulate`: a simulated device that uses a profile, against a running agent.
 * - Profiles with `match.coap_path`: the payloads of the uplink vectors go as raw CoAP uplinks
 *   (`POST /raw/{coap_path}/{device}`, confirmable, from one UDP socket like an NB-IoT module); a good
 *   payload must be stored (2.xx), a bad one refused with the error its vector names (4.xx + code).
 * - LwM2M profiles (vectors with `lwm2m` values): a simulated LwM2M client (lwm2m-sim-device.ts)
 *   registers with the profile's objects (and Device-object manufacturer/model when the profile
 *   matches on them), answers the agent's requests (the profile's observe bindings), and sends each
 *   vector's values with LwM2M Send; each must be stored (2.04).
 * `arrivedProblems` then compares the agent's last readings of the device with the last good vector.
 */
import { join, resolve, sep } from 'node:path';
import coap from 'coap';
import { YiwangError } from '../../common/errors.js';
import { CONTENT_FORMAT, parsePath, val, type Lwm2mRecord } from '../southbound/lwm2m/core/index.js';
import { SimLwm2mDevice } from './lwm2m-sim-device.js';
import type { Profile, ScalarValue } from './types.js';

export interface SimStep {
  vector: string;
  hex: string;
  lwm2m?: Readonly<Record<string, ScalarValue>>;
  expectError?: string;
  readings?: Readonly<Record<string, ScalarValue>>;
}
export interface SimAnswer {
  vector: string;
  hex: string;
  code: string;
  answer: string;
  ok: boolean;
  problem?: string;
}
export interface SimTarget {
  host: string;
  port: number;
}
export interface LastReadingLike {
  metric: string;
  value: unknown;
  unit: string;
}

const label = (v: Profile['vectors'][number]): string =>
  v.name === `#${v.index + 1}` ? v.name : `"${v.name}" (#${v.index + 1})`;

/** A glob's example: `*` → "sim", `?` → "0" (a value the pattern matches). */
const example = (glob: string): string => glob.replace(/\*/g, 'sim').replace(/\?/g, '0');

export type SimPlan =
  | { kind: 'coap'; path: string; steps: SimStep[] }
  | {
      kind: 'lwm2m';
      endpoint: string | undefined;
      objects: number[];
      device: Record<string, string>;
      steps: SimStep[];
    };

/**
 * What a simulated device of this profile sends: raw CoAP uplinks (vectors with `hex`, not downlink
 * commands) when it has a coap_path, else LwM2M Sends (vectors with `lwm2m`). Throws PROFILE_ERR_SIMULATE
 * when there is nothing to send or no way to reach the profile.
 */
export function simulationPlan(p: Profile): SimPlan {
  const path = p.match.coapPath;
  if (path !== undefined) {
    const steps = p.vectors
      .filter((v) => v.hex !== undefined && v.command === undefined)
      .map((v) => ({
        vector: label(v),
        hex: v.hex!,
        ...(v.error !== undefined ? { expectError: v.error } : { readings: v.readings ?? {} }),
      }));
    if (steps.length === 0)
      throw new YiwangError('PROFILE_ERR_SIMULATE', `${p.file}: has no uplink vectors (hex = "…") to send`);
    return { kind: 'coap', path, steps };
  }
  const lw = p.vectors.filter((v) => v.lwm2m !== undefined);
  if (
    lw.length === 0 ||
    !(p.match.lwm2mEndpoint || p.match.lwm2mObjects?.length || p.match.manufacturer || p.match.model)
  ) {
    throw new YiwangError(
      'PROFILE_ERR_SIMULATE',
      `${p.file}: neither a match.coap_path with hex vectors nor LwM2M match rules with lwm2m vectors: nothing a simulated CoAP or LwM2M device can send`,
    );
  }
  const objects = new Set(p.match.lwm2mObjects ?? []);
  for (const v of lw) for (const k of Object.keys(v.lwm2m!)) objects.add(parsePath(k).ids[0]!);
  objects.add(3);
  const device: Record<string, string> = {};
  if (p.match.manufacturer) device['/3/0/0'] = example(p.match.manufacturer);
  if (p.match.model) device['/3/0/1'] = example(p.match.model);
  return {
    kind: 'lwm2m',
    endpoint: p.match.lwm2mEndpoint ? example(p.match.lwm2mEndpoint) : undefined,
    objects: [...objects].sort((a, b) => a - b),
    device,
    steps: lw.map((v) => ({ vector: label(v), hex: '', lwm2m: v.lwm2m!, readings: v.readings ?? {} })),
  };
}

/** One confirmable POST from the device's socket; resolves with the response code and payload text. */
function post(
  agent: coap.Agent,
  target: SimTarget,
  path: string,
  bytes: Uint8Array,
  timeoutMs: number,
): Promise<{ code: string; payload: string }> {
  return new Promise((resolve, reject) => {
    const req = coap.request({
      hostname: target.host,
      port: target.port,
      pathname: path,
      method: 'POST',
      confirmable: true,
      agent,
    });
    const timer = setTimeout(() => {
      // node-coap's RetrySend, set by request(): stops the retransmissions (edge/southbound/coap/node-coap-internals.ts, item 7)
      req.sender.reset();
      reject(
        new YiwangError(
          'PROFILE_ERR_SIMULATE',
          `no CoAP answer from ${target.host}:${target.port} within ${timeoutMs} ms (is the agent running, is this its CoAP port?)`,
        ),
      );
    }, timeoutMs);
    req.setOption('Content-Format', 'application/octet-stream');
    req.on('response', (res: coap.IncomingMessage) => {
      clearTimeout(timer);
      resolve({ code: res.code, payload: res.payload.toString('utf8') });
    });
    req.on('error', (err: Error) => {
      clearTimeout(timer);
      reject(new YiwangError('PROFILE_ERR_SIMULATE', `CoAP to ${target.host}:${target.port}: ${err.message}`));
    });
    req.end(Buffer.from(bytes));
  });
}

export interface SimulateOptions {
  target: SimTarget;
  deviceId: string;
  rounds: number;
  intervalMs: number;
  timeoutMs: number;
  onAnswer?: (a: SimAnswer) => void;
  /** Stop sending after an answer for which this is true (it is the last one returned). */
  stopAfter?: (a: SimAnswer) => boolean;
}

/** The agent's answer when it has no profile (nor built-in layout) for the uplink's CoAP path: it has not loaded the profile. */
export const notLoadedAnswer = (a: SimAnswer): boolean =>
  a.code === '4.04' && a.answer.startsWith('EDGE_ERR_UNKNOWN_LAYOUT');

/** Where the agent reads profiles (from its configuration), for the message of an agent that has not loaded one. */
export interface AgentProfileDirs {
  library: string | undefined;
  dirs: readonly string[];
  reloadMs: number;
  configFile: string;
}

/**
 * PROFILE_ERR_NOT_LOADED, once: which profile, what the agent said, and how to load it — where to put
 * the file (`file`: the profile file simulated, absolute) or, if it is there already, where to look.
 */
export function notLoadedError(
  p: Profile,
  file: string | undefined,
  agent: AgentProfileDirs,
  said: string,
): YiwangError {
  const within =
    file === undefined
      ? undefined
      : [...(agent.library ? [agent.library] : []), ...agent.dirs].find((d) => file.startsWith(`${resolve(d)}${sep}`));
  const rescan =
    agent.reloadMs > 0
      ? `the agent rescans them every ${agent.reloadMs} ms (profiles.reload_ms), no restart needed`
      : 'profiles.reload_ms = 0: the agent reads profiles only at start, so restart it';
  let how: string;
  if (within !== undefined)
    how = `${file} is in ${within}, which the agent reads, yet it did not load it: \`yiwang-edge logs\` shows why ("profile not loaded", with its code); ${rescan}`;
  else if (agent.dirs.length > 0)
    how = `copy ${file ?? `${p.id}.toml`} to ${join(resolve(agent.dirs[agent.dirs.length - 1]!), `${p.id}.toml`)} (profiles.dirs of ${agent.configFile}); ${rescan}`;
  else
    how = `list an overlay directory in profiles.dirs of ${agent.configFile} and restart the agent (it reads profiles.dirs at start), then copy ${file ?? `${p.id}.toml`} to <dir>/${p.id}.toml`;
  return new YiwangError('PROFILE_ERR_NOT_LOADED', `the agent has not loaded ${p.id} (${said}): ${how}`);
}

/** Sends every step `rounds` times in order, `intervalMs` apart; the agent's answer to each, judged against its vector. */
export async function simulateUplinks(p: Profile, o: SimulateOptions): Promise<SimAnswer[]> {
  const plan = simulationPlan(p);
  return plan.kind === 'coap' ? simulateCoap(plan, o) : simulateLwm2m(plan, o);
}

async function paced(
  steps: readonly SimStep[],
  o: SimulateOptions,
  send: (s: SimStep) => Promise<SimAnswer>,
): Promise<SimAnswer[]> {
  const answers: SimAnswer[] = [];
  for (let r = 0; r < o.rounds; r++) {
    for (const s of steps) {
      if (answers.length > 0 && o.intervalMs > 0) await new Promise((res) => setTimeout(res, o.intervalMs));
      const a = await send(s);
      answers.push(a);
      o.onAnswer?.(a);
      if (o.stopAfter?.(a)) return answers;
    }
  }
  return answers;
}

async function simulateCoap(plan: Extract<SimPlan, { kind: 'coap' }>, o: SimulateOptions): Promise<SimAnswer[]> {
  const agent = new coap.Agent({ type: 'udp4' });
  const uri = `/raw/${encodeURIComponent(plan.path)}/${encodeURIComponent(o.deviceId)}`;
  try {
    return await paced(plan.steps, o, async (s) => {
      const res = await post(agent, o.target, uri, Buffer.from(s.hex, 'hex'), o.timeoutMs);
      const stored = res.code.startsWith('2.');
      let problem: string | undefined;
      if (s.expectError === undefined && !stored)
        problem = `expected the uplink to be stored, the agent answered ${res.code} ${res.payload}`;
      if (s.expectError !== undefined) {
        if (stored) problem = `expected ${s.expectError}, the agent stored the uplink (${res.code})`;
        else if (!res.payload.includes(s.expectError))
          problem = `expected ${s.expectError}, the agent answered ${res.code} ${res.payload}`;
      }
      return {
        vector: s.vector,
        hex: s.hex,
        code: res.code,
        answer: res.payload,
        ok: problem === undefined,
        ...(problem ? { problem } : {}),
      };
    });
  } finally {
    agent.close();
  }
}

function lwm2mValue(v: ScalarValue): ReturnType<typeof val.float> {
  if (typeof v === 'boolean') return val.boolean(v);
  if (typeof v === 'string') return val.string(v);
  return Number.isInteger(v) ? val.integer(v) : val.float(v);
}

async function simulateLwm2m(plan: Extract<SimPlan, { kind: 'lwm2m' }>, o: SimulateOptions): Promise<SimAnswer[]> {
  const values: Record<string, ReturnType<typeof val.float>> = {};
  for (const [k, v] of Object.entries(plan.device)) values[k] = val.string(v);
  const links = `</>;rt="oma.lwm2m";ct=${CONTENT_FORMAT.SENML_JSON},${plan.objects.map((id) => `</${id}/0>`).join(',')}`;
  const dev = new SimLwm2mDevice(
    { endpoint: o.deviceId, links, values, lifetimeS: 600, format: CONTENT_FORMAT.SENML_JSON },
    o.target,
  );
  await dev.bind();
  const timeout = <T>(what: string, pr: Promise<T>): Promise<T> =>
    Promise.race([
      pr,
      new Promise<T>((_, rej) =>
        setTimeout(
          () =>
            rej(
              new YiwangError(
                'PROFILE_ERR_SIMULATE',
                `no LwM2M answer to ${what} from ${o.target.host}:${o.target.port} within ${o.timeoutMs} ms (is the agent running with lwm2m.enabled, is this its CoAP port?)`,
              ),
            ),
          o.timeoutMs,
        ),
      ),
    ]);
  try {
    const reg = await timeout('Register', dev.register());
    if (reg !== '2.01')
      throw new YiwangError('PROFILE_ERR_SIMULATE', `the agent answered Register of ${o.deviceId} with ${reg}`);
    // The Device object's manufacturer/model first, so that a profile matching on them applies.
    const device = Object.entries(plan.device).map(
      ([k, v]): Lwm2mRecord => ({ path: parsePath(k), value: val.string(v) }),
    );
    if (device.length > 0) await timeout('Send', dev.send(device));
    return await paced(plan.steps, o, async (s) => {
      const records = Object.entries(s.lwm2m!).map(([k, v]): Lwm2mRecord => {
        dev.set(k, lwm2mValue(v)); // what the device answers to the agent's Read/Observe too
        return { path: parsePath(k), value: lwm2mValue(v) };
      });
      const code = await timeout('Send', dev.send(records));
      const ok = code.startsWith('2.');
      return {
        vector: s.vector,
        hex: s.hex,
        code,
        answer: '',
        ok,
        ...(ok ? {} : { problem: `expected the Send to be stored, the agent answered ${code}` }),
      };
    });
  } finally {
    // De-register, so that the agent stops sending requests to a socket that is about to close.
    if (dev.location) await timeout('De-register', dev.deregister()).catch(() => undefined);
    dev.close();
  }
}

/** The readings of the last good vector that the agent does not hold (as the device's last readings), as problems. */
export function arrivedProblems(p: Profile, last: readonly LastReadingLike[]): string[] {
  const { steps } = simulationPlan(p);
  const want = [...steps].reverse().find((s) => s.expectError === undefined)?.readings ?? {};
  const have = new Map(last.map((r) => [r.metric, r.value]));
  const problems: string[] = [];
  for (const [k, w] of Object.entries(want)) {
    if (!have.has(k)) {
      problems.push(`reading ${k}: not at the agent`);
      continue;
    }
    const g = have.get(k)!;
    const same =
      typeof w === 'number' && typeof g === 'number' ? Math.abs(w - g) <= 1e-9 * Math.max(1, Math.abs(w)) : w === g;
    if (!same)
      problems.push(`reading ${k}: the agent holds ${JSON.stringify(g)}, the vector expects ${JSON.stringify(w)}`);
  }
  return problems;
}

/** How many readings the last good vector expects (what `arrivedProblems` checks). */
export function expectedArrivals(p: Profile): number {
  const { steps } = simulationPlan(p);
  return Object.keys([...steps].reverse().find((s) => s.expectError === undefined)?.readings ?? {}).length;
}
