/**
 * What the agent's CoAP server does with a datagram before node-coap sees it. node-coap 1.5
 * parses and dispatches through a list of middlewares (`_middlewares`, read at every datagram);
 * install() puts this one in place of its parser, so that:
 *  - a message format error (RFC 7252 §3) is rejected: RST for a CON, nothing for a NON
 *    (§4.2-4.3); a well-formed request with options the agent does not take is answered by the
 *    client-error code that fits (4.02, 4.05, 4.13, 4.15) — node-coap answered 5.00 to several
 *    (sent to 127.0.0.1 at the peer's port, as its _sendError gives no address), and read others
 *    wrongly (a Uri-Path cut short by the end of the datagram was routed as the shorter path);
 *  - Block1 uploads are reassembled here under a budget (block1.ts), so node-coap's own
 *    `_block1Cache` (keyed by token, no cap, 247 s per entry) never sees a Block1 option;
 *  - the Observe option is dropped from requests (no resource served by node-coap is observable;
 *    RFC 7641 §4.1: a server that cannot observe a resource ignores the option), which node-coap
 *    answered with 5.00 on a POST.
 * Requests that pass go to node-coap's `_handle` as before; empty ACK/RST messages too (they end
 * node-coap's exchanges). Every refusal is handed to `host.refused` (counted, log rate-limited).
 * install() reaches into node-coap's privates (node-coap-internals.ts, item 3) and returns false
 * when they are not there (an upgrade changed them; the agent then logs an error):
 * test/edge/southbound/coap/node-coap-internals.test.ts, block1.test.ts and malformed.test.ts fail
 * in that case.
 */
import type { RemoteInfo } from 'node:dgram';
import type coap from 'coap';
import { generate, parse, type NamedOption, type ParsedPacket } from 'coap-packet';
import { type Block1Assembler, parseBlock, type Block1Refusal } from './block1.js';
import {
  TYPE_ACK,
  TYPE_CON,
  TYPE_NON,
  formatError,
  inspectOptions,
  optionNumber,
  readHeader,
  uintOption,
  type Header,
} from './datagram.js';
import { serverDispatch, serverSocket, type ServerDispatch } from './node-coap-internals.js';

/** Codes of refusals (edge/errors.ts). */
export type RefusalCode =
  | 'EDGE_ERR_COAP_MALFORMED'
  | 'EDGE_ERR_COAP_OPTION'
  | 'EDGE_ERR_COAP_METHOD'
  | 'EDGE_ERR_CONTENT_FORMAT'
  | 'EDGE_ERR_COAP_TOO_LARGE'
  | 'EDGE_ERR_COAP_BLOCK'
  | 'EDGE_ERR_COAP_BUSY'
  | 'EDGE_ERR_COAP_INTERNAL';

export interface IntakeHost {
  /** True when the first Uri-Path segment is served by another adapter (its methods are its own). */
  isExtraResource(segment: string): boolean;
  /** Counts a refused datagram and logs it (rate-limited). */
  refused(code: RefusalCode, peer: string, detail: string): void;
}

/** What the intake tells the request handler about a request it passed on. */
export interface RequestNotes {
  /** Block1 value for the response to the last block of a reassembled upload. */
  block1Echo?: Buffer;
  /** The last block of an upload not known here: unless node-coap's exchange cache answered it, 4.08. */
  block1Unknown?: string;
}

type Middleware = (request: { raw: Buffer; rsinfo: RemoteInfo }, next: (err: Error | null) => void) => void;

/** Longest diagnostic payload sent: short (RFC 7252 §5.5.2), and never near node-coap's 1 KiB Block2 threshold. */
const DIAGNOSTIC_MAX = 200;
const BLOCK1_REFUSAL_CODES: Record<Block1Refusal, RefusalCode> = {
  tooLarge: 'EDGE_ERR_COAP_TOO_LARGE',
  incomplete: 'EDGE_ERR_COAP_BLOCK',
  badBlock: 'EDGE_ERR_COAP_BLOCK',
  budgetFull: 'EDGE_ERR_COAP_BUSY',
  transfersFull: 'EDGE_ERR_COAP_BUSY',
  perAddressFull: 'EDGE_ERR_COAP_BUSY',
};
/** Options the intake removes by number. */
const OBSERVE = 6,
  BLOCK1 = 27,
  SIZE1 = 60;
/** Options that name the target of a Block1 transfer (with the method): Uri-Host, Uri-Port, Uri-Path, Uri-Query, Request-Tag. */
const TARGET_OPTIONS = new Set([3, 7, 11, 15, 292]);

const peerOf = (r: RemoteInfo): string => `${r.address}:${r.port}`;

export function diagnostic(text: string): Buffer {
  const b = Buffer.from(text);
  if (b.length <= DIAGNOSTIC_MAX) return b;
  // cut at a character boundary (never inside a UTF-8 sequence)
  let end = DIAGNOSTIC_MAX - 3;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return Buffer.concat([b.subarray(0, end), Buffer.from('...')]);
}

export class CoapIntake {
  private readonly notes = new WeakMap<object, RequestNotes>();
  private server: coap.Server | undefined;
  private dispatch: ServerDispatch | undefined;
  private nextMid = Math.floor(Math.random() * 0x10000);

  constructor(
    private readonly host: IntakeHost,
    readonly block1: Block1Assembler,
    private readonly maxPayloadBytes: number,
  ) {}

  /** Replaces node-coap's parser middleware; false when node-coap's internals are not as expected. */
  install(server: coap.Server): boolean {
    const dispatch = serverDispatch(server);
    if (!dispatch) return false;
    this.server = server;
    this.dispatch = dispatch;
    const mw: Middleware = (request, next) => {
      try {
        this.onDatagram(request.raw, request.rsinfo);
      } catch (err) {
        this.host.refused(
          'EDGE_ERR_COAP_INTERNAL',
          `${request.rsinfo.address}:${request.rsinfo.port}`,
          (err as Error).message,
        );
      }
      next(null);
    };
    dispatch.replaceMiddlewares([mw]);
    return true;
  }

  /** What the intake noted for a request it passed on (by node-coap's request packet). */
  notesOf(packet: object): RequestNotes | undefined {
    return this.notes.get(packet);
  }

  private onDatagram(raw: Buffer, rsinfo: RemoteInfo): void {
    const h = readHeader(raw);
    // RFC 7252 §3: unknown versions are silently ignored; a datagram shorter than a header has no message id to answer
    if (!h)
      return this.host.refused(
        'EDGE_ERR_COAP_MALFORMED',
        peerOf(rsinfo),
        raw.length < 4 ? `${raw.length}-byte datagram` : 'not CoAP version 1',
      );
    const cls = h.code >> 5;
    if (h.code === 0) return this.empty(raw, h, rsinfo);
    if (cls >= 2 && cls <= 5) return; // a response: node-coap's server ignores them (LwM2M's are taken before it)
    if (cls !== 0 || h.type >= TYPE_ACK)
      return this.reject(
        h,
        rsinfo,
        `code ${cls}.${String(h.code & 31).padStart(2, '0')} in a ${['CON', 'NON', 'ACK', 'RST'][h.type]} message`,
      );
    // a message format error (RFC 7252 §3: reserved token length, option delta or length 15, an
    // option or the token past the end, a payload marker without payload) is rejected: RST for a
    // CON, nothing for a NON (§4.2, §4.3) — counted and logged like every refusal
    const wrong = formatError(raw, h);
    if (wrong !== undefined) return this.reject(h, rsinfo, wrong);
    let packet: ParsedPacket;
    try {
      packet = parse(raw);
    } catch (err) {
      return this.reject(h, rsinfo, (err as Error).message);
    }
    const { problem, block1, size1, contentFormat, observe } = inspectOptions(packet);
    if (problem)
      return this.answer(
        rsinfo,
        h,
        raw,
        problem.code,
        problem.code === '4.15' ? 'EDGE_ERR_CONTENT_FORMAT' : 'EDGE_ERR_COAP_OPTION',
        problem.detail,
      );
    if (h.code !== 2) {
      // only another adapter's resource takes other methods than POST (the first Uri-Path names it)
      const first = packet.options.find((o) => o.name === 'Uri-Path')?.value.toString();
      if (first === undefined || !this.host.isExtraResource(first))
        return this.answer(rsinfo, h, raw, '4.05', 'EDGE_ERR_COAP_METHOD', 'POST only');
      // node-coap would answer this itself with 4.15, but to 127.0.0.1 and without the message id
      if (h.code === 5 && !contentFormat)
        return this.answer(rsinfo, h, raw, '4.15', 'EDGE_ERR_CONTENT_FORMAT', 'FETCH without Content-Format');
    }
    if (observe) packet.options = packet.options.filter((o) => optionNumber(o.name) !== OBSERVE);
    if (block1) {
      const block = parseBlock(block1);
      if (!block)
        return this.answer(rsinfo, h, raw, '4.00', 'EDGE_ERR_COAP_BLOCK', 'Block1 with the reserved size exponent 7');
      const target = `${h.code}|${packet.options
        .filter((o) => TARGET_OPTIONS.has(optionNumber(o.name)))
        .map((o) => `${optionNumber(o.name)}=${o.value.toString('latin1')}`)
        .join('\u0000')}`;
      const outcome = this.block1.offer(
        rsinfo.address,
        rsinfo.port,
        target,
        h.messageId,
        block,
        packet.payload,
        size1,
        Date.now(),
      );
      if (outcome.kind === 'continue')
        return this.send(rsinfo, h, raw, '2.31', undefined, [{ name: 'Block1', value: outcome.echo }]);
      if (outcome.kind === 'refuse') {
        const options: NamedOption[] = [];
        if (outcome.size1 !== undefined) options.push({ name: 'Size1', value: uintOption(outcome.size1) });
        if (outcome.maxAgeS !== undefined) options.push({ name: 'Max-Age', value: uintOption(outcome.maxAgeS) });
        return this.answer(rsinfo, h, raw, outcome.code, BLOCK1_REFUSAL_CODES[outcome.reason], outcome.detail, options);
      }
      packet.options = packet.options.filter((o) => {
        const n = optionNumber(o.name);
        return n !== BLOCK1 && n !== SIZE1;
      });
      if (outcome.kind === 'complete') {
        packet.payload = outcome.payload;
        this.notes.set(packet, { block1Echo: outcome.echo });
      } else this.notes.set(packet, { block1Echo: outcome.echo, block1Unknown: outcome.detail });
    } else if (packet.payload.length > this.maxPayloadBytes) {
      return this.answer(
        rsinfo,
        h,
        raw,
        '4.13',
        'EDGE_ERR_COAP_TOO_LARGE',
        `payload of ${packet.payload.length} bytes exceeds ${this.maxPayloadBytes}`,
        [{ name: 'Size1', value: uintOption(this.maxPayloadBytes) }],
      );
    }
    this.pass(packet, rsinfo, h, raw);
  }

  /** Hands a request (or an empty ACK/RST) to node-coap; an exception there is ours: 5.00. */
  private pass(packet: ParsedPacket, rsinfo: RemoteInfo, h: Header, raw: Buffer): void {
    try {
      this.dispatch!.handle(packet, rsinfo);
    } catch (err) {
      if (h.code !== 0) this.answer(rsinfo, h, raw, '5.00', 'EDGE_ERR_COAP_INTERNAL', (err as Error).message);
      else this.host.refused('EDGE_ERR_COAP_INTERNAL', peerOf(rsinfo), (err as Error).message);
    }
  }

  /** Empty messages: a CON is a ping (answered RST); an ACK or RST ends a node-coap exchange. */
  private empty(raw: Buffer, h: Header, rsinfo: RemoteInfo): void {
    const wellFormed = raw.length === 4 && h.tkl === 0;
    if (h.type === TYPE_CON) {
      if (!wellFormed)
        this.host.refused(
          'EDGE_ERR_COAP_MALFORMED',
          peerOf(rsinfo),
          'an empty message with a token, options or payload',
        );
      return this.rst(rsinfo, h);
    }
    if (h.type === TYPE_NON || !wellFormed)
      return this.host.refused(
        'EDGE_ERR_COAP_MALFORMED',
        peerOf(rsinfo),
        h.type === TYPE_NON ? 'an empty NON message' : 'an empty message with a token, options or payload',
      );
    this.pass(parse(raw), rsinfo, h, raw);
  }

  /** A message format error that cannot be answered with a response: RST for a CON, nothing otherwise (RFC 7252 §4.2-4.3). */
  private reject(h: Header, rsinfo: RemoteInfo, detail: string): void {
    this.host.refused('EDGE_ERR_COAP_MALFORMED', peerOf(rsinfo), detail);
    if (h.type === TYPE_CON) this.rst(rsinfo, h);
  }

  private answer(
    rsinfo: RemoteInfo,
    h: Header,
    raw: Buffer,
    code: string,
    reason: RefusalCode,
    detail: string,
    options: NamedOption[] = [],
  ): void {
    this.host.refused(reason, peerOf(rsinfo), detail);
    this.send(rsinfo, h, raw, code, `${reason}: ${detail}`, options);
  }

  /** A response: piggybacked on the ACK of a CON, or a NON of its own for a NON. */
  private send(
    rsinfo: RemoteInfo,
    h: Header,
    raw: Buffer,
    code: string,
    text: string | undefined,
    options: NamedOption[] = [],
  ): void {
    const token = raw.subarray(4, 4 + h.tkl);
    const payload = text === undefined ? undefined : diagnostic(text);
    const head =
      h.type === TYPE_CON ? { ack: true, messageId: h.messageId } : { confirmable: false, messageId: this.mid() };
    this.emit(generate({ code, token, options, ...(payload !== undefined ? { payload } : {}), ...head }), rsinfo);
  }

  private rst(rsinfo: RemoteInfo, h: Header): void {
    this.emit(generate({ code: '0.00', reset: true, messageId: h.messageId }), rsinfo);
  }

  private emit(buf: Buffer, rsinfo: RemoteInfo): void {
    try {
      serverSocket(this.server)?.send(buf, rsinfo.port, rsinfo.address);
    } catch {
      // the socket closed (agent stopping): nothing more goes out
    }
  }

  private mid(): number {
    this.nextMid = (this.nextMid + 1) & 0xffff;
    return this.nextMid;
  }
}
