/** CoAP messages a test device received, waited for by what they are (conformance devices, DTLS devices). */
import type { ParsedPacket } from 'coap-packet';

export class CoapInbox {
  private readonly items: ParsedPacket[] = [];
  private waiter: (() => void) | undefined;

  push(p: ParsedPacket): void {
    this.items.push(p);
    this.waiter?.();
  }

  /** The next message `match` accepts (taken out of the inbox), or undefined after `ms`. */
  async next(match: (p: ParsedPacket) => boolean, ms = 5000): Promise<ParsedPacket | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.items.findIndex(match);
      if (i >= 0) return this.items.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.waiter = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
  }
}
