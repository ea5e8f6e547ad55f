/**
 * HJ 212 TCP server for pollution-source data acquisition instruments (the instrument connects
 * to the gateway as to its platform). Each connection is handled on its own (Hj212Connection):
 * one bad instrument never disturbs another. Limits (slots.ts): `max_connections` and
 * `max_connections_per_source` — when one is reached the idlest connection that never sent a valid
 * frame makes room for the new one, which is refused only when every slot holds a proven
 * instrument; `first_frame_timeout_ms` (no valid frame soon after connecting: closed),
 * `idle_timeout_ms` (silent connections are closed), `max_segment_bytes`.
 *
 * Instruments: those of the instrument file (by MN; `profile = …` binds one to a firmware
 * profile), then — for an MN not listed — the profile whose `[match] hj212_mn` glob it satisfies
 * and that has a `[transport.hj212]` binding: the instrument gets that binding (factor map, PW)
 * and device id `hj212:<MN>`, counts as registered, and its readings are checked by the profile.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../../../common/log.js';
import { REPO_ROOT } from '../../../common/paths.js';
import type { EdgeConfig } from '../../config.js';
import type { SouthboundAdapter, UplinkSink } from '../types.js';
import { Hj212Connection, type Hj212Counters } from './connection.js';
import { loadInstruments, type Hj212Instrument } from './instruments.js';
import { validateHj212Binding } from './binding.js';
import { directorySource, type FoundProfile, type ProfileSource } from '../serial/profile-source.js';
import { isYiwangError } from '../../../common/errors.js';
import { LogLimiter } from '../../../common/log-limiter.js';
import { ConnectionSlots, sourceOf, type Slot } from './slots.js';

interface OpenConnection extends Slot {
  readonly socket: Socket;
  readonly conn: Hj212Connection;
}

export interface Hj212ServerOptions {
  config: EdgeConfig['hj212'];
  sink: UplinkSink;
  log: Logger;
  onUplink?(deviceId: string, readings: number): void;
  /** Instruments by MN instead of config.devices_file (tests). */
  instruments?: Map<string, Hj212Instrument>;
  /** The agent's loaded profiles: `profile = …` lookups (unless config.profile_dir is set), `hj212_mn` matching, pinning. */
  profiles?: ProfileSource;
}

export class Hj212Server implements SouthboundAdapter {
  readonly name = 'hj212';
  readonly counters: Hj212Counters = {
    connections: 0,
    refused: 0,
    refusedPerSource: 0,
    evicted: 0,
    firstFrameTimeouts: 0,
    idleClosed: 0,
    frames: 0,
    rejected: 0,
    dataMessages: 0,
    otherMessages: 0,
    readings: 0,
    duplicates: 0,
    replies: 0,
    storeErrors: 0,
  };
  readonly connections = new Set<Hj212Connection>();
  private readonly sockets = new Set<Socket>();
  private readonly slots: ConnectionSlots<OpenConnection>;
  /** Limit events are counted above; their log lines are rate-limited (a flood costs a few lines). */
  private readonly limited: LogLimiter;
  private readonly log: Logger;
  private readonly instruments: Map<string, Hj212Instrument>;
  private server: Server | undefined;
  private boundPort = 0;
  /** Unlisted MNs bound by a profile's hj212_mn rule, per profile generation. */
  private readonly matched = new Map<
    string,
    { generation: number; profile?: FoundProfile; instrument?: Hj212Instrument }
  >();

  constructor(private readonly o: Hj212ServerOptions) {
    this.log = o.log.child({ component: 'hj212' });
    const c = o.config;
    this.slots = new ConnectionSlots(c.max_connections, c.max_connections_per_source);
    this.limited = new LogLimiter(this.log, { what: 'HJ 212 connection limits and rejected frames' });
    const source = c.profile_dir
      ? directorySource(c.profile_dir)
      : (o.profiles ?? directorySource(join(REPO_ROOT, 'firmware-profiles')));
    this.instruments = o.instruments ?? (c.devices_file ? loadInstruments(c.devices_file, source) : new Map());
    for (const i of this.instruments.values()) if (i.profile) o.profiles?.pin?.(i.id, i.profile);
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const c = this.o.config;
    const server = createServer({ noDelay: true }, (s) => this.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(c.port, c.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => this.log.error({ err: e.message }, 'HJ 212 server error'));
    this.server = server;
    this.boundPort = (server.address() as { port: number }).port;
    this.log.info(
      { host: c.host, port: this.boundPort, instruments: this.instruments.size },
      'HJ 212 server listening',
    );
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sock of this.sockets) sock.destroy();
    this.limited.close();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private accept(socket: Socket): void {
    const c = this.o.config;
    const source = sourceOf(socket.remoteAddress);
    const a = this.slots.admit(source);
    if (!a.admit) {
      if (a.reason === 'source') this.counters.refusedPerSource++;
      else this.counters.refused++;
      const limit = a.reason === 'source' ? c.max_connections_per_source : c.max_connections;
      this.limited.log(
        'warn',
        `refused_${a.reason}`,
        { code: 'HJ212_ERR_LIMIT', peer: source, limit, reason: a.reason },
        a.reason === 'source'
          ? 'HJ 212 connection refused: too many connections from this address, all of them proven instruments'
          : 'HJ 212 connection refused: too many connections, all of them proven instruments',
      );
      socket.destroy();
      return;
    }
    if (a.evict) {
      const v = a.evict;
      this.counters.evicted++;
      this.slots.delete(v); // at once: the slot is the new connection's even before the close event
      this.limited.log(
        'warn',
        'evicted',
        {
          code: 'HJ212_ERR_LIMIT',
          peer: v.source,
          reason: a.reason,
          idleMs: Date.now() - v.lastByteAt,
          newPeer: source,
        },
        'HJ 212 connection without a valid frame evicted to make room for a new one',
      );
      v.socket.destroy();
    }
    this.counters.connections++;
    this.sockets.add(socket);
    socket.setKeepAlive(true, 60_000);
    socket.setTimeout(c.idle_timeout_ms, () => {
      this.counters.idleClosed++;
      this.limited.log(
        'info',
        'idle',
        { code: 'HJ212_ERR_LIMIT', peer: source, idleMs: c.idle_timeout_ms, mn: conn.mn },
        'HJ 212 connection idle: closed',
      );
      socket.destroy();
    });
    // The first valid frame must come soon; until then the connection may be evicted for another.
    const firstFrame = setTimeout(() => {
      if (conn.proven || socket.destroyed) return;
      this.counters.firstFrameTimeouts++;
      this.limited.log(
        'info',
        'first_frame_timeout',
        { code: 'HJ212_ERR_LIMIT', peer: source, timeoutMs: c.first_frame_timeout_ms, bytesIn: conn.bytesIn },
        'HJ 212 connection closed: no valid frame in time',
      );
      socket.destroy();
    }, c.first_frame_timeout_ms);
    firstFrame.unref();
    const conn = new Hj212Connection(socket, {
      sink: this.o.sink,
      log: this.log,
      counters: this.counters,
      maxSegmentLength: c.max_segment_bytes,
      maxPendingFrames: c.max_pending_frames,
      utcOffsetMinutes: c.utc_offset_minutes,
      replyOnError: c.reply_on_error,
      ...(this.o.onUplink ? { onUplink: this.o.onUplink } : {}),
      instrument: (mn) => this.lookup(mn),
      onProven: () => clearTimeout(firstFrame),
      limited: this.limited,
    });
    const slot: OpenConnection = {
      socket,
      conn,
      source,
      get proven() {
        return conn.proven;
      },
      get lastByteAt() {
        return conn.lastByteAt;
      },
    };
    this.slots.add(slot);
    this.connections.add(conn);
    socket.on('close', () => {
      clearTimeout(firstFrame);
      this.slots.delete(slot);
      this.sockets.delete(socket);
      this.connections.delete(conn);
    });
  }

  /** An unlisted MN's instrument from the profile whose hj212_mn rule it matches (cached per profile generation). */
  private byProfile(mn: string): Hj212Instrument | undefined {
    const src = this.o.profiles;
    if (!src?.match) return undefined;
    const generation = src.generation?.() ?? 0;
    const hit = this.matched.get(mn);
    if (hit && hit.generation === generation) return hit.instrument;
    const id = `hj212:${mn}`;
    const p = src.match({ deviceId: id, hj212Mn: mn });
    const entry: { generation: number; profile?: FoundProfile; instrument?: Hj212Instrument } = { generation };
    if (p?.transport.hj212 !== undefined) {
      try {
        const binding = validateHj212Binding(p.transport.hj212, p.file);
        const inst: Hj212Instrument = { mn, id, binding, profile: p.id };
        const pw = binding.pw ?? (this.o.config.default_pw || undefined);
        if (pw !== undefined) inst.pw = pw;
        Object.assign(entry, { profile: p, instrument: inst });
        src.pin?.(id, p.id);
        this.log.info({ mn, deviceId: id, profile: p.id }, 'HJ 212 instrument bound to a profile by its MN');
      } catch (e) {
        if (!isYiwangError(e)) throw e;
        this.log.error({ code: e.code, mn, profile: p.id, err: e.message }, 'HJ 212 profile binding invalid');
      }
    }
    if (this.matched.size > 10_000) this.matched.clear();
    this.matched.set(mn, entry);
    return entry.instrument;
  }

  private lookup(mn: string | undefined): { instrument?: Hj212Instrument; pw?: string; allowed: boolean } {
    const inst = mn === undefined ? undefined : (this.instruments.get(mn) ?? this.byProfile(mn));
    if (inst)
      return inst.pw === undefined
        ? { instrument: inst, allowed: true }
        : { instrument: inst, pw: inst.pw, allowed: true };
    const c = this.o.config;
    const allowed = !c.require_registered && mn !== undefined;
    return c.default_pw ? { pw: c.default_pw, allowed } : { allowed };
  }
}
