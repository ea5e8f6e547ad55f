/**
 * Our interface to an ONVIF camera, over the `onvif` package (0.8.x, loosely typed): every call has
 * a short explicit timeout (the package's default is 120 s), failures become coded errors
 * (CAMERA_ERR_UNREACHABLE / NO_ANSWER / AUTH / SOAP), and results are plain typed objects.
 * Each camera gets its own keep-alive HTTP agent, destroyed by `close()`, and a second one for
 * PullMessages alone, which cameras may hold open for a minute: `abortPull()` (and `close()`) end a
 * held pull at once, and a held pull never occupies a socket that a health check needs.
 */
import { Agent } from 'node:http';
// before the package loads: its SOAP parser takes quadratic time on some answers (soap-guard.ts)
import './soap-guard.js';
import { YiwangError } from '../../../common/errors.js';
import { createCam, forgetClockShift, hasSubscription, pullThroughAgent, type OnvifCam } from './onvif-internals.js';
import type { Secret } from './secret.js';

export interface CameraEndpoint {
  hostname: string;
  port: number;
  path: string;
}
export interface DeviceInfo {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  hardwareId: string;
}
export interface MediaProfile {
  token: string;
  name: string;
  encoding: string;
  width: number;
  height: number;
}
export interface SystemTime {
  cameraMs: number;
  localMs: number;
  rttMs: number;
}
export interface Notification {
  topic: string;
  utcMs: number | undefined;
  data: Record<string, string>;
  source: Record<string, string>;
}

export interface OnvifClient {
  readonly endpoint: CameraEndpoint;
  /** GetSystemDateAndTime (unauthenticated where the camera allows it); also re-syncs the WS-Security clock. */
  systemTime(): Promise<SystemTime>;
  /** GetCapabilities (authenticated): learns the service addresses. */
  capabilities(): Promise<void>;
  deviceInfo(): Promise<DeviceInfo>;
  profiles(): Promise<MediaProfile[]>;
  streamUri(profileToken: string): Promise<string>;
  snapshotUri(profileToken: string): Promise<string>;
  createPullPoint(): Promise<void>;
  /** PullMessages; the camera may hold it open until an event or its own timeout. */
  pull(limit: number): Promise<Notification[]>;
  renew(): Promise<void>;
  unsubscribe(): Promise<void>;
  /** Ends a PullMessages in progress (it rejects); the client stays usable. */
  abortPull(): void;
  close(): void;
}

/** The package's callbacks, as we take them (its results are loosely typed: mapped field by field). */
type Cb = (err: Error | null, data?: unknown, xml?: string) => void;

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? '' : String(v));
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** Maps a failure of the package (or of the network) to our codes. */
export function classify(err: Error & { code?: string }, xml: string | undefined, op: string): YiwangError {
  const m = `${err.message} ${xml ?? ''}`;
  if (/not ?authori[sz]ed|authentication failed|\b401\b|locked/i.test(m))
    return new YiwangError('CAMERA_ERR_AUTH', `${op}: credentials rejected (${err.message})`, { cause: err });
  if (err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH')
    return new YiwangError('CAMERA_ERR_UNREACHABLE', `${op}: ${err.code}`, { cause: err });
  if (/timeout/i.test(err.message) || err.code === 'ECONNRESET' || err.code === 'ETIMEDOUT')
    return new YiwangError('CAMERA_ERR_NO_ANSWER', `${op}: ${err.message}`, { cause: err });
  return new YiwangError('CAMERA_ERR_SOAP', `${op}: ${err.message}`, { cause: err });
}

function parseItems(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const items = rec(v).simpleItem;
  for (const it of Array.isArray(items) ? items : items ? [items] : []) {
    const a = rec(rec(it).$);
    if (a.Name !== undefined) out[str(a.Name)] = str(a.Value);
  }
  return out;
}

export class PackageOnvifClient implements OnvifClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });
  private readonly pullAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly cam: OnvifCam;
  private closed = false;

  constructor(
    readonly endpoint: CameraEndpoint,
    username: string,
    password: Secret,
    private readonly timeoutMs: number,
  ) {
    this.cam = createCam({
      hostname: endpoint.hostname,
      port: endpoint.port,
      path: endpoint.path,
      username,
      password: password.empty ? undefined : password.reveal(),
      timeoutMs,
      agent: this.agent,
    });
  }

  /** Runs one package call with our own deadline on top of its socket timeout. */
  private call<T>(
    op: string,
    fn: (cb: Cb) => void,
    map: (data: unknown) => T,
    deadlineMs = this.timeoutMs + 1000,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new YiwangError('CAMERA_ERR_NO_ANSWER', `${op}: client closed`));
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new YiwangError('CAMERA_ERR_NO_ANSWER', `${op}: no answer within ${deadlineMs} ms`));
      }, deadlineMs);
      try {
        fn((err, data, xml) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (err) return reject(classify(err, xml, op));
          try {
            resolve(map(data));
          } catch (e) {
            reject(
              new YiwangError('CAMERA_ERR_SOAP', `${op}: unexpected answer (${(e as Error).message})`, { cause: e }),
            );
          }
        });
      } catch (e) {
        done = true;
        clearTimeout(timer);
        reject(classify(e as Error, undefined, op));
      }
    });
  }

  systemTime(): Promise<SystemTime> {
    const t0 = Date.now();
    forgetClockShift(this.cam); // re-learn the camera clock: WS-Security `Created` follows it
    return this.call(
      'GetSystemDateAndTime',
      (cb) => this.cam.getSystemDateAndTime(cb),
      (d) => {
        const t1 = Date.now();
        if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new Error('no date');
        // The camera answers with whole seconds: its clock is in [d, d + 1 s).
        return { cameraMs: d.getTime() + 500, localMs: Math.round((t0 + t1) / 2), rttMs: t1 - t0 };
      },
    );
  }

  capabilities(): Promise<void> {
    return this.call(
      'GetCapabilities',
      (cb) => this.cam.getCapabilities(cb),
      () => undefined,
    );
  }

  deviceInfo(): Promise<DeviceInfo> {
    return this.call(
      'GetDeviceInformation',
      (cb) => this.cam.getDeviceInformation(cb),
      (d) => {
        const r = rec(d);
        return {
          manufacturer: str(r.manufacturer),
          model: str(r.model),
          firmwareVersion: str(r.firmwareVersion),
          serialNumber: str(r.serialNumber),
          hardwareId: str(r.hardwareId),
        };
      },
    );
  }

  profiles(): Promise<MediaProfile[]> {
    return this.call(
      'GetProfiles',
      (cb) => this.cam.getProfiles(cb),
      (d) =>
        (Array.isArray(d) ? d : [d])
          .map((p) => {
            const r = rec(p);
            const enc = rec(r.videoEncoderConfiguration);
            const res = rec(enc.resolution);
            return {
              token: str(rec(r.$).token),
              name: str(r.name),
              encoding: str(enc.encoding),
              width: Number(res.width ?? 0),
              height: Number(res.height ?? 0),
            };
          })
          .filter((p) => p.token !== ''),
    );
  }

  streamUri(profileToken: string): Promise<string> {
    return this.call(
      'GetStreamUri',
      (cb) => this.cam.getStreamUri({ protocol: 'RTSP', profileToken }, cb),
      (d) => str(rec(d).uri),
    );
  }

  snapshotUri(profileToken: string): Promise<string> {
    return this.call(
      'GetSnapshotUri',
      (cb) => this.cam.getSnapshotUri({ profileToken }, cb),
      (d) => str(rec(d).uri),
    );
  }

  createPullPoint(): Promise<void> {
    return this.call(
      'CreatePullPointSubscription',
      (cb) => this.cam.createPullPointSubscription(cb),
      () => {
        // The package requests the pull-point address with the global agent; use ours so abortPull() and close() end it.
        pullThroughAgent(this.cam, this.pullAgent);
      },
    );
  }

  pull(limit: number): Promise<Notification[]> {
    return this.call(
      'PullMessages',
      (cb) => this.cam.pullMessages({ messageLimit: limit }, cb),
      (d) => {
        const msgs = rec(d).notificationMessage;
        return (Array.isArray(msgs) ? msgs : msgs ? [msgs] : []).map((m): Notification => {
          const r = rec(m);
          const topic = rec(r.topic);
          const msg = rec(rec(rec(r.message).message));
          const utc = rec(msg.$).UtcTime;
          return {
            topic: str(topic._ ?? r.topic).trim(),
            utcMs: utc instanceof Date ? utc.getTime() : utc ? Date.parse(str(utc)) : undefined,
            data: parseItems(msg.data),
            source: parseItems(msg.source),
          };
        });
      },
      85_000,
    );
  }

  renew(): Promise<void> {
    return this.call(
      'Renew',
      (cb) => this.cam.renew({}, cb),
      () => undefined,
    );
  }

  unsubscribe(): Promise<void> {
    if (!hasSubscription(this.cam)) return Promise.resolve();
    return this.call(
      'Unsubscribe',
      (cb) => this.cam.unsubscribe(cb, true),
      () => undefined,
    );
  }

  abortPull(): void {
    this.pullAgent.destroy(); // destroys its sockets; the agent opens new ones on the next pull
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
    this.pullAgent.destroy();
  }
}

/** Parses `http://host[:port]/path`, `host[:port]` or `host`. */
export function parseEndpoint(address: string): CameraEndpoint | undefined {
  const withScheme = /^[a-z]+:\/\//i.test(address) ? address : `http://${address}`;
  try {
    const u = new URL(withScheme);
    if (u.protocol !== 'http:' || !u.hostname) return undefined;
    return {
      hostname: u.hostname,
      port: u.port ? Number(u.port) : 80,
      path: u.pathname && u.pathname !== '/' ? u.pathname : '/onvif/device_service',
    };
  } catch {
    return undefined;
  }
}
