/**
 * The types of the DTLS server's API (server.ts re-exports them): peers, sessions as the layer
 * above sees them, options, counters and gauges. docs/reference/dtls.md ("API", "Counters").
 */
import type { YiwangError } from '../../../common/errors.js';

export interface Peer {
  readonly address: string;
  readonly port: number;
}

/** Sends one datagram to a peer (e.g. `(d, p) => socket.send(d, p.port, p.address)`). */
export type SendDatagram = (datagram: Buffer, peer: Peer) => void;

/** An established DTLS session, as the layer above sees it. */
export interface DtlsSession {
  /** The PSK identity the device authenticated with. */
  readonly identity: string;
  /** Where the device is now (moves when a CID record authenticates from a new address). */
  readonly peer: Peer;
  /** The connection ID the device puts in its records (undefined: CID not negotiated). */
  readonly cid: Buffer | undefined;
  /** Name of the negotiated cipher suite. */
  readonly suite: string;
  readonly closed: boolean;
  /** A number of the layer above's choosing (0 until set; the coaps listener keeps its virtual peer here). */
  tag: number;
  /** Encrypts `plaintext` into one record to the peer; throws DTLS_ERR_SEND when closed or too large. */
  send(plaintext: Buffer): void;
  /** Sends close_notify and forgets the session. */
  close(): void;
}

export type SessionEndReason =
  | 'closed'
  | 'peer-closed'
  | 'peer-alert'
  | 'evicted'
  | 'expired'
  | 'replaced'
  | 'server-closed';

export interface DtlsServerOptions {
  /** The PSK of an identity, undefined if unknown. */
  pskFor(identity: string): Buffer | undefined;
  /** Application data of an established session. */
  onData?(plaintext: Buffer, session: DtlsSession): void;
  onSessionStart?(session: DtlsSession): void;
  onSessionEnd?(session: DtlsSession, reason: SessionEndReason): void;
  /** A handshake that failed (the peer got a fatal alert, no state is kept). */
  onHandshakeFailed?(error: YiwangError, peer: Peer): void;
  /** Master secret of the cookies (≥ 16 bytes); random per server if absent. */
  cookieSecret?: Buffer;
  /** Cookie secret rotation period (default 60 s; a cookie is accepted for one to two periods). */
  cookieLifetimeMs?: number;
  /** Most entries (established sessions and handshakes in progress) in the table. */
  maxSessions: number;
  /** Most estimated bytes of the table. */
  maxSessionBytes: number;
  /** Most handshakes in progress at once (default min(maxSessions, 1024)); the oldest is dropped. */
  maxHandshakes?: number;
  /** Negotiate Connection ID (RFC 9146) when the client offers it. */
  cid: boolean;
  /** Length of the CIDs this server hands out (default 6, 1..32). */
  cidLength?: number;
  /** PSK identity hint sent in a ServerKeyExchange; none sent when absent. */
  pskIdentityHint?: string;
  /** Allowed suites in order of preference (default CCM_8, then GCM). */
  suites?: readonly string[];
  /** Largest datagram the server sends (default 1152); handshake messages are fragmented to fit. */
  mtu?: number;
  /** A handshake not finished after this long is forgotten (default 30 s). */
  handshakeTimeoutMs?: number;
  /** An established session without a record from the client for this long is dropped (default 24 h). */
  sessionIdleMs?: number;
  /** Most sessions remembered for resumption (default maxSessions; 0: no session IDs, no resumption). */
  maxResumptions?: number;
  /** Most estimated bytes of the resumption cache (default maxSessionBytes). */
  maxResumptionBytes?: number;
  /** A session can be resumed for this long after its full handshake (default 24 h). */
  resumptionLifetimeMs?: number;
  /** Largest handshake message body accepted (default 4096). */
  maxHandshakeMessage?: number;
  /** Most handshake messages buffered per handshake (default 4). */
  maxBufferedMessages?: number;
  /** Longest PSK identity accepted (default 128 bytes). */
  maxIdentityLength?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

export type DropReason =
  | 'malformed'
  | 'replay'
  | 'badMac'
  | 'noSession'
  | 'unexpected'
  | 'oldEpoch'
  | 'fragmentedHello'
  | 'seqExhausted';

export interface DtlsCounters {
  handshakesStarted: number;
  handshakesCompleted: number;
  /** Of the completed: abbreviated handshakes (session resumption). */
  handshakesResumed: number;
  handshakesFailed: number;
  handshakesTimedOut: number;
  /** Handshakes in progress dropped for a newer one (maxHandshakes, or room in the table). */
  handshakesEvicted: number;
  cookiesSent: number;
  flightsRetransmitted: number;
  renegotiationsRefused: number;
  sessionsEvicted: number;
  /** Sessions dropped after sessionIdleMs without a record from the client. */
  sessionsExpired: number;
  sessionsEnded: number;
  addressMoves: number;
  /** A session ID offered that the cache does not know (or no longer: expired, evicted): full handshake. */
  resumptionsMissed: number;
  /** A known session ID not resumed (its key removed or changed, suite or extended master secret differ): full handshake. */
  resumptionsRefused: number;
  /** Resumption cache entries dropped for room (count or bytes) and past their lifetime. */
  resumptionsEvicted: number;
  resumptionsExpired: number;
  recordsDropped: Record<DropReason, number>;
  /** Exceptions caught inside `handle` (a bug if not 0) and thrown by the caller's callbacks. */
  internalErrors: number;
  callbackErrors: number;
}

export interface DtlsStats extends DtlsCounters {
  /** Established sessions. */
  sessions: number;
  /** Handshakes in progress. */
  handshakes: number;
  /** Estimated bytes held by the table (0 when it is empty). */
  tableBytes: number;
  /** Sessions in the resumption cache and their estimated bytes. */
  resumptionEntries: number;
  resumptionBytes: number;
}

/** All counters at zero. */
export function zeroCounters(): DtlsCounters {
  return {
    handshakesStarted: 0,
    handshakesCompleted: 0,
    handshakesResumed: 0,
    handshakesFailed: 0,
    handshakesTimedOut: 0,
    handshakesEvicted: 0,
    cookiesSent: 0,
    flightsRetransmitted: 0,
    renegotiationsRefused: 0,
    sessionsEvicted: 0,
    sessionsExpired: 0,
    sessionsEnded: 0,
    addressMoves: 0,
    resumptionsMissed: 0,
    resumptionsRefused: 0,
    resumptionsEvicted: 0,
    resumptionsExpired: 0,
    recordsDropped: {
      malformed: 0,
      replay: 0,
      badMac: 0,
      noSession: 0,
      unexpected: 0,
      oldEpoch: 0,
      fragmentedHello: 0,
      seqExhausted: 0,
    },
    internalErrors: 0,
    callbackErrors: 0,
  };
}
