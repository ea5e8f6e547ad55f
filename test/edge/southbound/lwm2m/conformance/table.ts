/**
 * The conformance suite's shared parts: table rows that each name the section of the
 * specification they check (OMA-TS-LightweightM2M_Core / _Transport 1.1.1, RFC 7252 / 7641 / 7959),
 * the runner that turns a table into tap subtests (one agent per table, rows in order, the
 * section in each test name), a hand-made device of raw datagrams, and libcoap's
 * coap-client-notls as the second implementation on the wire.
 */
import { CoapInbox } from '../../../../helpers/coap-inbox.js';
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSocket, type Socket } from 'node:dgram';
import { generate, parse, type NamedOption, type ParsedPacket } from 'coap-packet';
import {
  createSimDevices,
  type SimDeviceOptions,
  type SimLwm2mDevice,
} from '../../../../../edge/profiles/lwm2m-sim-device.js';
import type { EdgeOverrides } from '../../../../../edge/config.js';
import { startLwm2mEdge } from '../server/helpers.js';

export type Edge = Awaited<ReturnType<typeof startLwm2mEdge>>;

/** One case: the section it checks (shown in the test name), what it checks, and how. */
export interface Row<C> {
  section: string;
  name: string;
  run: (t: Test, ctx: C) => Promise<void>;
}

/**
 * Runs a table: `setup` once (an agent and its peers, torn down after the table), then each row
 * as a subtest named "<section>: <name>", in order (rows may build on what earlier rows did).
 */
export function table<C>(title: string, setup: (t: Test) => Promise<C>, rows: Row<C>[]): void {
  t.test(title, async (t) => {
    const ctx = await setup(t);
    for (const r of rows) await t.test(`${r.section}: ${r.name}`, (tt) => r.run(tt, ctx));
  });
}

/** An agent without cloud, stopped when `t` ends. */
export async function edge(t: Test, overrides: EdgeOverrides = {}): Promise<Edge> {
  const e = await startLwm2mEdge(overrides);
  t.teardown(() => e.agent.stop());
  return e;
}

let simNo = 0;
/** One simulated device (edge/profiles/lwm2m-sim-device.ts) bound to loopback, closed when `t` ends. */
export async function sim(t: Test, e: Edge, opts: Omit<SimDeviceOptions, 'endpoint'> = {}): Promise<SimLwm2mDevice> {
  const [d] = await createSimDevices(
    1,
    { host: '127.0.0.1', port: e.port },
    {
      ...opts,
      prefix: `urn:imei:8690${String(simNo++).padStart(4, '0')}`,
    },
  );
  t.teardown(() => d!.close());
  return d!;
}

export const opt = (p: ParsedPacket, name: string): Buffer | undefined => p.options.find((o) => o.name === name)?.value;
export const uint = (b: Buffer | undefined): number | undefined =>
  b ? [...b].reduce((a, x) => a * 256 + x, 0) : undefined;
export const uriPath = (p: ParsedPacket): string =>
  p.options
    .filter((o) => o.name === 'Uri-Path')
    .map((o) => o.value.toString())
    .join('/');
export const uriQuery = (p: ParsedPacket): string[] =>
  p.options.filter((o) => o.name === 'Uri-Query').map((o) => o.value.toString());
/** A CoAP uint option value of 0, 1 or 2 bytes. */
export const u16 = (v: number): Buffer =>
  v === 0 ? Buffer.alloc(0) : v < 256 ? Buffer.from([v]) : Buffer.from([v >> 8, v & 0xff]);

/** A device made of one UDP socket: it registers, then takes the server's requests one by one. */
export class RawDevice {
  private readonly inbox = new CoapInbox();
  private mid = 0x2000;

  private constructor(
    readonly sock: Socket,
    private readonly port: number,
  ) {
    sock.on('message', (m) => {
      let p: ParsedPacket;
      try {
        p = parse(m);
      } catch {
        return;
      }
      this.inbox.push(p);
    });
  }

  static async open(t: Test, port: number): Promise<RawDevice> {
    const sock = createSocket('udp4');
    sock.on('error', () => undefined);
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const d = new RawDevice(sock, port);
    t.teardown(() => d.close());
    return d;
  }

  sendRaw(buf: Buffer): void {
    this.sock.send(buf, this.port, '127.0.0.1');
  }

  /** The next message that `match` accepts (taken out of the inbox), or undefined after `ms`. */
  next(match: (p: ParsedPacket) => boolean, ms = 5000): Promise<ParsedPacket | undefined> {
    return this.inbox.next(match, ms);
  }

  /** The next request of the server (a CON with a method code). */
  async request(): Promise<ParsedPacket> {
    const p = await this.next((x) => x.confirmable && x.code.startsWith('0.') && x.code !== '0.00');
    if (!p) throw new Error('no request from the server');
    return p;
  }

  /** A piggybacked answer to `req`. */
  answer(req: ParsedPacket, code: string, options: NamedOption[] = [], payload: string | Buffer = ''): void {
    this.sendRaw(
      generate({ ack: true, messageId: req.messageId, token: req.token, code, options, payload: Buffer.from(payload) }),
    );
  }

  /** A CON request of ours; resolves with the answer to its Message ID. */
  async call(
    code: string,
    options: NamedOption[],
    payload: string | Buffer = '',
    confirmable = true,
  ): Promise<ParsedPacket> {
    const messageId = this.mid++;
    this.sendRaw(
      generate({
        confirmable,
        messageId,
        token: Buffer.from([9, messageId & 0xff]),
        code,
        options,
        payload: Buffer.from(payload),
      }),
    );
    const p = await this.next((x) => x.messageId === messageId || x.token.equals(Buffer.from([9, messageId & 0xff])));
    if (!p) throw new Error(`no answer to ${code} #${messageId}`);
    return p;
  }

  /** A Register (`cf` null: without Content-Format). */
  register(
    ep: string,
    links: string,
    query: string[] = ['lwm2m=1.1', 'b=U'],
    cf: number | null = 40,
  ): Promise<ParsedPacket> {
    return this.call(
      '0.02',
      [
        { name: 'Uri-Path', value: Buffer.from('rd') },
        ...(cf === null ? [] : [{ name: 'Content-Format', value: Buffer.from([cf]) } as NamedOption]),
        ...[`ep=${ep}`, 'lt=300', ...query].map((q): NamedOption => ({ name: 'Uri-Query', value: Buffer.from(q) })),
      ],
      links,
    );
  }

  /** Send (POST /dp) of `payload` in content format `cf`. */
  send(payload: string | Buffer, cf: number): Promise<ParsedPacket> {
    return this.call(
      '0.02',
      [
        { name: 'Uri-Path', value: Buffer.from('dp') },
        { name: 'Content-Format', value: u16(cf) },
      ],
      payload,
    );
  }

  close(): void {
    this.sock.close();
  }
}

const exec = promisify(execFile);

/** Runs libcoap's coap-client-notls with -v 7 (every message's options printed); its log. */
export async function coapClient(args: string[], waitS = 5): Promise<string> {
  const r = await exec('coap-client-notls', ['-v', '7', '-B', String(waitS), ...args]).catch(
    (x: { stdout: string; stderr: string }) => x,
  );
  return r.stdout + r.stderr;
}
