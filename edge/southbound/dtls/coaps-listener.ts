/**
 * The agent's `coaps` listener (issue 21): a UDP socket of its own (coap.dtls_port, 5684) whose
 * datagrams go through the DTLS server core (server.ts); the decrypted CoAP messages then take the
 * very path of plain ones. They are emitted as 'message' events on the agent's one CoAP socket
 * (node-coap's, shared with the LwM2M dispatcher and node-coap's Agent), so the uplink server,
 * Block1, the exchange cache, LwM2M registration, observe and queue mode see them unchanged.
 *
 * Each DTLS session appears there as a *virtual peer*: an address from the IPv6 discard-only
 * prefix 100::/64 (RFC 6666, never the source of a real datagram) and this listener's port. It
 * stays the same for the session's life, so a Connection ID rebind (the device's real address
 * changes) is no new peer to CoAP or LwM2M. Whatever the CoAP side sends to a virtual peer is
 * taken off the socket's send() (wrapped while attached) and encrypted with that session instead.
 * docs/reference/dtls.md ("In the agent").
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Logger } from '../../../common/log.js';
import type { PskDirectory } from './psk-directory.js';
import { type DtlsServerOptions, type DtlsSession, type DtlsStats, DtlsServer } from './server.js';

/** Addresses of virtual peers: `100::1:<hi>:<lo>` (canonical RFC 5952 text, so it survives URL parsing). */
export const VIRTUAL_PREFIX = '100::1:';

/** The virtual peer address of number `n` (1..2^32-1). */
export function virtualAddress(n: number): string {
  return `${VIRTUAL_PREFIX}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
}

export function isVirtualAddress(address: string | undefined): boolean {
  return address?.startsWith(VIRTUAL_PREFIX) === true;
}

export interface CoapsListenerOptions {
  host: string;
  /** UDP port (0 = any free port). */
  port: number;
  directory: PskDirectory;
  log: Logger;
  maxSessions: number;
  maxSessionBytes: number;
  cid: boolean;
  handshakeTimeoutMs?: number;
  /** Established sessions idle this long are dropped (DtlsServer sessionIdleMs; default 24 h). */
  sessionIdleMs?: number;
  /** Sessions kept for resumption (DtlsServer maxResumptions; default maxSessions, 0 = no resumption). */
  maxResumptions?: number;
  /** A session can be resumed this long after its full handshake (DtlsServer resumptionLifetimeMs; default 24 h). */
  resumptionLifetimeMs?: number;
  /** Further DtlsServer options (tests: cookie secret, suites, clock). */
  dtls?: Partial<Omit<DtlsServerOptions, 'pskFor' | 'onData' | 'onSessionStart' | 'onSessionEnd'>>;
}

export interface CoapsStats extends DtlsStats {
  port: number;
  /** Decrypted datagrams handed to the CoAP socket. */
  datagramsIn: number;
  /** Datagrams the CoAP side sent to virtual peers (encrypted). */
  datagramsOut: number;
  /** Datagrams for a virtual peer whose session is gone (or too large for a record): dropped. */
  sendDropped: number;
  /** Decrypted datagrams dropped because no CoAP socket was attached. */
  notAttached: number;
  /**
   * Plain datagrams from the network whose source is a virtual peer address (100::1:…: spoofed, on
   * an IPv6 CoAP socket): dropped before the CoAP side sees them, so no one poses as a session.
   */
  virtualSpoofed: number;
}

type SendArgs = Parameters<Socket['send']>;
type SendCallback = (error: Error | null, bytes: number) => void;

export class CoapsListener {
  readonly name = 'coaps';
  private readonly dtls: DtlsServer;
  private sock: Socket | undefined;
  private target: Socket | undefined;
  private originalSend: Socket['send'] | undefined;
  private ownSend = false;
  /** Sessions by the number of their virtual peer (kept in `session.tag`; no strings per session). */
  private readonly byNumber = new Map<number, DtlsSession>();
  private next = 1;
  private readonly counters = { datagramsIn: 0, datagramsOut: 0, sendDropped: 0, notAttached: 0, virtualSpoofed: 0 };
  private originalEmit: Socket['emit'] | undefined;
  private ownEmit = false;
  /** True while this listener emits a decrypted datagram (the only 'message' a virtual address may have). */
  private emitting = false;

  constructor(private readonly opts: CoapsListenerOptions) {
    const log = opts.log.child({ component: 'coaps' });
    this.dtls = new DtlsServer({
      ...opts.dtls,
      pskFor: (identity) => opts.directory.keyOf(identity),
      maxSessions: opts.maxSessions,
      maxSessionBytes: opts.maxSessionBytes,
      cid: opts.cid,
      ...(opts.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: opts.handshakeTimeoutMs } : {}),
      ...(opts.sessionIdleMs !== undefined ? { sessionIdleMs: opts.sessionIdleMs } : {}),
      ...(opts.maxResumptions !== undefined ? { maxResumptions: opts.maxResumptions } : {}),
      ...(opts.resumptionLifetimeMs !== undefined ? { resumptionLifetimeMs: opts.resumptionLifetimeMs } : {}),
      onData: (plaintext, session) => this.onData(plaintext, session),
      onSessionStart: (session) => {
        this.virtualPeer(session);
        log.debug({ identity: session.identity, peer: session.peer, cid: session.cid !== undefined }, 'dtls session');
      },
      onSessionEnd: (session, reason) => {
        if (session.tag !== 0 && this.byNumber.get(session.tag) === session) this.byNumber.delete(session.tag);
        log.debug({ identity: session.identity, reason }, 'dtls session ended');
      },
      onHandshakeFailed: (err, peer) =>
        log.debug({ code: err.code, peer: `${peer.address}:${peer.port}`, err: err.message }, 'dtls handshake failed'),
    });
  }

  /** The PSK identity behind a virtual peer address; undefined for a plain peer or an ended session. */
  identityOf(address: string): string | undefined {
    const s = this.sessionOf(address);
    return s && !s.closed ? s.identity : undefined;
  }

  /** The DTLS server core behind the socket (tests drive it with an in-process client; the benchmark reads it). */
  get dtlsServer(): DtlsServer {
    return this.dtls;
  }

  get port(): number {
    return this.sock ? this.sock.address().port : 0;
  }

  stats(): CoapsStats {
    return { port: this.port, ...this.dtls.stats(), ...this.counters };
  }

  /**
   * Feeds decrypted datagrams to `coapSocket` (the CoAP server's bound socket) and takes what it
   * sends to virtual peers. Attach after the CoAP server listens; before or after the LwM2M
   * dispatcher installs itself (it keeps calling this socket's send()).
   */
  attach(coapSocket: Socket): void {
    if (this.target) throw new Error('the coaps listener is attached already');
    this.target = coapSocket;
    this.ownSend = Object.hasOwn(coapSocket, 'send');
    const original = coapSocket.send;
    this.originalSend = original;
    const wrapped = (...args: SendArgs): void => {
      if (!this.sendVirtual(args as unknown[])) original.apply(coapSocket, args);
    };
    coapSocket.send = wrapped as Socket['send'];
    // identity binding trusts a virtual peer address to be a DTLS session: a plain datagram that
    // claims one (spoofed source 100::1:… on an IPv6 socket) never reaches the CoAP side
    this.ownEmit = Object.hasOwn(coapSocket, 'emit');
    const emit = coapSocket.emit;
    this.originalEmit = emit;
    const guarded = (event: string | symbol, ...args: unknown[]): boolean => {
      if (event === 'message' && !this.emitting && isVirtualAddress((args[1] as RemoteInfo | undefined)?.address)) {
        this.counters.virtualSpoofed++;
        return false;
      }
      return (emit as (e: string | symbol, ...a: unknown[]) => boolean).call(coapSocket, event, ...args);
    };
    coapSocket.emit = guarded as Socket['emit'];
  }

  async start(): Promise<void> {
    const sock = createSocket({ type: 'udp4', reuseAddr: false });
    sock.on('message', (msg, rinfo) => this.dtls.handle(msg, rinfo, this.sendRaw));
    sock.on('error', (err) => this.opts.log.error({ err: err.message }, 'coaps socket error'));
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(this.opts.port, this.opts.host, () => {
        sock.removeListener('error', reject);
        resolve();
      });
    });
    this.sock = sock;
    this.opts.log.info({ port: this.port, host: this.opts.host }, 'coaps (DTLS) listener listening');
  }

  async stop(): Promise<void> {
    this.dtls.close(); // close_notify to every session, while the socket is still open
    const sock = this.sock;
    this.sock = undefined;
    this.byNumber.clear();
    if (this.target && this.originalSend) {
      if (this.ownSend) this.target.send = this.originalSend;
      else delete (this.target as { send?: unknown }).send;
    }
    if (this.target && this.originalEmit) {
      if (this.ownEmit) this.target.emit = this.originalEmit;
      else delete (this.target as { emit?: unknown }).emit;
    }
    this.target = undefined;
    if (sock) await new Promise<void>((resolve) => sock.close(() => resolve()));
  }

  private readonly sendRaw = (datagram: Buffer, peer: { address: string; port: number }): void => {
    try {
      this.sock?.send(datagram, peer.port, peer.address);
    } catch {
      // socket closed (stopping)
    }
  };

  /** The virtual peer of a session, numbered on first use. */
  private virtualPeer(session: DtlsSession): RemoteInfo {
    if (session.tag === 0) {
      let n: number;
      do {
        n = this.next;
        this.next = n >= 0xffffffff ? 1 : n + 1;
      } while (this.byNumber.has(n));
      session.tag = n;
      this.byNumber.set(n, session);
    }
    return { address: virtualAddress(session.tag), family: 'IPv6', port: this.opts.port || 5684, size: 0 };
  }

  /** The session behind a virtual peer address (only its canonical spelling). */
  private sessionOf(address: string): DtlsSession | undefined {
    if (!isVirtualAddress(address)) return undefined;
    const parts = address.slice(VIRTUAL_PREFIX.length).split(':');
    if (parts.length !== 2) return undefined;
    const n = Number.parseInt(parts[0]!, 16) * 0x10000 + Number.parseInt(parts[1]!, 16);
    if (!Number.isInteger(n) || virtualAddress(n) !== address) return undefined;
    return this.byNumber.get(n);
  }

  private onData(plaintext: Buffer, session: DtlsSession): void {
    const target = this.target;
    if (!target) {
      this.counters.notAttached++;
      return;
    }
    const v = this.virtualPeer(session);
    this.counters.datagramsIn++;
    this.emitting = true;
    try {
      target.emit('message', plaintext, { ...v, size: plaintext.length });
    } finally {
      this.emitting = false;
    }
  }

  /** Encrypts a datagram the CoAP side sends to a virtual peer; false when `args` are not for one. */
  private sendVirtual(args: unknown[]): boolean {
    // send(msg, port, address?, cb?) or send(msg, offset, length, port, address?, cb?)
    const long = typeof args[1] === 'number' && typeof args[2] === 'number' && typeof args[3] === 'number';
    const address = long ? args[4] : args[2];
    if (typeof address !== 'string' || !isVirtualAddress(address)) return false;
    const last = args[args.length - 1];
    const cb = typeof last === 'function' ? (last as SendCallback) : undefined;
    const raw = args[0];
    let msg = Buffer.isBuffer(raw)
      ? raw
      : Array.isArray(raw)
        ? Buffer.concat(raw.map((b) => (Buffer.isBuffer(b) ? b : Buffer.from(String(b)))))
        : Buffer.from(raw as Uint8Array);
    if (long) msg = msg.subarray(args[1] as number, (args[1] as number) + (args[2] as number));
    const session = this.sessionOf(address);
    let sent = false;
    if (session && !session.closed) {
      try {
        session.send(msg);
        sent = true;
      } catch {
        // DTLS_ERR_SEND: closed meanwhile or larger than a record
      }
    }
    if (sent) this.counters.datagramsOut++;
    else this.counters.sendDropped++;
    // node-coap treats a send error as fatal for the exchange; a lost datagram is what UDP does anyway
    if (cb) process.nextTick(cb, null, sent ? msg.length : 0);
    return true;
  }
}
