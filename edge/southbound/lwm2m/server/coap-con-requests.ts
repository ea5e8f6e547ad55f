/**
 * The server's own CON requests on the agent's CoAP socket, for what node-coap's Agent cannot do
 * (blockwise FETCH, which must repeat its body: coap-client.ts's fetch()): sent and retransmitted
 * here, their responses matched by token (coap-dispatcher.ts hands them over). Part of the LwM2M
 * server's CoAP binding.
 */
import { generate, type NamedOption, type ParsedPacket } from 'coap-packet';
import type { Peer } from './exchange.js';

export interface ConRequest {
  code: string;
  token: Buffer;
  options: NamedOption[];
  payload: Buffer;
}

export class ConRequests {
  /** Requests in flight, by token hex. */
  private readonly inflight = new Map<string, (p: ParsedPacket) => void>();

  constructor(private readonly send: (buf: Buffer, peer: Peer) => void) {}

  /** True when `tokenHex` is the token of a request in flight. */
  has(tokenHex: string): boolean {
    return this.inflight.has(tokenHex);
  }

  /** Settles the request in flight whose token is `tokenHex` with its response. */
  settle(tokenHex: string, response: ParsedPacket): void {
    this.inflight.get(tokenHex)?.(response);
  }

  /** Forgets every request in flight: their retransmissions stop; their promises reject at their deadline. */
  clear(): void {
    this.inflight.clear();
  }

  /**
   * Sends one CON request and resolves with its response (piggybacked, or separate and then
   * acknowledged), retransmitting as RFC 7252 §4.2 does; rejects with the last error after
   * `timeoutMs`. `messageId` must come from the Agent's counter so that the two never collide.
   */
  request(peer: Peer, packet: ConRequest, messageId: number, timeoutMs: number): Promise<ParsedPacket> {
    const buf = generate({ ...packet, confirmable: true, messageId }, 64 * 1024);
    const key = packet.token.toString('hex');
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let wait = 2000 + Math.floor(Math.random() * 1000);
      const done = (f: () => void): void => {
        clearTimeout(timer);
        clearTimeout(deadline);
        this.inflight.delete(key);
        f();
      };
      const deadline = setTimeout(
        () => done(() => reject(new Error(`no answer from ${peer.address}:${peer.port} within ${timeoutMs} ms`))),
        timeoutMs,
      );
      deadline.unref();
      const fire = (): void => {
        if (this.inflight.get(key) !== settle) return;
        this.send(buf, peer);
        timer = setTimeout(fire, wait);
        timer.unref();
        wait *= 2;
      };
      // Matched by token: an empty ACK or RST (no token) goes unseen, so after an empty ACK the
      // request is retransmitted until the separate response comes (the device deduplicates).
      const settle = (p: ParsedPacket): void => done(() => resolve(p));
      this.inflight.set(key, settle);
      fire();
    });
  }
}
