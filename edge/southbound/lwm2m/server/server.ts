/**
 * The LwM2M server adapter: registration (/rd), Send (/dp), observations, the downlink queue and
 * device management, on the agent's one CoAP port. See docs/reference/lwm2m-server.md.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
import coap from 'coap';
import type Database from 'better-sqlite3';
import type { ParsedPacket } from 'coap-packet';
import type { Logger } from '../../../../common/log.js';
import { isYiwangError, type YiwangError } from '../../../../common/errors.js';
import { Priority, ClockQuality } from '../../../../proto/index.js';
import type { Reading } from '../../../../proto/reading.js';
import type { SouthboundAdapter, UplinkSink } from '../../types.js';
import type { CoapUplinkServer } from '../../coap/server.js';
import { CONTENT_FORMAT, decodeRecords, DEFAULT_REGISTRY, encodePaths, Lwm2mPath, type Lwm2mRecord, type ModelLookup } from '../core/index.js';
import { blockBuffer, CoapWire, optionBuffer, optionUint, parseBlock, type Peer, type WireReply, type WireRequest } from './coap-wire.js';
import { DeviceClient } from './device-client.js';
import { runRequest } from './device-management.js';
import { serverError } from './errors.js';
import { ObservationTable } from './observations.js';
import { DownlinkQueue, type RequestView } from './queue.js';
import { recordsToReadings, type BinaryDecoder, type MetricNamer } from './readings.js';
import {
  chooseContentFormat, fromRow, parseLinks, parseRegisterQuery, parseUpdateQuery, registrationView, toRow, type Registration,
} from './registration.js';
import { validateSpec, type RequestResult, type RequestSpec } from './requests.js';
import { Lwm2mStore } from './store.js';

export interface Lwm2mServerOptions {
  coap: CoapUplinkServer;
  db: Database.Database;
  sink: UplinkSink;
  log: Logger;
  /** Slack after a registration's lifetime before it counts as expired. */
  lifetimeGraceMs: number;
  /** How long a queue-mode device stays reachable after it talked. */
  awakeWindowMs: number;
  requestTimeoutMs: number;
  queueTtlMs: number;
  queueMaxPerDevice: number;
  maxAttempts: number;
  maxUploadBytes: number;
  commitMs?: number;
  /**
   * Makes the store file's latest commit durable (the edge outbox's WAL fdatasync, see
   * common/wal-sync.ts); awaited after each group commit, before a device is answered.
   */
  durable?: () => Promise<void>;
  expiryCheckMs?: number;
  model?: ModelLookup;
  /** Resource paths of vendor binary payloads (object 19 uplink), default ["/19/0/0"]. */
  binaryPaths?: readonly string[];
  decodeBinary?: BinaryDecoder;
  metricNamer?: MetricNamer;
  onUplink?: (deviceId: string, readings: number) => void;
  /** After each Register (the agent queues the observations the device's profile binds). */
  onRegister?: (endpoint: string) => void;
}

const reply = (code: string, err?: YiwangError | string): WireReply =>
  err === undefined ? { code } : { code, payload: typeof err === 'string' ? err : `${err.code}: ${err.message}` };

export class Lwm2mServer implements SouthboundAdapter {
  readonly name = 'lwm2m';
  private readonly log: Logger;
  private readonly store: Lwm2mStore;
  private readonly model: ModelLookup;
  private readonly regs = new Map<string, Registration>();
  private readonly byRegId = new Map<string, string>();
  private readonly byPeer = new Map<string, string>();
  private readonly awakeUntil = new Map<string, number>();
  readonly observations: ObservationTable;
  readonly queue: DownlinkQueue;
  private wire: CoapWire | undefined;
  private client: DeviceClient | undefined;
  private agent: coap.Agent | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly binaryPaths: ReadonlySet<string>;
  /** CON notifications (peer#messageId) whose further blocks are being fetched. */
  private readonly blockFetches = new Set<string>();
  counters = { registrations: 0, updates: 0, deregistrations: 0, expirations: 0, rejected: 0, notifications: 0, blockwiseNotifications: 0, sends: 0, readings: 0 };

  constructor(private readonly o: Lwm2mServerOptions) {
    this.log = o.log.child({ component: 'lwm2m' });
    this.model = o.model ?? DEFAULT_REGISTRY;
    this.binaryPaths = new Set(o.binaryPaths ?? ['/19/0/0']);
    this.store = new Lwm2mStore(o.db, o.commitMs, o.durable);
    for (const row of this.store.registrations()) this.index(fromRow(row));
    this.observations = new ObservationTable(this.store, this.model, this.log);
    this.queue = new DownlinkQueue({
      store: this.store, log: this.log, ttlMs: o.queueTtlMs, maxPerDevice: o.queueMaxPerDevice, maxAttempts: o.maxAttempts,
      reachable: (ep) => this.reachable(ep),
      execute: (ep, _id, spec) => {
        const reg = this.regs.get(ep);
        if (!reg) return Promise.reject(serverError('LWM2M_ERR_TIMEOUT', `${ep} is not registered`));
        return runRequest(reg, spec, { client: this.client!, observations: this.observations, model: this.model, observed: (e, rs) => this.store_(e, rs, undefined).then(() => undefined) });
      },
    });
    const busy = (_req: unknown, res: coap.OutgoingMessage): void => { res.code = '5.03'; res.end(Buffer.from('LwM2M server not running')); };
    o.coap.addResource('rd', busy);
    o.coap.addResource('dp', busy);
  }

  async start(): Promise<void> {
    const socket = this.o.coap.socket as Socket | undefined;
    if (!socket) throw new Error('the CoAP server must start before the LwM2M server');
    this.wire = new CoapWire(socket, {
      request: (req) => this.handle(req),
      isObservation: (t) => this.observations.isLive(t),
      notification: (p, peer) => this.notification(p, peer),
    }, { maxUploadBytes: this.o.maxUploadBytes });
    this.wire.install(() => { this.agent = new coap.Agent({ socket }); });
    this.client = new DeviceClient(this.agent!, this.o.requestTimeoutMs, this.wire);
    this.timer = setInterval(() => this.checkExpiry(Date.now()), this.o.expiryCheckMs ?? 1000);
    this.timer.unref();
    this.log.info({ registrations: this.regs.size, observations: this.observations.count() }, 'lwm2m server started');
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.client?.abortAll();
    this.wire?.uninstall();
    this.store.close();
  }

  // ---- local API -------------------------------------------------------------------------

  devices(): Record<string, unknown>[] {
    return [...this.regs.values()].sort((a, b) => a.endpoint.localeCompare(b.endpoint)).map((r) => ({ ...registrationView(r, this.o.lifetimeGraceMs, this.queue.pending(r.endpoint)), reachable: this.reachable(r.endpoint) }));
  }

  device(endpoint: string): Registration | undefined {
    return this.regs.get(endpoint);
  }

  requests(endpoint: string): { open: RequestView[]; recent: RequestView[] } {
    if (!this.regs.has(endpoint)) throw serverError('LWM2M_ERR_UNKNOWN_DEVICE', `no device ${endpoint}`);
    return this.queue.list(endpoint);
  }

  events(endpoint: string): { kind: string; detail: string; at: string }[] {
    return this.store.events(endpoint).map((e) => ({ kind: e.kind, detail: e.detail, at: new Date(e.at_ms).toISOString() }));
  }

  /** Queues a request for a device; `result` settles when the device has answered (or the request failed). */
  async submit(endpoint: string, spec: unknown): Promise<{ id: number; superseded: number[]; result: Promise<RequestResult> }> {
    if (!this.regs.has(endpoint)) throw serverError('LWM2M_ERR_UNKNOWN_DEVICE', `no device ${endpoint}`);
    const checked = validateSpec(spec, this.model);
    const r = await this.queue.submit(endpoint, checked.spec as RequestSpec, checked.key, checked.coalesce);
    return { ...r, result: this.queue.result(r.id) };
  }

  result(id: number): Promise<RequestResult> {
    return this.queue.result(id);
  }

  // ---- presence ----------------------------------------------------------------------------

  private index(r: Registration): void {
    const old = this.regs.get(r.endpoint);
    if (old) { this.byRegId.delete(old.regId); this.byPeer.delete(`${old.peer.address}:${old.peer.port}`); }
    this.regs.set(r.endpoint, r);
    this.byRegId.set(r.regId, r.endpoint);
    this.byPeer.set(`${r.peer.address}:${r.peer.port}`, r.endpoint);
  }

  private reachable(ep: string): boolean {
    const r = this.regs.get(ep);
    if (!r || !r.online) return false;
    return !r.queueMode || (this.awakeUntil.get(ep) ?? 0) > Date.now();
  }

  /** The device sent something: a queue-mode device is awake now; send what waits for it. */
  private talked(ep: string): void {
    const r = this.regs.get(ep);
    if (!r) return;
    if (r.queueMode) this.awakeUntil.set(ep, Date.now() + this.o.awakeWindowMs);
    // Requests go out after the answer to what the device sent (which the caller is returning).
    setImmediate(() => this.serve(ep));
  }

  /** Re-establishes observations after a new Register, then drains the queue. */
  private serve(ep: string): void {
    const r = this.regs.get(ep);
    if (!r) return;
    const restore = this.observations.takeRestore(ep);
    if (restore.length === 0) return this.queue.kick(ep);
    void (async () => {
      for (const obs of restore) {
        if (!this.reachable(ep)) break;
        const spec: RequestSpec = obs.composite ? { op: 'observe-composite', paths: obs.paths.map(String) } : { op: 'observe', path: obs.paths[0]!.toString() };
        try {
          const res = await runRequest(r, spec, { client: this.client!, observations: this.observations, model: this.model, observed: (e, rs) => this.store_(e, rs, undefined).then(() => undefined) });
          this.log.info({ deviceId: ep, paths: obs.key, ok: res.ok, error: res.error }, 'observation re-established');
          if (!res.ok) await this.observations.remove(ep, obs.key);
        } catch (err) {
          this.log.warn({ deviceId: ep, paths: obs.key, code: isYiwangError(err) ? err.code : undefined, err: (err as Error).message }, 'observation not re-established');
        }
      }
      this.queue.kick(ep);
    })();
  }

  private async event(ep: string, kind: string, detail: string, online: boolean | undefined): Promise<void> {
    const now = Date.now();
    await this.store.write(() => this.store.addEvent(ep, kind, detail, now));
    if (online === undefined) return;
    const reading: Reading = { deviceId: ep, metric: 'online', unit: '', ts: now, value: online, clock: ClockQuality.CLOCK_GATEWAY_SYNCED, priority: online ? Priority.PRIORITY_NORMAL : Priority.PRIORITY_ALARM };
    await this.o.sink.accept([reading]).catch((err: unknown) => this.log.error({ deviceId: ep, err }, 'online status not stored'));
  }

  private checkExpiry(now: number): void {
    for (const r of this.regs.values()) {
      if (!r.online || r.updatedMs + r.lifetimeS * 1000 + this.o.lifetimeGraceMs > now) continue;
      r.online = false;
      this.counters.expirations++;
      this.observations.invalidate(r.endpoint);
      this.log.warn({ deviceId: r.endpoint, lifetimeS: r.lifetimeS, lastUpdate: new Date(r.updatedMs).toISOString() }, 'lwm2m registration expired: device offline');
      void this.store.write(() => this.store.setOnline(r.endpoint, false)).then(() => this.event(r.endpoint, 'offline', `registration expired (lifetime ${r.lifetimeS} s)`, false)).catch(() => undefined);
    }
    void this.queue.sweep(now).catch(() => undefined);
  }

  // ---- device-facing requests --------------------------------------------------------------

  private async handle(req: WireRequest): Promise<WireReply> {
    try {
      const [root, id, ...rest] = req.path;
      if (root === 'rd' && id === undefined && req.method === '0.02') return await this.register(req);
      if (root === 'rd' && id !== undefined && rest.length === 0) {
        if (req.method === '0.02') return await this.update(id, req);
        if (req.method === '0.04') return await this.deregister(id);
      }
      if (root === 'dp' && id === undefined && req.method === '0.02') return await this.send(req);
      if (root === 'bs') return reply('4.04', 'no bootstrap server here');
      return reply(root === 'rd' || root === 'dp' ? '4.05' : '4.04', `no ${req.method} on /${req.path.join('/')}`);
    } catch (err) {
      if (!isYiwangError(err)) throw err;
      this.counters.rejected++;
      this.log.warn({ code: err.code, peer: `${req.peer.address}:${req.peer.port}`, path: `/${req.path.join('/')}`, err: err.message }, 'lwm2m request rejected');
      const code = err.code === 'LWM2M_ERR_NOT_REGISTERED' ? '4.04' : err.code === 'EDGE_ERR_STORE' ? '5.03' : '4.00';
      return reply(code, err);
    }
  }

  private checkLinkFormat(req: WireRequest): void {
    if (req.contentFormat !== undefined && req.contentFormat !== 40) throw serverError('LWM2M_ERR_REGISTRATION', `object links must be link format (40), not ${req.contentFormat}`);
  }

  private async register(req: WireRequest): Promise<WireReply> {
    const p = parseRegisterQuery(req.query);
    this.checkLinkFormat(req);
    const links = parseLinks(req.payload);
    const now = Date.now();
    const old = this.regs.get(p.endpoint);
    const r: Registration = {
      endpoint: p.endpoint, regId: randomBytes(6).toString('hex'), peer: req.peer, lifetimeS: p.lifetimeS, version: p.version,
      binding: p.binding, queueMode: p.queueMode, sms: p.sms, links: links.text, rootPath: links.rootPath,
      objects: links.objects, contentFormat: chooseContentFormat(p.version, links.contentFormats), registeredMs: now, updatedMs: now, online: true,
    };
    await this.store.write(() => { this.store.putRegistration(toRow(r)); this.store.addEvent(r.endpoint, 'registered', `lwm2m ${r.version} b=${r.binding} lt=${r.lifetimeS}`, now); });
    this.index(r);
    this.observations.invalidate(r.endpoint); // a new registration ends the old observations
    this.counters.registrations++;
    this.log.debug({ deviceId: r.endpoint, regId: r.regId, queueMode: r.queueMode, contentFormat: r.contentFormat }, 'lwm2m register');
    if (old && !old.online) void this.event(r.endpoint, 'online', 'registered again', true);
    this.talked(r.endpoint);
    this.o.onRegister?.(r.endpoint);
    return { code: '2.01', options: [{ name: 'Location-Path', value: Buffer.from('rd') }, { name: 'Location-Path', value: Buffer.from(r.regId) }] };
  }

  private registrationOf(regId: string): Registration {
    const ep = this.byRegId.get(regId);
    const r = ep === undefined ? undefined : this.regs.get(ep);
    if (!r || !r.online || r.regId !== regId) throw serverError('LWM2M_ERR_NOT_REGISTERED', `no registration ${regId.slice(0, 40)}`);
    return r;
  }

  private async update(regId: string, req: WireRequest): Promise<WireReply> {
    const r = this.registrationOf(regId);
    const p = parseUpdateQuery(req.query);
    let links: ReturnType<typeof parseLinks> | undefined;
    if (req.payload.length > 0) { this.checkLinkFormat(req); links = parseLinks(req.payload); }
    const next: Registration = {
      ...r, peer: req.peer, updatedMs: Date.now(),
      ...(p.lifetimeS !== undefined ? { lifetimeS: p.lifetimeS } : {}),
      ...(p.binding !== undefined ? { binding: p.binding } : {}),
      ...(p.queueMode !== undefined ? { queueMode: p.queueMode } : {}),
      ...(p.sms !== undefined ? { sms: p.sms } : {}),
      ...(links ? { links: links.text, rootPath: links.rootPath, objects: links.objects } : {}),
    };
    await this.store.write(() => this.store.putRegistration(toRow(next)));
    this.index(next);
    this.counters.updates++;
    this.talked(r.endpoint);
    return reply('2.04');
  }

  private async deregister(regId: string): Promise<WireReply> {
    const r = this.registrationOf(regId);
    r.online = false;
    this.observations.invalidate(r.endpoint);
    await this.store.write(() => this.store.setOnline(r.endpoint, false));
    await this.event(r.endpoint, 'deregistered', 'De-register', false);
    this.counters.deregistrations++;
    return reply('2.02');
  }

  private async send(req: WireRequest): Promise<WireReply> {
    const ep = this.byPeer.get(`${req.peer.address}:${req.peer.port}`);
    const r = ep === undefined ? undefined : this.regs.get(ep);
    if (!r || !r.online) throw serverError('LWM2M_ERR_NOT_REGISTERED', `Send from ${req.peer.address}:${req.peer.port}, which is not registered`);
    const records = decodeRecords(req.contentFormat ?? r.contentFormat, req.payload, Lwm2mPath.ROOT, this.model);
    const res = await this.store_(r.endpoint, records, req.confirmable ? `lwm2m:${req.peer.address}:${req.peer.port}#${req.messageId}` : undefined);
    this.counters.sends++;
    this.talked(r.endpoint);
    void res;
    return reply('2.04');
  }

  /** Records → readings → durable store. */
  private async store_(ep: string, records: readonly Lwm2mRecord[], key: string | undefined): Promise<'stored' | 'duplicate'> {
    const readings = recordsToReadings(ep, records, Date.now(), {
      model: this.model, binaryPaths: this.binaryPaths,
      ...(this.o.decodeBinary ? { decodeBinary: this.o.decodeBinary } : {}),
      ...(this.o.metricNamer ? { metricNamer: this.o.metricNamer } : {}),
    });
    if (readings.length === 0) return 'stored';
    const res = await this.o.sink.accept(readings, key);
    if (res === 'stored') { this.counters.readings += readings.length; this.o.onUplink?.(ep, readings.length); }
    return res;
  }

  /**
   * A notification too large for one datagram carries the first block (Block2, more=1); the rest
   * is fetched from block 1 on (RFC 7959 §2.6) before the whole is decoded: with GET for an
   * Observe, with FETCH of the same path list for an Observe-Composite.
   */
  private async wholeNotification(packet: ParsedPacket, peer: Peer): Promise<ParsedPacket> {
    const b2 = optionBuffer(packet, 'Block2');
    if (!b2) return packet;
    const block = parseBlock(b2);
    const obs = this.observations.byTokenHex(packet.token.toString('hex'));
    const reg = obs && this.regs.get(obs.endpoint);
    if (!block || !block.more || block.num !== 0 || !obs || !reg) return packet;
    const exchange = `${peer.address}:${peer.port}#${packet.messageId}`;
    if (this.blockFetches.has(exchange)) throw serverError('LWM2M_ERR_BLOCK', 'retransmitted notification: its blocks are being fetched');
    this.blockFetches.add(exchange);
    try {
      const cf = optionUint(optionBuffer(packet, 'Content-Format'));
      const block2 = blockBuffer({ num: 1, more: false, szx: block.szx });
      const senml = cf === CONTENT_FORMAT.SENML_CBOR ? cf : CONTENT_FORMAT.SENML_JSON;
      const rest = await this.client!.send({ address: reg.peer.address, port: reg.peer.port }, reg.rootPath, obs.composite
        ? { method: 'FETCH', path: undefined, query: [], contentFormat: senml, accept: senml, payload: Buffer.from(encodePaths(senml, obs.paths)), block2 }
        : { method: 'GET', path: obs.paths[0], query: [], ...(cf !== undefined ? { accept: cf } : {}), block2 });
      if (!rest.code.startsWith('2.')) throw serverError('LWM2M_ERR_BLOCK', `${obs.endpoint} answered ${rest.code} to the blocks after the first of a notification`);
      this.counters.blockwiseNotifications++;
      // A device that ignores Block2 in the request sends the whole representation again.
      const payload = rest.blockwise ? Buffer.concat([packet.payload, rest.payload]) : rest.payload;
      return { ...packet, payload, options: packet.options.filter((o) => o.name !== 'Block2') };
    } finally {
      this.blockFetches.delete(exchange);
    }
  }

  private async notification(packet: ParsedPacket, peer: Peer): Promise<'ack' | 'reset' | 'none'> {
    try {
      packet = await this.wholeNotification(packet, peer);
    } catch (err) {
      this.log.warn({ peer: `${peer.address}:${peer.port}`, code: isYiwangError(err) ? err.code : undefined, err: (err as Error).message }, 'blockwise notification not fetched: not acknowledged');
      return 'none';
    }
    const ep = this.observations.decode(packet, peer, (e) => this.regs.get(e)?.contentFormat ?? 11542);
    if (!ep) return 'reset';
    const r = this.regs.get(ep.obs.endpoint);
    this.counters.notifications++;
    if (r) this.talked(r.endpoint);
    if (ep.kind === 'ended') { await this.observations.remove(ep.obs.endpoint, ep.obs.key); return 'ack'; }
    if (ep.kind === 'bad') return 'ack';
    try {
      await this.store_(ep.obs.endpoint, ep.records, packet.confirmable ? `lwm2m:${peer.address}:${peer.port}#${packet.messageId}` : undefined);
      return 'ack';
    } catch (err) {
      this.log.error({ deviceId: ep.obs.endpoint, code: isYiwangError(err) ? err.code : undefined, err: (err as Error).message }, 'notification not stored: not acknowledged');
      return 'none';
    }
  }
}
