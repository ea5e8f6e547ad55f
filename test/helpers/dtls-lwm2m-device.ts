/**
 * An LwM2M client written from the specification for tests, on a DTLS session over UDP
 * (scripts/harness/dtls-udp-client.ts) or on plain CoAP: it sends Bootstrap-Request, Register,
 * Update and answers the server's requests datagram by datagram, so a test sees every message.
 */
import { CoapInbox } from './coap-inbox.js';
import type { Test } from 'tap';
import { createSocket, type Socket } from 'node:dgram';
import { generate, type NamedOption, type ParsedPacket, parse } from 'coap-packet';
import { type UdpSession, sendData, udpHandshake, unprotect } from '../../scripts/harness/dtls-udp-client.js';

export /** An LwM2M client on a DTLS session over UDP (or plain CoAP when `session` is undefined). */
class Device {
  private readonly inbox = new CoapInbox();
  private mid = 0x3000;
  session: UdpSession | undefined;

  private constructor(
    readonly sock: Socket,
    private readonly port: number,
  ) {
    sock.on('message', (m) => {
      const payloads = this.session ? unprotect(this.session, m) : [m];
      for (const p of payloads) {
        try {
          this.inbox.push(parse(p));
        } catch {
          // not CoAP: dropped, as a device's stack would
        }
      }
    });
  }

  static async open(t: Test, port: number, identity?: string, key?: Buffer): Promise<Device> {
    const sock = createSocket('udp4');
    sock.on('error', () => undefined);
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    t.teardown(() => sock.close());
    const d = new Device(sock, port);
    if (identity !== undefined) d.session = await udpHandshake(sock, port, identity, key!);
    return d;
  }

  private send(buf: Buffer): void {
    if (this.session) sendData(this.session, buf);
    else this.sock.send(buf, this.port, '127.0.0.1');
  }

  /** The next message that `match` accepts (taken out of the inbox), or undefined after `ms`. */
  next(match: (p: ParsedPacket) => boolean, ms = 5000): Promise<ParsedPacket | undefined> {
    return this.inbox.next(match, ms);
  }

  async request(ms = 5000): Promise<ParsedPacket> {
    const p = await this.next((x) => x.confirmable && x.code.startsWith('0.') && x.code !== '0.00', ms);
    if (!p) throw new Error('no request from the server');
    return p;
  }

  answer(req: ParsedPacket, code: string, options: NamedOption[] = [], payload: string | Buffer = ''): void {
    this.send(
      generate({ ack: true, messageId: req.messageId, token: req.token, code, options, payload: Buffer.from(payload) }),
    );
  }

  async call(code: string, options: NamedOption[], payload: string | Buffer = ''): Promise<ParsedPacket> {
    const messageId = this.mid++;
    const token = Buffer.from([7, messageId & 0xff]);
    this.send(generate({ confirmable: true, messageId, token, code, options, payload: Buffer.from(payload) }));
    const p = await this.next((x) => x.messageId === messageId || x.token.equals(token));
    if (!p) throw new Error(`no answer to ${code} #${messageId}`);
    return p;
  }

  bootstrapRequest(ep: string, pct?: number): Promise<ParsedPacket> {
    return this.call('0.02', [
      { name: 'Uri-Path', value: Buffer.from('bs') },
      { name: 'Uri-Query', value: Buffer.from(`ep=${ep}`) },
      ...(pct === undefined ? [] : [{ name: 'Uri-Query' as const, value: Buffer.from(`pct=${pct}`) }]),
    ]);
  }

  /** Update (`POST /rd/<regId>`) or De-register (`DELETE /rd/<regId>`). */
  registration(method: 'update' | 'de-register', location: string[]): Promise<ParsedPacket> {
    return this.call(
      method === 'update' ? '0.02' : '0.04',
      location.map((l) => ({ name: 'Uri-Path' as const, value: Buffer.from(l) })),
    );
  }

  register(ep: string, query = ['lt=300', 'lwm2m=1.1', 'b=UQ']): Promise<ParsedPacket> {
    return this.call(
      '0.02',
      [
        { name: 'Uri-Path', value: Buffer.from('rd') },
        ...[`ep=${ep}`, ...query].map((q) => ({ name: 'Uri-Query' as const, value: Buffer.from(q) })),
        { name: 'Content-Format', value: Buffer.of(40) },
      ],
      '</1/0>,</3/0>',
    );
  }
}
