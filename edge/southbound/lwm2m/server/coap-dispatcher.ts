/**
 * The LwM2M server's hold on the agent's one CoAP UDP socket. node-coap's server answers
 * /senml and /raw; node-coap's Agent (exactly one on this socket) sends server-initiated
 * requests. This dispatcher (CoapWire) sits in front of both on the socket's 'message' event and takes:
 *  - requests to /rd and /dp: answered here, with a response cache for retransmitted CONs
 *    (coap-retransmission-cache.ts) and our own Block1 reassembly keyed by endpoint + path
 *    (coap-block1-uploads.ts);
 *  - notifications (CON/NON responses whose token belongs to an observation), so that a CON
 *    notification is acknowledged only after its readings are committed;
 *  - responses to our own requests (coap-con-requests.ts: blockwise FETCH, which the Agent cannot do).
 * Everything else goes on to node-coap unchanged.
 */
import type { Socket, RemoteInfo } from 'node:dgram';
import { generate, parse, type ParsedPacket, type NamedOption } from 'coap-packet';
import { intern } from './intern.js';
import {
  optionBuffer,
  optionUint,
  type Peer,
  type WireHandlers,
  type WireReply,
  type WireRequest,
} from './exchange.js';
import { Block1Uploads, uploadKey, type Block1UploadLimits } from './coap-block1-uploads.js';
import { ConRequests, type ConRequest } from './coap-con-requests.js';
import { RetransmissionCache } from './coap-retransmission-cache.js';
import { formatError, readHeader, TYPE_CON } from '../../coap/datagram.js';

type Listener = (msg: Buffer, rinfo: RemoteInfo) => void;

export const LWM2M_RESOURCES = new Set(['rd', 'dp', 'bs']);
const RESOURCE_MAX_LEN = Math.max(...[...LWM2M_RESOURCES].map((r) => Buffer.byteLength(r)));

/**
 * Where a CoAP request goes, read from the datagram without parsing it into objects (every uplink
 * to node-coap's /senml and /raw passes here; a full parse here would parse each one twice):
 * 'lwm2m' when it is a request whose first Uri-Path is an LwM2M resource, 'other' for any other
 * well-formed request, undefined when the message is no request or its header or options are
 * malformed (the caller then parses it fully).
 */
export function peekRequest(msg: Buffer): 'lwm2m' | 'other' | undefined {
  if (msg.length < 4 || msg[0]! >> 6 !== 1) return undefined;
  const tkl = msg[0]! & 0x0f;
  const code = msg[1]!;
  if (tkl > 8 || code === 0 || code >> 5 !== 0) return undefined;
  let i = 4 + tkl,
    number = 0,
    firstAt = -1,
    firstLen = 0;
  if (i > msg.length) return undefined;
  while (i < msg.length) {
    const b = msg[i++]!;
    if (b === 0xff) {
      if (i === msg.length) return undefined; // a payload marker must be followed by a payload
      break;
    }
    let delta = b >> 4,
      len = b & 0x0f;
    if (delta === 13) {
      if (i >= msg.length) return undefined;
      delta = msg[i++]! + 13;
    } else if (delta === 14) {
      if (i + 1 >= msg.length) return undefined;
      delta = msg.readUInt16BE(i) + 269;
      i += 2;
    } else if (delta === 15) return undefined;
    if (len === 13) {
      if (i >= msg.length) return undefined;
      len = msg[i++]! + 13;
    } else if (len === 14) {
      if (i + 1 >= msg.length) return undefined;
      len = msg.readUInt16BE(i) + 269;
      i += 2;
    } else if (len === 15) return undefined;
    number += delta;
    if (i + len > msg.length) return undefined;
    if (number === 11 && firstAt < 0) {
      firstAt = i;
      firstLen = len;
    } // Uri-Path
    i += len;
  }
  // a string only for segments as short as the LwM2M resources (not for 'senml' or 'raw')
  return firstAt >= 0 &&
    firstLen <= RESOURCE_MAX_LEN &&
    LWM2M_RESOURCES.has(msg.toString('utf8', firstAt, firstAt + firstLen))
    ? 'lwm2m'
    : 'other';
}

export class CoapWire {
  private serverListeners: Listener[] = [];
  private agentListeners: Listener[] = [];
  private readonly answers = new RetransmissionCache();
  private readonly uploads: Block1Uploads;
  /** Our own requests in flight (see request()). */
  private readonly ownRequests = new ConRequests((buf, peer) => this.send(buf, peer));
  private readonly dispatch: Listener = (msg, rinfo) => this.onMessage(msg, rinfo);
  counters = { requests: 0, retransmissions: 0, blocks: 0, notifications: 0, malformed: 0, uploadsRefused: 0 };

  constructor(
    private readonly sock: Socket,
    private readonly handlers: WireHandlers,
    opts: Block1UploadLimits,
  ) {
    this.uploads = new Block1Uploads(opts, this.counters);
  }

  /**
   * Puts the dispatcher in front of the socket's listeners. `createAgent` runs in between, so
   * listeners added by it (node-coap's Agent) are told apart from the server's.
   */
  install(createAgent: () => void): void {
    this.serverListeners = this.sock.listeners('message') as Listener[];
    createAgent();
    this.agentListeners = (this.sock.listeners('message') as Listener[]).filter(
      (l) => !this.serverListeners.includes(l),
    );
    this.sock.removeAllListeners('message');
    this.sock.on('message', this.dispatch);
  }

  uninstall(): void {
    this.ownRequests.clear(); // their retransmissions stop; their promises reject at their deadline
    this.sock.removeListener('message', this.dispatch);
    for (const l of [...this.serverListeners, ...this.agentListeners]) this.sock.on('message', l);
  }

  send(buf: Buffer, peer: Peer): void {
    try {
      this.sock.send(buf, peer.port, peer.address);
    } catch {
      // the socket closed (agent stopping): nothing more goes out
    }
  }

  private forward(list: Listener[], msg: Buffer, rinfo: RemoteInfo): void {
    for (const l of list) l.call(this.sock, msg, rinfo);
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (peekRequest(msg) === 'other') return this.forward(this.serverListeners, msg, rinfo);
    // A message format error (RFC 7252 §3) goes to the server's intake, which rejects it (RST for a
    // CON, §4.2), counts and logs it: one place for the whole port (edge/southbound/coap/intake.ts)
    const h = readHeader(msg);
    if (!h || formatError(msg, h) !== undefined) {
      this.counters.malformed++;
      return this.forward(this.serverListeners, msg, rinfo);
    }
    // an Empty CON (a ping, or Empty with bytes after its Message ID) is the intake's too: a Reset
    if (h.code === 0 && h.type === TYPE_CON) return this.forward(this.serverListeners, msg, rinfo);
    let packet: ParsedPacket;
    try {
      packet = parse(msg);
    } catch {
      this.counters.malformed++;
      return this.forward(this.serverListeners, msg, rinfo); // the intake rejects it (nothing dropped unanswered)
    }
    const cls = packet.code.charCodeAt(0) - 48;
    if (cls === 0 && packet.code !== '0.00') {
      const first = packet.options.find((o) => o.name === 'Uri-Path')?.value.toString('utf8');
      if (first !== undefined && LWM2M_RESOURCES.has(first)) return this.onRequest(packet, rinfo);
      return this.forward(this.serverListeners, msg, rinfo);
    }
    // the ACK or Reset of one of our own CON requests, by Message ID (it may carry no token)
    if (
      (packet.ack || packet.reset) &&
      this.ownRequests.answerByMessage({ address: rinfo.address, port: rinfo.port }, packet)
    )
      return;
    if (cls >= 2 && packet.token.length > 0 && this.ownRequests.has(packet.token.toString('hex'))) {
      if (packet.confirmable)
        this.send(generate({ ack: true, messageId: packet.messageId, code: '0.00' }), {
          address: rinfo.address,
          port: rinfo.port,
        });
      return this.ownRequests.settle(packet.token.toString('hex'), packet);
    }
    if (
      cls >= 2 &&
      !packet.ack &&
      !packet.reset &&
      packet.token.length > 0 &&
      this.handlers.isObservation(packet.token.toString('hex'))
    ) {
      return this.onNotification(packet, rinfo);
    }
    this.forward(this.agentListeners, msg, rinfo);
  }

  /**
   * Sends one CON request and resolves with its response, retransmitting it (coap-con-requests.ts);
   * for what node-coap's Agent cannot do (blockwise FETCH, which must repeat its body);
   * `messageId` must come from the Agent's counter so that the two never collide.
   */
  request(peer: Peer, packet: ConRequest, messageId: number, timeoutMs: number): Promise<ParsedPacket> {
    return this.ownRequests.request(peer, packet, messageId, timeoutMs);
  }

  private onNotification(packet: ParsedPacket, rinfo: RemoteInfo): void {
    this.counters.notifications++;
    const peer = { address: intern(rinfo.address), port: rinfo.port };
    void this.handlers.notification(packet, peer).then(
      (outcome) => {
        if (outcome === 'reset') this.send(generate({ reset: true, messageId: packet.messageId, code: '0.00' }), peer);
        else if (outcome === 'ack' && packet.confirmable)
          this.send(generate({ ack: true, messageId: packet.messageId, code: '0.00' }), peer);
      },
      () => undefined,
    );
  }

  /** Unfinished Block1 uploads and their bytes. */
  uploadStats(): { uploads: number; uploadBytes: number } {
    return this.uploads.stats();
  }

  private onRequest(packet: ParsedPacket, rinfo: RemoteInfo): void {
    const now = Date.now();
    const peer = { address: intern(rinfo.address), port: rinfo.port };
    const exchange = `${rinfo.address}:${rinfo.port}#${packet.messageId}`;
    this.answers.rotate(now);
    this.uploads.prune(now);
    const seen = this.answers.seen(exchange);
    if (seen !== undefined) {
      this.counters.retransmissions++;
      if (seen !== 'handling') this.send(seen, peer);
      return; // still being handled: its answer will cover the retransmission
    }
    const keep = this.answers.begin(exchange);
    this.counters.requests++;
    const path = packet.options.filter((o) => o.name === 'Uri-Path').map((o) => o.value.toString('utf8'));
    const query = packet.options.filter((o) => o.name === 'Uri-Query').map((o) => o.value.toString('utf8'));
    const contentFormat = optionUint(optionBuffer(packet, 'Content-Format'));
    const answer = (r: WireReply, block1?: Buffer): void => {
      const options = [...(r.options ?? [])] as NamedOption[]; // the core names RFC 7252 options ('Max-Age', 'Location-Path' …)
      if (block1) options.push({ name: 'Block1', value: block1 });
      const payload =
        r.payload === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.payload) ? r.payload : Buffer.from(r.payload);
      const buf = generate(
        {
          code: r.code,
          token: packet.token,
          options,
          payload,
          ...(packet.confirmable
            ? { ack: true, messageId: packet.messageId }
            : { confirmable: false, messageId: (packet.messageId + 0x8000) & 0xffff }),
        },
        64 * 1024,
      );
      keep(buf);
      this.send(buf, peer);
    };
    const block1 = optionBuffer(packet, 'Block1');
    let payload = packet.payload;
    let echo: Buffer | undefined;
    if (block1) {
      this.counters.blocks++;
      const step = this.uploads.take(
        uploadKey(packet.code, query, path, rinfo),
        rinfo.address,
        block1,
        packet.payload,
        now,
      );
      if ('answer' in step) return answer(step.answer, step.block1);
      ({ payload, echo } = step);
    }
    const req: WireRequest = {
      method: packet.code,
      path,
      query,
      payload,
      contentFormat,
      peer,
      confirmable: packet.confirmable,
      messageId: packet.messageId,
      token: packet.token,
    };
    this.handlers.request(req).then(
      (r) => answer(r, echo),
      (err: unknown) => answer({ code: '5.00', payload: `internal error: ${(err as Error).message}` }, echo),
    );
  }
}
