/**
 * A strict test ONVIF camera (no maintained ONVIF server exists): serves the SOAP fixtures of
 * ../shared/fixtures/onvif-responses over HTTP on loopback with real authentication
 * (WS-Security digest and HTTP digest, see onvif-auth.ts), its own clock (skew on demand),
 * lockout after repeated bad logins, PullPoint subscriptions with events raised on demand,
 * a JPEG snapshot behind HTTP digest, and fault modes (accept TCP but never answer).
 *
 *   node dist/scripts/sim/onvif-camera.js [--count N] [--rtsp URL] [--user U --password P]
 * starts N cameras on free loopback ports and prints one JSON line with their addresses (or sends
 * it as an IPC message when forked). `{i}` in the RTSP URL becomes the camera's index (0 … N-1),
 * e.g. rtsp://127.0.0.1:8554/cam{i} with `rtsp-server.py 8554 --mounts N`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { CameraAuth, type AuthResult } from './onvif-auth.js';
import { definedProps } from '../../common/defined.js';
import {
  fixtureFor,
  render,
  renderDateTime,
  renderPull,
  soapFault,
  soapResponse,
  type CameraNotification,
  type RenderContext,
} from './onvif-fixtures.js';

export type CameraEventKind = 'motion' | 'tamper' | 'video_loss';

export const EVENT_TOPICS: Record<CameraEventKind, { topic: string; item: string }> = {
  motion: { topic: 'tns1:RuleEngine/CellMotionDetector/Motion', item: 'IsMotion' },
  tamper: { topic: 'tns1:RuleEngine/TamperDetector/Tamper', item: 'IsTamper' },
  video_loss: { topic: 'tns1:VideoSource/SignalLoss', item: 'State' },
};

export interface FakeCameraOptions {
  username?: string;
  password?: string;
  port?: number;
  rtspUrl?: string;
  /** Camera clock minus the real clock (ms). */
  skewMs?: number;
  lockoutAfter?: number;
  lockoutMs?: number;
  /** Longest time a PullMessages is held open when no event is pending (ms). */
  pullHoldMs?: number;
}

interface Subscription {
  id: number;
  queue: CameraNotification[];
  waiting: (() => void) | undefined;
}

/** A tiny JPEG (SOI, comment, EOI): enough for "a snapshot was fetched and stored". */
export const SNAPSHOT_BYTES = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xfe, 0x00, 0x1a]),
  Buffer.from('yiwang test camera frame'),
  Buffer.from([0xff, 0xd9]),
]);

export class FakeOnvifCamera {
  readonly auth: CameraAuth;
  skewMs: number;
  rtspUrl: string;
  /** 'hang': accept connections and read requests but never answer. */
  mode: 'ok' | 'hang' = 'ok';
  readonly requests = new Map<string, number>();
  snapshotsServed = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly subs = new Map<number, Subscription>();
  private nextSub = 1;
  port = 0;

  constructor(private readonly opts: FakeCameraOptions = {}) {
    this.auth = new CameraAuth({
      username: opts.username ?? 'admin',
      password: opts.password ?? 'admin-secret',
      createdWindowMs: 5_000,
      lockoutAfter: opts.lockoutAfter ?? 5,
      lockoutMs: opts.lockoutMs ?? 30 * 60_000,
    });
    this.skewMs = opts.skewMs ?? 0;
    this.rtspUrl = opts.rtspUrl ?? 'rtsp://127.0.0.1:8554/test';
  }

  get deviceServiceUrl(): string {
    return `http://127.0.0.1:${this.port}/onvif/device_service`;
  }

  get subscriptions(): number {
    return this.subs.size;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sub of this.subs.values()) sub.waiting?.();
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Raises (or clears) an event: queued for every PullPoint subscription, answered at once. */
  raise(kind: CameraEventKind, active = true): void {
    const t = EVENT_TOPICS[kind];
    const n: CameraNotification = {
      topic: t.topic,
      utcMs: Date.now() + this.skewMs,
      source: {
        VideoSourceConfigurationToken: '000',
        VideoAnalyticsConfigurationToken: '000',
        Rule: kind === 'motion' ? 'MyMotionDetectorRule' : '000',
      },
      items: { [t.item]: String(active) },
    };
    for (const sub of this.subs.values()) {
      sub.queue.push(n);
      sub.waiting?.();
    }
  }

  private count(op: string): void {
    this.requests.set(op, (this.requests.get(op) ?? 0) + 1);
  }

  private ctx(): RenderContext {
    return {
      hostname: '127.0.0.1',
      port: this.port,
      pullPointUrl: '/onvif/pull/0',
      now: Date.now() + this.skewMs,
      rtspUrl: this.rtspUrl,
      snapshotUrl: `http://127.0.0.1:${this.port}/snapshot.jpg`,
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.mode === 'hang') return; // the socket stays open, nothing is ever written
      const url = req.url ?? '/';
      if (req.method === 'GET' && url.startsWith('/snapshot.jpg')) return this.snapshot(req, res);
      if (req.method !== 'POST') {
        res.writeHead(405);
        res.end();
        return;
      }
      this.soap(req, res, Buffer.concat(chunks).toString('utf8'), url);
    });
  }

  private snapshot(req: IncomingMessage, res: ServerResponse): void {
    this.count('snapshot');
    const a = this.auth.checkDigest(req.headers.authorization, 'GET');
    if (a !== 'ok') {
      res.writeHead(401, { 'www-authenticate': this.auth.challenge() });
      res.end();
      return;
    }
    this.snapshotsServed++;
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': SNAPSHOT_BYTES.length });
    res.end(SNAPSHOT_BYTES);
  }

  private send(res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8', ...headers });
    res.end(xml);
  }

  private soap(req: IncomingMessage, res: ServerResponse, body: string, url: string): void {
    const op = /<(?:[\w-]+:)?Body\b[^>]*>\s*<(?:[\w-]+:)?(\w+)/.exec(body)?.[1];
    if (!op) return this.send(res, 400, soapFault('ter:WellFormed', 'Not a SOAP request'));
    this.count(op);
    const ctx = this.ctx();
    if (op === 'GetSystemDateAndTime' && !/UsernameToken/.test(body)) {
      return this.send(res, 200, renderDateTime(fixtureFor(op, 'device')!, ctx));
    }
    let a: AuthResult = this.auth.checkWsSecurity(body, ctx.now);
    if (a === 'none') {
      a = this.auth.checkDigest(req.headers.authorization, 'POST');
      if (a !== 'ok')
        return this.send(res, 401, soapFault('ter:NotAuthorized', 'Sender not Authorized'), {
          'www-authenticate': this.auth.challenge(),
        });
    }
    if (a !== 'ok') return this.send(res, 400, soapFault('ter:NotAuthorized', 'Sender not Authorized'));
    const service = url.startsWith('/onvif/pull/') ? 'events' : (/\/onvif\/(\w+)/.exec(url)?.[1] ?? 'device');
    switch (op) {
      case 'GetSystemDateAndTime':
        return this.send(res, 200, renderDateTime(fixtureFor(op, 'device')!, ctx));
      case 'CreatePullPointSubscription': {
        const id = this.nextSub++;
        this.subs.set(id, { id, queue: [], waiting: undefined });
        return this.send(
          res,
          200,
          render(fixtureFor(op, 'events')!, { ...ctx, pullPointUrl: `/onvif/pull/${id}` }).replace(
            /<wsnt:TerminationTime>[^<]*</,
            `<wsnt:TerminationTime>${new Date(ctx.now + 60_000).toISOString()}<`,
          ),
        );
      }
      case 'PullMessages':
        return this.pull(res, url, body, ctx);
      case 'Renew': {
        if (!this.subs.has(this.subId(url)))
          return this.send(res, 400, soapFault('ter:InvalidArgVal', 'No such subscription'));
        const iso = (ms: number): string => new Date(ms).toISOString();
        return this.send(
          res,
          200,
          soapResponse(
            `<wsnt:RenewResponse><wsnt:TerminationTime>${iso(ctx.now + 60_000)}</wsnt:TerminationTime><wsnt:CurrentTime>${iso(ctx.now)}</wsnt:CurrentTime></wsnt:RenewResponse>`,
          ),
        );
      }
      case 'Unsubscribe': {
        const sub = this.subs.get(this.subId(url));
        this.subs.delete(this.subId(url));
        sub?.waiting?.();
        return this.send(res, 200, fixtureFor(op, 'events')!);
      }
      default: {
        const xml = fixtureFor(op, service);
        if (!xml) return this.send(res, 400, soapFault('ter:ActionNotSupported', `${op} is not supported`));
        return this.send(res, 200, render(xml, ctx));
      }
    }
  }

  private subId(url: string): number {
    return Number(/\/onvif\/pull\/(\d+)/.exec(url)?.[1] ?? -1);
  }

  private pull(res: ServerResponse, url: string, body: string, ctx: RenderContext): void {
    const sub = this.subs.get(this.subId(url));
    if (!sub) return this.send(res, 400, soapFault('ter:InvalidArgVal', 'No such subscription'));
    const limit = Number(/<(?:\w+:)?MessageLimit>(\d+)</.exec(body)?.[1] ?? 10);
    let timer: NodeJS.Timeout | undefined;
    const answer = (): void => {
      clearTimeout(timer);
      sub.waiting = undefined;
      if (res.writableEnded || res.destroyed) return;
      const events = sub.queue.splice(0, limit);
      this.send(
        res,
        200,
        renderPull(
          fixtureFor('PullMessages', 'events')!,
          { ...this.ctx(), pullPointUrl: `/onvif/pull/${sub.id}` },
          events,
        ),
      );
    };
    if (sub.queue.length > 0) {
      sub.waiting = undefined;
      return answer();
    }
    timer = setTimeout(answer, this.opts.pullHoldMs ?? 1_000);
    sub.waiting = answer;
    res.on('close', () => {
      clearTimeout(timer);
      if (sub.waiting === answer) sub.waiting = undefined;
    });
    void ctx;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (f: string): string | undefined => {
    const i = args.indexOf(f);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const count = Number(arg('--count') ?? 1);
  const cams: FakeOnvifCamera[] = [];
  for (let i = 0; i < count; i++) {
    cams.push(
      await new FakeOnvifCamera(
        definedProps({
          username: arg('--user'),
          password: arg('--password'),
          rtspUrl: arg('--rtsp')?.replaceAll('{i}', String(i)),
          port: count === 1 && arg('--port') ? Number(arg('--port')) : 0,
        }),
      ).start(),
    );
  }
  const ready = { cameras: cams.map((c) => c.deviceServiceUrl) };
  if (process.send) process.send({ ready });
  else console.log(JSON.stringify(ready));
  const stop = (): void => {
    void Promise.all(cams.map((c) => c.stop())).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  // Forked (e.g. by bench/cameras.bench.ts): 'requests' → the summed request counts by operation.
  process.on('message', (m) => {
    if (m !== 'requests') return;
    const sum: Record<string, number> = {};
    for (const c of cams) for (const [op, n] of c.requests) sum[op] = (sum[op] ?? 0) + n;
    process.send?.({ requests: sum });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
