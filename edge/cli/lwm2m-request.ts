/**
 * One LwM2M request from the technician's CLI (`yiwang-edge devices read|write|exec|observe|discover`)
 * through the local API (POST /v1/lwm2m/devices/{ep}/requests, docs/reference/lwm2m-server.md):
 * the path is checked here first, the device looked up (unknown, not LwM2M, asleep, offline), the
 * request queued, and its answer awaited. What did not get an answer says so with a code: the
 * request stays queued in the agent and goes out when the device wakes or registers again.
 */
import type { Command } from 'commander';
import { localApi } from './local-api-client.js';
import { ago, configAndSocket, emit, table } from './output.js';
import type { DeviceDetail } from '../devices/view.js';
import type { RequestResult, RequestSpec } from '../southbound/lwm2m/server/requests.js';
import type { RequestView } from '../southbound/lwm2m/server/queue.js';
import { parsePath, type Lwm2mPath } from '../southbound/lwm2m/core/paths.js';
import { DEFAULT_REGISTRY } from '../southbound/lwm2m/core/objects/index.js';
import { YiwangError } from '../../common/errors.js';
import { isEdgeErrorCode } from '../error-catalog.js';

type Level = Lwm2mPath['level'];
export type Lwm2mOp = 'read' | 'write' | 'execute' | 'observe' | 'cancel-observe' | 'discover';

/** Path levels each operation accepts, with an example for the message. */
const LEVELS: Record<Lwm2mOp, { levels: Level[]; example: string }> = {
  read: { levels: ['object', 'instance', 'resource', 'resourceInstance'], example: '/3/0 or /3303/0/5700' },
  observe: { levels: ['object', 'instance', 'resource', 'resourceInstance'], example: '/3303/0/5700' },
  'cancel-observe': { levels: ['object', 'instance', 'resource', 'resourceInstance'], example: '/3303/0/5700' },
  write: { levels: ['instance', 'resource', 'resourceInstance'], example: '/3/0/14' },
  execute: { levels: ['resource'], example: '/3/0/4' },
  discover: { levels: ['object', 'instance', 'resource'], example: '/3 or /3/0' },
};

/** The path checked for the operation: `LWM2M_ERR_PATH` with an example when it does not fit. */
export function checkPath(op: Lwm2mOp, text: string): Lwm2mPath {
  const path = parsePath(text); // LWM2M_ERR_PATH: malformed
  const want = LEVELS[op];
  if (!want.levels.includes(path.level)) {
    throw new YiwangError(
      'LWM2M_ERR_PATH',
      `${op} needs ${want.levels.length === 1 ? `a ${want.levels[0]} path` : `a path of level ${want.levels.join(', ')}`} such as ${want.example}, not ${JSON.stringify(text)} (${path.level})`,
    );
  }
  return path;
}

const bad = (path: string, what: string): never => {
  throw new YiwangError('LWM2M_ERR_REQUEST', `${path}: ${what}`);
};

/**
 * The JSON value of a write given as text, typed by the object model: a string resource gets the
 * text as is, numbers and booleans are parsed, opaque is hex; an instance, a multiple resource or a
 * resource the model does not know takes JSON (or the text when it is not JSON).
 */
export function writeValue(path: Lwm2mPath, text: string): unknown {
  const ids = path.ids as number[];
  const m =
    path.level === 'resource' || path.level === 'resourceInstance'
      ? DEFAULT_REGISTRY.resource(ids[0]!, ids[2]!)
      : undefined;
  const where = path.toString();
  if (m && !(m.multiple && path.level === 'resource')) {
    switch (m.type) {
      case 'none':
        return bad(where, 'is executable: use yiwang-edge devices exec');
      case 'string':
      case 'corelnk':
      case 'objlnk':
        return text;
      case 'integer':
      case 'unsigned': {
        if (!/^-?[0-9]{1,20}$/.test(text)) return bad(where, `${m.name} is an ${m.type}, not ${JSON.stringify(text)}`);
        return Number.isSafeInteger(Number(text)) ? Number(text) : text;
      }
      case 'float':
      case 'time': {
        const n = Number(text);
        return text.trim() !== '' && Number.isFinite(n)
          ? n
          : bad(
              where,
              `${m.name} is a ${m.type === 'time' ? 'time (seconds since 1970)' : 'number'}, not ${JSON.stringify(text)}`,
            );
      }
      case 'boolean': {
        if (/^(true|1)$/i.test(text)) return true;
        if (/^(false|0)$/i.test(text)) return false;
        return bad(where, `${m.name} is a boolean (true/false), not ${JSON.stringify(text)}`);
      }
      case 'opaque': {
        const hex = text.replace(/^0x/i, '');
        return /^([0-9a-fA-F]{2})*$/.test(hex) ? hex : bad(where, `${m.name} is opaque: give it as hex`);
      }
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface RequestOptions {
  wait?: string | boolean;
}

interface Submitted {
  id: number;
  superseded: number[];
  state?: 'pending';
  result?: RequestResult;
}

/** How long to wait for the answer: --wait s, --no-wait, else 30 s for a reachable device and none for a sleeping one. */
function waitMs(o: RequestOptions, reachable: boolean): number {
  if (o.wait === false) return 0;
  if (typeof o.wait === 'string') {
    const s = Number(o.wait);
    if (!Number.isFinite(s) || s < 0 || s > 600)
      throw new YiwangError(
        'EDGE_ERR_BAD_REQUEST',
        `--wait takes seconds from 0 to 600, not ${JSON.stringify(o.wait)}`,
      );
    return Math.round(s * 1000);
  }
  return reachable ? 30_000 : 0;
}

/** Why a request is still queued, as a coded error naming the request and what happens to it. */
async function stillQueued(
  socket: string,
  ep: string,
  d: DeviceDetail,
  sub: Submitted,
  spec: RequestSpec,
  waited: number,
): Promise<YiwangError> {
  const q = await localApi<{ open: RequestView[] }>(
    socket,
    'GET',
    `/v1/lwm2m/devices/${encodeURIComponent(ep)}/queue`,
  ).catch(() => ({ open: [] as RequestView[] }));
  const until = q.open.find((r) => r.id === sub.id)?.expiresAt;
  const what = `request ${sub.id} (${spec.op} ${spec.path})`;
  const after = `${until ? `, until ${until} (then LWM2M_ERR_EXPIRED)` : ''}; yiwang-edge devices show ${ep} lists it and its result`;
  const r = d.lwm2mRegistration!;
  const heard = d.lastSeen === null ? 'never heard' : `last heard ${ago(d.lastSeen)}`;
  if (r.state !== 'registered') {
    return new YiwangError(
      'EDGE_ERR_DEVICE_OFFLINE',
      `${what} is queued: ${ep} is offline (LwM2M registration ${r.state}${r.since ? ` ${r.since}` : ''}, ${heard}); it goes out when the device registers again${after}`,
    );
  }
  if (r.queueMode && !r.reachable) {
    return new YiwangError(
      'EDGE_ERR_DEVICE_ASLEEP',
      `${what} is queued: ${ep} is asleep (queue mode, binding ${r.binding}, ${heard})${waited ? ` and did not wake within ${waited / 1000} s` : ''}; it goes out when the device next wakes (Update, notification or Send)${after}`,
    );
  }
  return new YiwangError(
    'EDGE_ERR_REQUEST_PENDING',
    `${what} got no answer within ${waited / 1000} s; it stays queued and is retried (lwm2m.request_attempts)${after}`,
  );
}

/** Looks the device up, queues the request, waits for the answer; returns it or throws a coded error. */
export async function lwm2mRequest(
  cmd: Command,
  ep: string,
  spec: RequestSpec,
  o: RequestOptions,
): Promise<{ id: number; superseded: number[]; result?: RequestResult; state?: 'pending' }> {
  const { socket } = configAndSocket(cmd);
  const enc = encodeURIComponent(ep);
  const d = await localApi<DeviceDetail>(socket, 'GET', `/v1/devices/${enc}`); // EDGE_ERR_UNKNOWN_DEVICE
  if (!d.lwm2mRegistration) {
    throw new YiwangError(
      'LWM2M_ERR_UNKNOWN_DEVICE',
      `${ep} is known to this gateway (${[d.protocol && `heard over ${d.protocol}`, d.preRegistered && `pre-registered as ${d.kind}`].filter(Boolean).join(', ') || 'pre-registered'}) but has never registered with its LwM2M server (or lwm2m.enabled is false): LwM2M requests need an LwM2M device`,
    );
  }
  const wait = waitMs(o, d.lwm2mRegistration.reachable);
  let sub: Submitted;
  try {
    sub = await localApi<Submitted>(
      socket,
      'POST',
      `/v1/lwm2m/devices/${enc}/requests${wait ? `?wait=${wait}` : ''}`,
      spec,
      wait + 10_000,
    );
  } catch (err) {
    if (err instanceof YiwangError && err.code === 'EDGE_ERR_NOT_FOUND')
      throw new YiwangError(
        'EDGE_ERR_NOT_FOUND',
        `the agent takes no LwM2M requests (lwm2m.enabled = false): ${err.message}`,
      );
    throw err;
  }
  if (sub.result) {
    if (!sub.result.ok) {
      const e = sub.result.error ?? {
        code: 'LWM2M_ERR_DEVICE',
        message: `answered ${sub.result.coapCode ?? 'with an error'}`,
      };
      throw new YiwangError(
        isEdgeErrorCode(e.code) ? e.code : 'LWM2M_ERR_DEVICE',
        `${spec.op} ${spec.path} on ${ep}: ${e.message}`,
      );
    }
    return sub;
  }
  if (o.wait === false) return sub; // queued, as asked
  throw await stillQueued(socket, ep, d, sub, spec, wait);
}

/** Prints the answer: values as a table, links one per line, else what was done. */
export function printResult(
  cmd: Command,
  ep: string,
  spec: RequestSpec,
  r: Awaited<ReturnType<typeof lwm2mRequest>>,
): void {
  emit(cmd, r, () => {
    if (!r.result)
      return `queued request ${r.id} (${spec.op} ${spec.path}) for ${ep}${r.superseded.length ? `; it replaces queued request ${r.superseded.join(', ')}` : ''}: it goes out when the device is reachable (yiwang-edge devices show ${ep})`;
    const res = r.result;
    const code = res.coapCode ? ` (${res.coapCode})` : '';
    const head =
      spec.op === 'observe' ? `observing ${spec.path} on ${ep}${code}: its notifications are stored as readings` : '';
    if (res.records?.length) {
      const rows = table(
        ['path', 'value', 'type', 'time'],
        res.records.map((x) => [
          x.path,
          String(x.value),
          x.type,
          x.time === undefined ? '' : new Date(x.time * 1000).toISOString(),
        ]),
      );
      return head ? `${head}\n${rows}` : rows;
    }
    if (head) return head;
    if (res.links !== undefined)
      return (
        res.links
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean)
          .join('\n') || 'no links'
      );
    const done: Record<string, string> = {
      write: 'wrote',
      execute: 'executed',
      'cancel-observe': 'stopped observing',
      read: 'read (no values)',
      discover: 'discovered',
    };
    return `${done[spec.op] ?? spec.op} ${spec.path} on ${ep}${code}`;
  });
}
