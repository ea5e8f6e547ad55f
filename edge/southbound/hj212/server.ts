/**
 * HJ 212 TCP server for pollution-source data acquisition instruments (the instrument connects
 * to the gateway as to its platform). Each connection is handled on its own (Hj212Connection):
 * one bad instrument never disturbs another. Limits: `maxConnections` (extra connections are
 * closed at once), `idleTimeoutMs` (silent connections are closed), `maxSegmentLength`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../../../common/log.js';
import { REPO_ROOT } from '../../../common/paths.js';
import type { EdgeConfig } from '../../config.js';
import type { SouthboundAdapter, UplinkSink } from '../types.js';
import { Hj212Connection, type Hj212Counters } from './connection.js';
import { loadInstruments, type Hj212Instrument } from './instruments.js';

export interface Hj212ServerOptions {
  config: EdgeConfig['hj212'];
  sink: UplinkSink;
  log: Logger;
  onUplink?(deviceId: string, readings: number): void;
  /** Instruments by MN instead of config.devices_file (tests). */
  instruments?: Map<string, Hj212Instrument>;
}

export class Hj212Server implements SouthboundAdapter {
  readonly name = 'hj212';
  readonly counters: Hj212Counters = { connections: 0, refused: 0, idleClosed: 0, frames: 0, rejected: 0, dataMessages: 0, otherMessages: 0, readings: 0, duplicates: 0, replies: 0, storeErrors: 0 };
  readonly connections = new Set<Hj212Connection>();
  private readonly sockets = new Set<Socket>();
  private readonly log: Logger;
  private readonly instruments: Map<string, Hj212Instrument>;
  private server: Server | undefined;
  private boundPort = 0;

  constructor(private readonly o: Hj212ServerOptions) {
    this.log = o.log.child({ component: 'hj212' });
    const c = o.config;
    this.instruments = o.instruments ?? (c.devices_file ? loadInstruments(c.devices_file, c.profile_dir || join(REPO_ROOT, 'firmware-profiles')) : new Map());
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const c = this.o.config;
    const server = createServer({ noDelay: true }, (s) => this.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(c.port, c.host, () => { server.off('error', reject); resolve(); });
    });
    server.on('error', (e) => this.log.error({ err: e.message }, 'HJ 212 server error'));
    this.server = server;
    this.boundPort = (server.address() as { port: number }).port;
    this.log.info({ host: c.host, port: this.boundPort, instruments: this.instruments.size }, 'HJ 212 server listening');
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private accept(socket: Socket): void {
    const c = this.o.config;
    if (this.sockets.size >= c.max_connections) {
      this.counters.refused++;
      this.log.warn({ code: 'HJ212_ERR_LIMIT', peer: socket.remoteAddress, limit: c.max_connections }, 'HJ 212 connection refused: too many connections');
      socket.destroy();
      return;
    }
    this.counters.connections++;
    this.sockets.add(socket);
    socket.setKeepAlive(true, 60_000);
    socket.setTimeout(c.idle_timeout_ms, () => {
      this.counters.idleClosed++;
      this.log.info({ code: 'HJ212_ERR_LIMIT', peer: socket.remoteAddress, idleMs: c.idle_timeout_ms, mn: conn.mn }, 'HJ 212 connection idle: closed');
      socket.destroy();
    });
    const conn = new Hj212Connection(socket, {
      sink: this.o.sink, log: this.log, counters: this.counters, maxSegmentLength: c.max_segment_bytes, maxPendingFrames: c.max_pending_frames,
      utcOffsetMinutes: c.utc_offset_minutes, replyOnError: c.reply_on_error, onUplink: this.o.onUplink,
      instrument: (mn) => this.lookup(mn),
    });
    this.connections.add(conn);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.connections.delete(conn);
    });
  }

  private lookup(mn: string | undefined): { instrument?: Hj212Instrument; pw?: string; allowed: boolean } {
    const inst = mn === undefined ? undefined : this.instruments.get(mn);
    if (inst) return inst.pw === undefined ? { instrument: inst, allowed: true } : { instrument: inst, pw: inst.pw, allowed: true };
    const c = this.o.config;
    const allowed = !c.require_registered && mn !== undefined;
    return c.default_pw ? { pw: c.default_pw, allowed } : { allowed };
  }
}
