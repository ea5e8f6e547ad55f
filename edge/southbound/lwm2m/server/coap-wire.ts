/**
 * The LwM2M server's hold on the agent's one CoAP UDP socket. node-coap's server answers
 * /senml and /raw; node-coap's Agent (exactly one on this socket) sends server-initiated
 * requests. This dispatcher sits in front of both on the socket's 'message' event and takes:
 *  - requests to /rd and /dp: answered here, with a response cache for retransmitted CONs and
 *    our own Block1 reassembly keyed by endpoint + path (libcoap changes the token per block,
 *    which node-coap's token-keyed reassembly cannot follow);
 *  - notifications (CON/NON responses whose token belongs to an observation), so that a CON
 *    notification is acknowledged only after its readings are committed;
 *  - responses to our own requests (request(): blockwise FETCH, which the Agent cannot do).
 * Everything else goes on to node-coap unchanged.
 */
import type { Socket, RemoteInfo } from 'node:dgram';
import { generate, parse, type ParsedPacket, type NamedOption } from 'coap-packet';
import { intern } from './intern.js';
import { optionBuffer, optionUint, uintBuffer, type Peer, type WireHandlers, type WireReply, type WireRequest } from './exchange.js';
import { blockValue as blockBuffer, parseBlock, type BlockOption } from '../../coap/block1.js';

// The plain-data side of the exchange (what the core sees) is exchange.ts; re-exported for the binding's users.
export type { Peer, WireReply, WireRequest, WireHandlers } from './exchange.js';
export { optionBuffer, optionUint, uintBuffer } from './exchange.js';

export interface WireOptions {
  /** Largest Block1 upload reassembled. */
  maxUploadBytes: number;
  /** Unfinished Block1 uploads at once (default 256). */
  maxUploads?: number;
  /** Bytes of all unfinished Block1 uploads together (default 4 MiB). */
  maxUploadTotalBytes?: number;
  /** Unfinished Block1 uploads are dropped after this long. */
  blockTimeoutMs?: number;
  /** Unfinished Block1 uploads at once from one source IP address, any port (default 16): one host cannot hold every slot. */
  maxUploadsPerAddress?: number;
}

type Listener = (msg: Buffer, rinfo: RemoteInfo) => void;

const EXCHANGE_LIFETIME_MS = 247_000;
/** Answers kept for retransmitted CONs, in both generations together. */
const MAX_CACHED = 50_000;
const MAX_UPLOADS = 256;
const MAX_UPLOAD_TOTAL_BYTES = 4 * 1024 * 1024;
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
  let i = 4 + tkl, number = 0, firstAt = -1, firstLen = 0;
  if (i > msg.length) return undefined;
  while (i < msg.length) {
    const b = msg[i++]!;
    if (b === 0xff) {
      if (i === msg.length) return undefined; // a payload marker must be followed by a payload
      break;
    }
    let delta = b >> 4, len = b & 0x0f;
    if (delta === 13) { if (i >= msg.length) return undefined; delta = msg[i++]! + 13; }
    else if (delta === 14) { if (i + 1 >= msg.length) return undefined; delta = msg.readUInt16BE(i) + 269; i += 2; }
    else if (delta === 15) return undefined;
    if (len === 13) { if (i >= msg.length) return undefined; len = msg[i++]! + 13; }
    else if (len === 14) { if (i + 1 >= msg.length) return undefined; len = msg.readUInt16BE(i) + 269; i += 2; }
    else if (len === 15) return undefined;
    number += delta;
    if (i + len > msg.length) return undefined;
    if (number === 11 && firstAt < 0) { firstAt = i; firstLen = len; } // Uri-Path
    i += len;
  }
  // a string only for segments as short as the LwM2M resources (not for 'senml' or 'raw')
  return firstAt >= 0 && firstLen <= RESOURCE_MAX_LEN && LWM2M_RESOURCES.has(msg.toString('utf8', firstAt, firstAt + firstLen)) ? 'lwm2m' : 'other';
}

// The Block1/Block2 option codec is the CoAP uplink server's (one codec for both servers on the socket).
export { parseBlock, blockValue as blockBuffer, type BlockOption } from '../../coap/block1.js';

interface Upload { parts: Buffer[]; bytes: number; next: number; at: number; address: string }

const MAX_UPLOADS_PER_ADDRESS = 16;

export class CoapWire {
  private serverListeners: Listener[] = [];
  private agentListeners: Listener[] = [];
  /**
   * Answers to recent CON requests by `address:port#messageId`, for retransmissions: the packet
   * as a latin1 string ('' while the request is being handled), which costs a sixth of a Buffer
   * per entry. Two generations swapped every EXCHANGE_LIFETIME (or when one holds half of
   * MAX_CACHED): an answer is kept at least one exchange lifetime, unless a flood fills the cache.
   */
  private cache = new Map<string, string>();
  private older = new Map<string, string>();
  private rotatedAt = Date.now();
  private uploadsPrunedAt = 0;
  private readonly uploads = new Map<string, Upload>();
  /** Unfinished uploads per source address (entries only while it has one). */
  private readonly uploadsByAddress = new Map<string, number>();
  private uploadBytes = 0;
  /** Our own requests in flight (see request()), by token hex. */
  private readonly ownRequests = new Map<string, (p: ParsedPacket) => void>();
  private readonly dispatch: Listener = (msg, rinfo) => this.onMessage(msg, rinfo);
  counters = { requests: 0, retransmissions: 0, blocks: 0, notifications: 0, malformed: 0, uploadsRefused: 0 };

  constructor(private readonly sock: Socket, private readonly handlers: WireHandlers, private readonly opts: WireOptions) {}

  /**
   * Puts the dispatcher in front of the socket's listeners. `createAgent` runs in between, so
   * listeners added by it (node-coap's Agent) are told apart from the server's.
   */
  install(createAgent: () => void): void {
    this.serverListeners = this.sock.listeners('message') as Listener[];
    createAgent();
    this.agentListeners = (this.sock.listeners('message') as Listener[]).filter((l) => !this.serverListeners.includes(l));
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
    let packet: ParsedPacket;
    try {
      packet = parse(msg);
    } catch {
      this.counters.malformed++;
      return;
    }
    const cls = packet.code.charCodeAt(0) - 48;
    if (cls === 0 && packet.code !== '0.00') {
      const first = packet.options.find((o) => o.name === 'Uri-Path')?.value.toString('utf8');
      if (first !== undefined && LWM2M_RESOURCES.has(first)) return this.onRequest(packet, rinfo);
      return this.forward(this.serverListeners, msg, rinfo);
    }
    if (cls >= 2 && packet.token.length > 0 && this.ownRequests.has(packet.token.toString('hex'))) {
      if (packet.confirmable) this.send(generate({ ack: true, messageId: packet.messageId, code: '0.00' }), { address: rinfo.address, port: rinfo.port });
      return this.ownRequests.get(packet.token.toString('hex'))!(packet);
    }
    if (cls >= 2 && !packet.ack && !packet.reset && packet.token.length > 0 && this.handlers.isObservation(packet.token.toString('hex'))) {
      return this.onNotification(packet, rinfo);
    }
    this.forward(this.agentListeners, msg, rinfo);
  }

  /**
   * Sends one CON request and resolves with its response (piggybacked, or separate and then
   * acknowledged), retransmitting as RFC 7252 §4.2 does; rejects with the last error after
   * `timeoutMs`. For what node-coap's Agent cannot do (blockwise FETCH, which must repeat its
   * body); `messageId` must come from the Agent's counter so that the two never collide.
   */
  request(peer: Peer, packet: { code: string; token: Buffer; options: NamedOption[]; payload: Buffer }, messageId: number, timeoutMs: number): Promise<ParsedPacket> {
    const buf = generate({ ...packet, confirmable: true, messageId }, 64 * 1024);
    const key = packet.token.toString('hex');
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let wait = 2000 + Math.floor(Math.random() * 1000);
      const done = (f: () => void): void => { clearTimeout(timer); clearTimeout(deadline); this.ownRequests.delete(key); f(); };
      const deadline = setTimeout(() => done(() => reject(new Error(`no answer from ${peer.address}:${peer.port} within ${timeoutMs} ms`))), timeoutMs);
      deadline.unref();
      const fire = (): void => {
        if (this.ownRequests.get(key) !== settle) return;
        this.send(buf, peer);
        timer = setTimeout(fire, wait);
        timer.unref();
        wait *= 2;
      };
      // Matched by token: an empty ACK or RST (no token) goes unseen, so after an empty ACK the
      // request is retransmitted until the separate response comes (the device deduplicates).
      const settle = (p: ParsedPacket): void => done(() => resolve(p));
      this.ownRequests.set(key, settle);
      fire();
    });
  }

  private onNotification(packet: ParsedPacket, rinfo: RemoteInfo): void {
    this.counters.notifications++;
    const peer = { address: intern(rinfo.address), port: rinfo.port };
    void this.handlers.notification(packet, peer).then((outcome) => {
      if (outcome === 'reset') this.send(generate({ reset: true, messageId: packet.messageId, code: '0.00' }), peer);
      else if (outcome === 'ack' && packet.confirmable) this.send(generate({ ack: true, messageId: packet.messageId, code: '0.00' }), peer);
    }, () => undefined);
  }

  private prune(now: number): void {
    if (now - this.rotatedAt >= EXCHANGE_LIFETIME_MS || this.cache.size >= MAX_CACHED / 2) {
      // After a long quiet spell both generations are older than a lifetime: drop both.
      this.older = now - this.rotatedAt >= 2 * EXCHANGE_LIFETIME_MS ? new Map() : this.cache;
      this.cache = new Map();
      this.rotatedAt = now;
    }
    if (this.uploads.size === 0 || now - this.uploadsPrunedAt < 1000) return;
    this.uploadsPrunedAt = now;
    for (const [k, u] of this.uploads) if (now - u.at > (this.opts.blockTimeoutMs ?? 60_000)) this.dropUpload(k);
  }

  private dropUpload(key: string): void {
    const up = this.uploads.get(key);
    if (!up) return;
    this.uploadBytes -= up.bytes;
    this.uploads.delete(key);
    const n = (this.uploadsByAddress.get(up.address) ?? 1) - 1;
    if (n > 0) this.uploadsByAddress.set(up.address, n); else this.uploadsByAddress.delete(up.address);
  }

  /** Unfinished Block1 uploads and their bytes. */
  uploadStats(): { uploads: number; uploadBytes: number } {
    return { uploads: this.uploads.size, uploadBytes: this.uploadBytes };
  }

  private onRequest(packet: ParsedPacket, rinfo: RemoteInfo): void {
    const now = Date.now();
    const peer = { address: intern(rinfo.address), port: rinfo.port };
    const exchange = `${rinfo.address}:${rinfo.port}#${packet.messageId}`;
    this.prune(now);
    const seen = this.cache.get(exchange) ?? this.older.get(exchange);
    if (seen !== undefined) {
      this.counters.retransmissions++;
      if (seen !== '') this.send(Buffer.from(seen, 'latin1'), peer);
      return; // still being handled: its answer will cover the retransmission
    }
    const cache = this.cache;
    cache.set(exchange, '');
    this.counters.requests++;
    const path = packet.options.filter((o) => o.name === 'Uri-Path').map((o) => o.value.toString('utf8'));
    const query = packet.options.filter((o) => o.name === 'Uri-Query').map((o) => o.value.toString('utf8'));
    const contentFormat = optionUint(optionBuffer(packet, 'Content-Format'));
    const answer = (r: WireReply, block1?: Buffer): void => {
      const options = [...(r.options ?? [])] as NamedOption[]; // the core names RFC 7252 options ('Max-Age', 'Location-Path' …)
      if (block1) options.push({ name: 'Block1', value: block1 });
      const payload = r.payload === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.payload) ? r.payload : Buffer.from(r.payload);
      const buf = generate({
        code: r.code, token: packet.token, options, payload,
        ...(packet.confirmable ? { ack: true, messageId: packet.messageId } : { confirmable: false, messageId: (packet.messageId + 0x8000) & 0xffff }),
      }, 64 * 1024);
      if (cache.has(exchange)) cache.set(exchange, buf.toString('latin1'));
      this.send(buf, peer);
    };
    const block1Buf = optionBuffer(packet, 'Block1');
    let payload = packet.payload;
    if (block1Buf) {
      this.counters.blocks++;
      const block = parseBlock(block1Buf);
      // The endpoint name is in the query of a Register (repeated in every block); /rd/{id} and /dp are per peer.
      const ep = query.find((q) => q.startsWith('ep='));
      const key = `${packet.code}|${ep ?? `${rinfo.address}:${rinfo.port}`}|${path.join('/')}`;
      if (!block) return answer({ code: '4.00', payload: 'LWM2M_ERR_BLOCK: malformed Block1 option' });
      const size = 2 ** (block.szx + 4);
      let up = this.uploads.get(key);
      if (block.num === 0) {
        this.dropUpload(key);
        if (block.more && this.uploads.size >= (this.opts.maxUploads ?? MAX_UPLOADS)) {
          this.counters.uploadsRefused++;
          return answer({ code: '5.03', payload: `LWM2M_ERR_BLOCK: ${this.uploads.size} uploads unfinished, try later`, options: [{ name: 'Max-Age', value: uintBuffer(30) }] });
        }
        if (block.more && (this.uploadsByAddress.get(rinfo.address) ?? 0) >= (this.opts.maxUploadsPerAddress ?? MAX_UPLOADS_PER_ADDRESS)) {
          this.counters.uploadsRefused++;
          return answer({ code: '4.29', payload: `LWM2M_ERR_BLOCK: too many unfinished uploads from ${rinfo.address}, try later`, options: [{ name: 'Max-Age', value: uintBuffer(30) }] });
        }
        up = { parts: [], bytes: 0, next: 0, at: now, address: rinfo.address };
        this.uploads.set(key, up);
        this.uploadsByAddress.set(rinfo.address, (this.uploadsByAddress.get(rinfo.address) ?? 0) + 1);
      }
      if (!up || block.num !== up.next || (block.more && packet.payload.length !== size)) {
        this.dropUpload(key);
        return answer({ code: '4.08', payload: `LWM2M_ERR_BLOCK: block ${block.num} out of order (expected ${up?.next ?? 0})` }, block1Buf);
      }
      if (up.bytes + packet.payload.length > this.opts.maxUploadBytes) {
        this.dropUpload(key);
        return answer({ code: '4.13', payload: `LWM2M_ERR_BLOCK: upload exceeds ${this.opts.maxUploadBytes} bytes`, options: [{ name: 'Size1', value: uintBuffer(this.opts.maxUploadBytes) }] });
      }
      if (this.uploadBytes + packet.payload.length > (this.opts.maxUploadTotalBytes ?? MAX_UPLOAD_TOTAL_BYTES)) {
        this.dropUpload(key); // this upload costs only itself: the others go on
        this.counters.uploadsRefused++;
        return answer({ code: '5.03', payload: 'LWM2M_ERR_BLOCK: upload budget full, try later', options: [{ name: 'Max-Age', value: uintBuffer(30) }] });
      }
      up.parts.push(packet.payload);
      up.bytes += packet.payload.length;
      this.uploadBytes += packet.payload.length;
      up.next++;
      up.at = now;
      if (block.more) return answer({ code: '2.31' }, blockBuffer({ num: block.num, more: true, szx: block.szx }));
      this.dropUpload(key);
      payload = Buffer.concat(up.parts);
    }
    const req: WireRequest = { method: packet.code, path, query, payload, contentFormat, peer, confirmable: packet.confirmable, messageId: packet.messageId, token: packet.token };
    const echo = block1Buf ? blockBuffer({ ...(parseBlock(block1Buf) as BlockOption), more: false }) : undefined;
    this.handlers.request(req).then(
      (r) => answer(r, echo),
      (err: unknown) => answer({ code: '5.00', payload: `internal error: ${(err as Error).message}` }, echo),
    );
  }
}
