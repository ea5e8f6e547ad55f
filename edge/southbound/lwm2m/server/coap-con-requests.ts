/**
 * The server's own CON requests on the agent's CoAP socket, for what node-coap's Agent cannot do
 * (blockwise FETCH, which must repeat its body: coap-client.ts's fetch()): sent and retransmitted
 * here, their responses matched by token (coap-dispatcher.ts hands them over). The ACK or Reset of
 * the request's own message is matched by Message ID (RFC 7252 §4.2, §5.3.2): an empty ACK stops
 * the retransmissions (the response follows separately); a Reset ends the request at once (the
 * device could not process it: `ResetAnswer`); an ACK carrying a response with another token than
 * the request's — a device that answers a FETCH with a token-less 4.05 — is its response.
 * Part of the LwM2M server's CoAP binding.
 */
import { generate, type NamedOption, type ParsedPacket } from 'coap-packet';
import type { Peer } from './exchange.js';

export interface ConRequest {
  code: string;
  token: Buffer;
  options: NamedOption[];
  payload: Buffer;
}

/** The device answered the request with a Reset (RFC 7252 §4.2: it could not process it). */
export class ResetAnswer extends Error {
  constructor(peer: Peer) {
    super(`${peer.address}:${peer.port} answered with a Reset`);
  }
}

interface InFlight {
  settle: (p: ParsedPacket) => void;
  reset: () => void;
  acked: () => void;
}

export class ConRequests {
  /** Requests in flight, by token hex. */
  private readonly inflight = new Map<string, InFlight>();
  /** The same requests by `address|port|messageId` (their ACK or Reset carries no token). */
  private readonly byMessage = new Map<string, InFlight>();

  constructor(private readonly send: (buf: Buffer, peer: Peer) => void) {}

  /** True when `tokenHex` is the token of a request in flight. */
  has(tokenHex: string): boolean {
    return this.inflight.has(tokenHex);
  }

  /** Settles the request in flight whose token is `tokenHex` with its response. */
  settle(tokenHex: string, response: ParsedPacket): void {
    this.inflight.get(tokenHex)?.settle(response);
  }

  /**
   * An ACK or Reset of one of these requests' messages (by the peer's address and Message ID): true
   * when it was one (and has been acted on), false when it belongs to someone else.
   */
  answerByMessage(peer: Peer, p: ParsedPacket): boolean {
    const r = this.byMessage.get(`${peer.address}|${peer.port}|${p.messageId}`);
    if (!r) return false;
    if (p.reset) r.reset();
    else if (p.code === '0.00') r.acked();
    else r.settle(p);
    return true;
  }

  /** Forgets every request in flight: their retransmissions stop; their promises reject at their deadline. */
  clear(): void {
    this.inflight.clear();
    this.byMessage.clear();
  }

  /**
   * Sends one CON request and resolves with its response (piggybacked, or separate and then
   * acknowledged), retransmitting as RFC 7252 §4.2 does; rejects with the last error after
   * `timeoutMs`. `messageId` must come from the Agent's counter so that the two never collide.
   */
  request(peer: Peer, packet: ConRequest, messageId: number, timeoutMs: number): Promise<ParsedPacket> {
    const buf = generate({ ...packet, confirmable: true, messageId }, 64 * 1024);
    const key = packet.token.toString('hex');
    const midKey = `${peer.address}|${peer.port}|${messageId}`;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let wait = 2000 + Math.floor(Math.random() * 1000);
      const done = (f: () => void): void => {
        clearTimeout(timer);
        clearTimeout(deadline);
        if (this.inflight.get(key) === entry) this.inflight.delete(key);
        if (this.byMessage.get(midKey) === entry) this.byMessage.delete(midKey);
        f();
      };
      const deadline = setTimeout(
        () => done(() => reject(new Error(`no answer from ${peer.address}:${peer.port} within ${timeoutMs} ms`))),
        timeoutMs,
      );
      deadline.unref();
      const fire = (): void => {
        if (this.inflight.get(key) !== entry) return;
        this.send(buf, peer);
        timer = setTimeout(fire, wait);
        timer.unref();
        wait *= 2;
      };
      const entry: InFlight = {
        settle: (p) => done(() => resolve(p)),
        reset: () => done(() => reject(new ResetAnswer(peer))),
        // an empty ACK: the device has the request; its response comes separately (by token)
        acked: () => {
          clearTimeout(timer);
          timer = undefined;
          this.byMessage.delete(midKey);
        },
      };
      this.inflight.set(key, entry);
      this.byMessage.set(midKey, entry);
      fire();
    });
  }
}
