/**
 * What a connection must pass before Aedes spends anything on it (docs/reference/limits.md,
 * "Cloud: MQTT broker"):
 * - at most `maxUnauthenticated` connections at once that have not authenticated yet, TLS
 *   handshakes and provisioning sessions (they prove nothing but a claim token) included; one more
 *   is closed at accept;
 * - `connectTimeoutMs` from accept to a successful authentication (TLS handshake, CONNECT, secret
 *   check), or the connection is closed;
 * - packets of at most `maxConnectBytes` until the connection authenticated (the CONNECT and
 *   anything sent with it), `maxPacketBytes` after; checked on each fixed header, before the body
 *   is read (cloud/broker/packet-guard.ts);
 * - a client that does not read what it is sent is closed once `maxOutgoingBytes` wait in its
 *   send buffer (checked before each message to it).
 * Every refusal moves a counter of the broker (`/api/v1/stats` broker.*) and writes a warn line
 * within the log budget.
 */
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { CLOUD_SCHEMA } from '../config.js';
import { FrameScanner, meterReads } from './packet-guard.js';

/** Writes a warn line about something a peer did, within the broker's log budget (common/log-limiter.ts). */
export type PeerWarn = (obj: { code: string } & Record<string, unknown>, msg: string) => void;

export interface BrokerLimits {
  /** mqtt.max_connect_bytes: largest packet before the connection authenticated. */
  maxConnectBytes: number;
  /** mqtt.max_packet_bytes: largest packet of an authenticated connection. */
  maxPacketBytes: number;
  /** mqtt.max_unauthenticated: connections at once that have not authenticated (TLS handshakes included). */
  maxUnauthenticated: number;
  /** mqtt.connect_timeout_ms: from accept to a successful authentication. */
  connectTimeoutMs: number;
  /** mqtt.max_outgoing_bytes: bytes waiting in a connection's send buffer before it is closed as not reading. */
  maxOutgoingBytes: number;
}

const M = CLOUD_SCHEMA.mqtt;
/** The defaults of the mqtt.* options (cloud/config.ts): a broker started without a config gets the same. */
export const DEFAULT_BROKER_LIMITS: Readonly<BrokerLimits> = {
  maxConnectBytes: M.max_connect_bytes.default,
  maxPacketBytes: M.max_packet_bytes.default,
  maxUnauthenticated: M.max_unauthenticated.default,
  connectTimeoutMs: M.connect_timeout_ms.default,
  maxOutgoingBytes: M.max_outgoing_bytes.default,
};

export interface GateCounters {
  /** Connections now open and not authenticated (a gauge). */
  unauthenticated: number;
  unauthenticatedRefused: number;
  connectTimeouts: number;
  /** Packets over maxConnectBytes before authentication. */
  connectTooLarge: number;
  /** Packets over maxPacketBytes after authentication. */
  packetTooLarge: number;
  malformedPackets: number;
  slowClientsClosed: number;
}

export const newGateCounters = (): GateCounters => ({
  unauthenticated: 0,
  unauthenticatedRefused: 0,
  connectTimeouts: 0,
  connectTooLarge: 0,
  packetTooLarge: 0,
  malformedPackets: 0,
  slowClientsClosed: 0,
});

interface Conn {
  readonly raw: Socket;
  readonly listener: 'mqtt' | 'tls';
  readonly peer: string;
  readonly scanner: FrameScanner;
  timer: NodeJS.Timeout | undefined;
  authenticated: boolean;
  counted: boolean;
  gatewayId?: string | undefined;
}

const peerOf = (s: Socket): string => `${s.remoteAddress ?? '?'}|${s.remotePort ?? 0}`;

export class ConnectionGate {
  private readonly byStream = new WeakMap<object, Conn>();
  /** TLS connections between accept and the end of the handshake, by peer address and port. */
  private readonly handshaking = new Map<string, Conn>();
  /** Connections not authenticated yet (closed at stop: Aedes closes only the clients it registered). */
  private readonly pending = new Set<Conn>();

  constructor(
    readonly limits: BrokerLimits,
    private readonly counters: GateCounters,
    private readonly warn: PeerWarn,
  ) {}

  /** A TCP connection was accepted; undefined when it was refused (and destroyed). */
  accept(raw: Socket, listener: 'mqtt' | 'tls'): Conn | undefined {
    const peer = peerOf(raw);
    if (this.counters.unauthenticated >= this.limits.maxUnauthenticated) {
      this.counters.unauthenticatedRefused++;
      this.warn(
        { code: 'CLOUD_ERR_UNAUTHENTICATED_LIMIT', peer, listener, limit: this.limits.maxUnauthenticated },
        'connection refused: too many unauthenticated connections',
      );
      raw.destroy();
      return undefined;
    }
    const c: Conn = {
      raw,
      listener,
      peer,
      scanner: new FrameScanner(this.limits.maxConnectBytes),
      timer: undefined,
      authenticated: false,
      counted: true,
    };
    this.counters.unauthenticated++;
    this.pending.add(c);
    c.timer = setTimeout(() => {
      c.timer = undefined;
      if (c.authenticated || raw.destroyed) return;
      this.counters.connectTimeouts++;
      this.warn(
        { code: 'CLOUD_ERR_CONNECT_TIMEOUT', peer, listener, timeoutMs: this.limits.connectTimeoutMs },
        'connection closed: not authenticated in time',
      );
      raw.destroy();
    }, this.limits.connectTimeoutMs);
    c.timer.unref();
    raw.once('close', () => this.release(c));
    if (listener === 'tls') {
      this.handshaking.set(peer, c);
      raw.once('close', () => {
        if (this.handshaking.get(peer) === c) this.handshaking.delete(peer);
      });
    }
    return c;
  }

  /** The TLS socket of a connection accepted on the TLS listener, after its handshake. */
  secured(tlsSocket: Socket): Conn | undefined {
    const peer = peerOf(tlsSocket);
    const c = this.handshaking.get(peer);
    this.handshaking.delete(peer);
    return c;
  }

  /** Puts the packet size limits in front of the stream Aedes reads (the socket, or the TLS socket over it). */
  guard(stream: Readable, c: Conn): void {
    this.byStream.set(stream, c);
    meterReads(stream, (chunk) => {
      const v = c.scanner.feed(chunk);
      if (!v) return true;
      const base = { peer: c.peer, listener: c.listener, gatewayId: c.gatewayId, authenticated: c.authenticated };
      if (v.reason === 'malformed') {
        this.counters.malformedPackets++;
        this.warn(
          { code: 'CLOUD_ERR_PACKET_MALFORMED', ...base },
          'connection closed: remaining length of more than 4 bytes',
        );
      } else {
        if (c.authenticated) this.counters.packetTooLarge++;
        else this.counters.connectTooLarge++;
        this.warn(
          { code: 'CLOUD_ERR_PACKET_TOO_LARGE', ...base, bytes: v.bytes, limit: v.limit, packetType: v.packetType },
          'connection closed: packet over the size limit',
        );
      }
      c.raw.destroy();
      return false;
    });
  }

  /** The connection on `stream` proved who it is: the larger packet limit applies, its unauthenticated slot is free. */
  authenticated(stream: object, gatewayId?: string): void {
    const c = this.byStream.get(stream);
    if (!c) return;
    c.authenticated = true;
    c.gatewayId = gatewayId;
    c.scanner.limit = this.limits.maxPacketBytes;
    this.release(c);
  }

  /**
   * A provisioning session sent its one request: its connect deadline stops (the broker closes the
   * session after its answer or provSessionMs). It stays unauthenticated — its slot among
   * maxUnauthenticated and the maxConnectBytes packet limit — for its whole life.
   */
  requestUnderWay(stream: object): void {
    const c = this.byStream.get(stream);
    if (c?.timer) clearTimeout(c.timer);
    if (c) c.timer = undefined;
  }

  /** The client address of a connection ('' when unknown). */
  addressOf(stream: object): string {
    return this.byStream.get(stream)?.raw.remoteAddress ?? '';
  }

  /** Closes every connection that has not authenticated (stop). */
  closeUnauthenticated(): void {
    for (const c of [...this.pending]) c.raw.destroy();
  }

  /** True (and the connection is closed) when a client has more than maxOutgoingBytes waiting unsent. */
  closeIfNotReading(stream: Writable, who: string): boolean {
    if (stream.writableLength <= this.limits.maxOutgoingBytes || stream.destroyed) return stream.destroyed;
    this.counters.slowClientsClosed++;
    this.warn(
      {
        code: 'CLOUD_ERR_SLOW_CLIENT',
        clientId: who,
        waitingBytes: stream.writableLength,
        limit: this.limits.maxOutgoingBytes,
      },
      'connection closed: the client does not read what it is sent',
    );
    (this.byStream.get(stream)?.raw ?? stream).destroy();
    return true;
  }

  private release(c: Conn): void {
    if (c.timer) clearTimeout(c.timer);
    c.timer = undefined;
    if (!c.counted) return;
    c.counted = false;
    this.pending.delete(c);
    this.counters.unauthenticated--;
  }
}
