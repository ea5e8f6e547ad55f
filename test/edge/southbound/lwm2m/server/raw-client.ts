/** One raw CoAP CON request to the agent's LwM2M server from a chosen source address, answer parsed (tests of limits and answer options). */
import { createSocket, type Socket } from 'node:dgram';
import { generate, parse, type NamedOption, type ParsedPacket } from 'coap-packet';

export interface RawRequest {
  code?: string;
  path: string[];
  query?: string[];
  payload?: Buffer | string;
  contentFormat?: number;
  /** Block1 option value bytes. */
  block1?: Buffer;
}

let mid = 1;

export class RawClient {
  private constructor(
    private readonly sock: Socket,
    private readonly port: number,
  ) {}

  /** A client socket bound to `address` (any 127/8 address on Linux) sending to the agent's `port`. */
  static async open(port: number, address = '127.0.0.1'): Promise<RawClient> {
    const sock = createSocket('udp4');
    sock.on('error', () => undefined);
    await new Promise<void>((r) => sock.bind(0, address, () => r()));
    return new RawClient(sock, port);
  }

  request(r: RawRequest, timeoutMs = 5000): Promise<ParsedPacket> {
    const messageId = mid++ & 0xffff || 1;
    const token = Buffer.from([messageId >> 8, messageId & 0xff, 0x77]);
    const options: NamedOption[] = [
      ...r.path.map((p): NamedOption => ({ name: 'Uri-Path', value: Buffer.from(p) })),
      ...(r.contentFormat !== undefined
        ? [
            {
              name: 'Content-Format',
              value: Buffer.from(r.contentFormat === 0 ? [] : [r.contentFormat]),
            } as NamedOption,
          ]
        : []),
      ...(r.query ?? []).map((q): NamedOption => ({ name: 'Uri-Query', value: Buffer.from(q) })),
      ...(r.block1 ? [{ name: 'Block1', value: r.block1 } as NamedOption] : []),
    ];
    const payload = r.payload === undefined ? Buffer.alloc(0) : Buffer.from(r.payload);
    const msg = generate({ confirmable: true, messageId, token, code: r.code ?? '0.02', options, payload }, 64 * 1024);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.sock.off('message', on);
        reject(new Error(`no answer to message ${messageId}`));
      }, timeoutMs);
      const on = (m: Buffer): void => {
        let p: ParsedPacket;
        try {
          p = parse(m);
        } catch {
          return;
        }
        if (p.messageId !== messageId) return;
        clearTimeout(timer);
        this.sock.off('message', on);
        resolve(p);
      };
      this.sock.on('message', on);
      this.sock.send(msg, this.port, '127.0.0.1');
    });
  }

  /** A Register of `ep` (link format, lifetime 3600 s unless `query` says otherwise). */
  register(ep: string, links = '</1/0>,</3/0>', query: string[] = []): Promise<ParsedPacket> {
    return this.request({
      path: ['rd'],
      contentFormat: 40,
      query: [`ep=${ep}`, 'lt=3600', 'lwm2m=1.1', 'b=U', ...query],
      payload: links,
    });
  }

  close(): void {
    this.sock.close();
  }
}

export function option(p: ParsedPacket, name: string): Buffer | undefined {
  return p.options.find((o) => o.name === name)?.value;
}

export function uintOption(p: ParsedPacket, name: string): number | undefined {
  const b = option(p, name);
  return b ? [...b].reduce((a, x) => a * 256 + x, 0) : undefined;
}

/** The registration location of a 2.01 answer (`rd/<id>`). */
export function location(p: ParsedPacket): string[] {
  return p.options.filter((o) => o.name === 'Location-Path').map((o) => o.value.toString());
}
