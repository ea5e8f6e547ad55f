/**
 * Everything of node-coap's internals that Yiwang relies on, in one place. node-coap (package `coap`)
 * documents only its http-like face (createServer, request, Agent, IncomingMessage/OutgoingMessage
 * as streams); what follows is read from its source (dist/lib/server.js, agent.js, retry_send.js)
 * and checked against coap 1.5.0 (package.json: "coap": "1.5", i.e. 1.5.x). Its typings declare most
 * of these fields (with leading underscores) but loosely: `_sock` is `Socket | EventEmitter | null`,
 * `_lru` holds `any`, a request's `sender` is never undefined. The callers use the functions below
 * instead of casting, and test/edge/southbound/coap/node-coap-internals.test.ts checks every item on
 * a real server and Agent: an upgrade that moves one of them fails that test.
 *
 * What is relied on, and why:
 *  1. `Server._sock`: the dgram.Socket that listen() bound (null before). The uplink server's port,
 *     SO_RCVBUF (coap.recv_buffer_bytes), the intake's own answers, and the LwM2M server's requests
 *     from the devices' port (NAT): serverSocket().
 *  2. `Server._lru`: the exchange cache, an LRU of sent responses (Buffers). In _handle's response
 *     path node-coap calls `_lru.set(key, buf)`, then attaches `buf.sender` (a RetrySend) and sends,
 *     all in one call; an Observe notification also gets `buf.response`; eviction calls
 *     `buf.sender?.reset()`. exchange-cache.ts wraps set() to slim the entries: exchangeCacheOf().
 *  3. `Server._middlewares` and `Server._handle(packet, rsinfo)`: every datagram runs through the
 *     middleware list (the first one parses it), then `_handle` dispatches a parsed packet (exchange
 *     cache, Block1/Block2 caches, 'request'). intake.ts replaces the list with its own parser and
 *     calls `_handle` itself: serverDispatch().
 *  4. `OutgoingMessage.writableEnded`: a response is a `bl` BufferListStream (a readable-stream
 *     Duplex); writableEnded turns true at end(). server.ts never ends a response twice: responseEnded().
 *  5. `IncomingMessage._packet`: the parsed packet (coap-packet) behind a request or response: its
 *     messageId, token, confirmable (server.ts's exchange identity) and its `options` array of
 *     `{ name, value }` with every option, repeated ones included (Location-Path; `headers` keeps one
 *     value per name): packetOptionsOf().
 *  6. `Agent._nextMessageId()`: the Agent's message-id counter; FETCH requests sent by hand on the
 *     same socket take their ids from it so the two never collide: nextMessageId().
 *  7. A client request's `sender` (RetrySend, set when the request is sent): `reset()` clears its
 *     retransmission timers, so a request given up on stops retransmitting: stopRetransmission()
 *     (edge/profiles/simulate.ts, which may not import a southbound adapter, calls the typed
 *     `req.sender.reset()` itself; the test covers it all the same).
 *  8. Socket 'message' listeners: listen() adds the server's one listener to `_sock`, and
 *     `new Agent({ socket })` adds the Agent's own; lwm2m/server/coap-dispatcher.ts tells them apart by
 *     taking `listeners('message')` before and after creating the Agent (checked by the test only).
 */
import { Socket, type RemoteInfo } from 'node:dgram';
import type coap from 'coap';
import type { ParsedPacket } from 'coap-packet';

/** node-coap's RetrySend, as far as we use it. */
export interface RetrySender {
  removeAllListeners(event: string): unknown;
  on(event: string, listener: (err: Error) => void): unknown;
  reset(): void;
}

/** What node-coap puts in its exchange cache: the response packet bytes, the sender attached after set(). */
export type CachedResponse = Buffer & { sender?: RetrySender | undefined; response?: unknown };

/** The exchange cache's set(), the only method we wrap. */
export interface ExchangeCache {
  set: (key: string, value: CachedResponse, ...rest: unknown[]) => unknown;
}

/** node-coap's middlewares: (request, next) with the raw datagram and the sender's address. */
export type CoapMiddleware = (request: { raw: Buffer; rsinfo: RemoteInfo }, next: (err: Error | null) => void) => void;

/** The server's datagram path: its middleware list, replaced, and its dispatcher of parsed packets. */
export interface ServerDispatch {
  replaceMiddlewares(middlewares: CoapMiddleware[]): void;
  handle(packet: ParsedPacket, rsinfo: RemoteInfo): void;
}

/** One option of a parsed packet (coap-packet: names for the known ones, numbers otherwise). */
export interface PacketOption {
  name: string | number;
  value: Buffer | string | number;
}

interface ServerInternals {
  _sock?: unknown;
  _lru?: unknown;
  _middlewares?: unknown;
  _handle?: unknown;
}
const internals = (server: coap.Server): ServerInternals => server as ServerInternals;

/** 1. The server's UDP socket once listening; undefined before (or when node-coap no longer keeps it there). */
export function serverSocket(server: coap.Server | undefined): Socket | undefined {
  const sock = server === undefined ? undefined : internals(server)._sock;
  return sock instanceof Socket ? sock : undefined;
}

/** 2. The exchange cache, or undefined when `_lru` is not there with a set(). */
export function exchangeCacheOf(server: coap.Server): ExchangeCache | undefined {
  const lru = internals(server)._lru as { set?: unknown } | null | undefined;
  return lru && typeof lru.set === 'function' ? (lru as ExchangeCache) : undefined;
}

/** 3. The server's datagram path, or undefined when `_middlewares` / `_handle` are not there. */
export function serverDispatch(server: coap.Server): ServerDispatch | undefined {
  const s = internals(server);
  const handle = s._handle;
  if (!Array.isArray(s._middlewares) || typeof handle !== 'function') return undefined;
  return {
    replaceMiddlewares: (middlewares) => {
      s._middlewares = middlewares;
    },
    handle: (packet, rsinfo) => {
      (handle as (p: ParsedPacket, r: RemoteInfo) => void).call(server, packet, rsinfo);
    },
  };
}

/** 4. Whether the response was ended already. */
export function responseEnded(res: coap.OutgoingMessage): boolean {
  return (res as { writableEnded?: unknown }).writableEnded === true;
}

/** 5. Every option of the packet behind a request or response, repeated ones included. */
export function packetOptionsOf(msg: coap.IncomingMessage): readonly PacketOption[] {
  const packet = (msg as { _packet?: { options?: unknown } })._packet;
  return Array.isArray(packet?.options) ? (packet.options as PacketOption[]) : [];
}

/** 6. The next message id of the Agent's counter. */
export function nextMessageId(agent: coap.Agent): number {
  return agent._nextMessageId();
}

/** 7. Stops the retransmissions of a client request (nothing when it was not sent yet). */
export function stopRetransmission(req: coap.OutgoingMessage): void {
  const sender = (req as { sender?: Partial<RetrySender> | null }).sender;
  if (typeof sender?.reset === 'function') sender.reset();
}

/**
 * Which of the server internals above are missing or not as expected ([] when all are there).
 * `listening`: the server has listened, so `_sock` must be a bound dgram.Socket too.
 */
export function nodeCoapServerProblems(server: coap.Server, listening: boolean): string[] {
  const s = internals(server);
  const problems: string[] = [];
  if (!exchangeCacheOf(server)) problems.push('_lru with set() (the exchange cache)');
  if (!Array.isArray(s._middlewares)) problems.push('_middlewares array');
  if (typeof s._handle !== 'function') problems.push('_handle() method');
  if (listening && !serverSocket(server)) problems.push('_sock (a dgram.Socket once listening)');
  return problems;
}

/** Throws when node-coap's server internals relied on here are missing (a node-coap upgrade changed them). */
export function assertNodeCoapInternals(server: coap.Server, listening = false): void {
  const problems = nodeCoapServerProblems(server, listening);
  if (problems.length)
    throw new Error(`node-coap internals changed (checked against coap 1.5.x): missing ${problems.join(', ')}`);
}
