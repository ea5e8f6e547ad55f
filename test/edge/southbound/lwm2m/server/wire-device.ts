/**
 * A hand-made LwM2M device of one UDP socket (its source address stays the same for its whole
 * life, as behind a carrier NAT): it sends CON requests (Register, Update, Send) and records every
 * request of the server, answering each with what `respond` returns (nothing: silent).
 */
import { createSocket, type Socket } from 'node:dgram';
import { generate, parse, type NamedOption, type ParsedPacket } from 'coap-packet';

export interface WireAnswer {
  code: string;
  /** Answer with a Reset instead (RFC 7252 §4.2: the message could not be processed). */
  reset?: boolean;
  /** Leave the token out of the piggybacked answer (as Wakaama answers a FETCH it does not know). */
  noToken?: boolean;
  /** Answer with an empty ACK now and the response as a CON of its own after this many ms (RFC 7252 §5.2.2). */
  separateAfterMs?: number;
  contentFormat?: number;
  payload?: string;
}

let mid = 0x3000;

export class WireDevice {
  /** Requests of the server, in arrival order (retransmissions included). */
  readonly received: ParsedPacket[] = [];
  /** How the device answers a request of the server; undefined: it stays silent. */
  respond: (req: ParsedPacket) => WireAnswer | undefined = () => undefined;
  private readonly waiting = new Map<number, (p: ParsedPacket) => void>();

  private constructor(
    private readonly sock: Socket,
    /** The agent's CoAP port (changes when a test restarts the agent). */
    public port: number,
  ) {
    sock.on('message', (m) => {
      let p: ParsedPacket;
      try {
        p = parse(m);
      } catch {
        return;
      }
      if (p.code.startsWith('0.') && p.code !== '0.00' && !p.ack && !p.reset) {
        this.received.push(p);
        const a = this.respond(p);
        if (a?.reset) this.send(generate({ reset: true, messageId: p.messageId, code: '0.00' }));
        else if (a?.separateAfterMs !== undefined) {
          this.send(generate({ ack: true, messageId: p.messageId, code: '0.00' }));
          setTimeout(
            () =>
              this.send(
                generate({
                  confirmable: true,
                  messageId: mid++ & 0xffff,
                  token: p.token,
                  code: a.code,
                  options:
                    a.contentFormat === undefined ? [] : [{ name: 'Content-Format', value: uint(a.contentFormat) }],
                  payload: Buffer.from(a.payload ?? ''),
                }),
              ),
            a.separateAfterMs,
          );
        } else if (a)
          this.send(
            generate({
              ack: true,
              messageId: p.messageId,
              token: a.noToken ? Buffer.alloc(0) : p.token,
              code: a.code,
              options: a.contentFormat === undefined ? [] : [{ name: 'Content-Format', value: uint(a.contentFormat) }],
              payload: Buffer.from(a.payload ?? ''),
            }),
          );
        return;
      }
      this.waiting.get(p.messageId)?.(p);
    });
  }

  static async open(port: number): Promise<WireDevice> {
    const sock = createSocket('udp4');
    sock.on('error', () => undefined);
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    return new WireDevice(sock, port);
  }

  /** The device's source port. */
  get sourcePort(): number {
    return this.sock.address().port;
  }

  private send(buf: Buffer): void {
    this.sock.send(buf, this.port, '127.0.0.1');
  }

  /** A CON request; resolves with the server's answer (by Message ID). */
  call(code: string, path: string[], query: string[], payload = '', contentFormat?: number): Promise<ParsedPacket> {
    const messageId = mid++ & 0xffff;
    const options: NamedOption[] = [
      ...path.map((p): NamedOption => ({ name: 'Uri-Path', value: Buffer.from(p) })),
      ...(contentFormat === undefined ? [] : [{ name: 'Content-Format', value: uint(contentFormat) } as NamedOption]),
      ...query.map((q): NamedOption => ({ name: 'Uri-Query', value: Buffer.from(q) })),
    ];
    const token = Buffer.from([0x5e, messageId >> 8, messageId & 0xff]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(messageId);
        reject(new Error(`no answer to ${code} /${path.join('/')}`));
      }, 5000);
      this.waiting.set(messageId, (p) => {
        clearTimeout(timer);
        this.waiting.delete(messageId);
        resolve(p);
      });
      this.send(generate({ confirmable: true, messageId, token, code, options, payload: Buffer.from(payload) }));
    });
  }

  /** Register (LwM2M 1.1, SenML JSON announced); resolves with the answer code and the registration id. */
  async register(ep: string, binding = 'U'): Promise<{ code: string; regId: string }> {
    const p = await this.call(
      '0.02',
      ['rd'],
      [`ep=${ep}`, 'lt=3600', 'lwm2m=1.1', `b=${binding}`],
      '</>;ct=110,</1/0>,</3/0>,</3303/0>',
      40,
    );
    const loc = p.options.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString());
    return { code: p.code, regId: loc[1] ?? '' };
  }

  /** Update of registration `regId` (no parameters: a lifetime refresh from this address). */
  async update(regId: string): Promise<string> {
    return (await this.call('0.02', ['rd', regId], [])).code;
  }

  /** Send (POST /dp) of one temperature (3303/0/5700) in SenML JSON; resolves with the answer code. */
  async sendTemperature(v: number): Promise<string> {
    return (await this.call('0.02', ['dp'], [], JSON.stringify([{ n: '/3303/0/5700', v }]), 110)).code;
  }

  close(): void {
    this.sock.close();
  }
}

function uint(v: number): Buffer {
  const out: number[] = [];
  for (let x = v; x > 0; x = Math.floor(x / 256)) out.unshift(x & 0xff);
  return Buffer.from(out);
}
