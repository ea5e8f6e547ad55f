/**
 * Simulated LwM2M clients over plain UDP (one socket per device, as an NB-IoT module has one
 * address): Register / Update / De-register, Send, notifications for the server's observations,
 * and answers to Read, Write, Execute, Create, Delete, Discover, Write-Attributes, Observe and
 * Read-Composite, blockwise (Block2) when `blockSize` is set. A device can sleep (it then ignores the server, as a module in PSM does) and
 * wake (Update). Used by `yiwang-edge profile simulate` (simulate.ts), the LwM2M tests, the demo
 * and the `lwm2m` benchmark; it lives here, in shipped code, because the simulate tool ships.
 */
import { createSocket, type Socket } from 'node:dgram';
import { generate, parse, type NamedOption, type ParsedPacket } from 'coap-packet';
import {
  CONTENT_FORMAT,
  decodeNode,
  decodePaths,
  encodeNode,
  encodeRecords,
  nodeToRecords,
  parsePath,
  val,
  type Lwm2mNode,
  type Lwm2mPath,
  type Lwm2mRecord,
  type Lwm2mValue,
  type ResourceNode,
} from '../southbound/lwm2m/core/index.js';

export interface SimTarget {
  host: string;
  port: number;
}

export interface SimDeviceOptions {
  endpoint: string;
  lifetimeS?: number;
  /** '1.0' or '1.1' (default). */
  version?: string;
  /** 'U' (default) or 'UQ' (queue mode). */
  binding?: string;
  /** Object links; default: 1, 3, 3303 instances. */
  links?: string;
  /** Content format of answers and notifications (default TLV 11542). */
  format?: number;
  /** Initial resource values by path. */
  values?: Record<string, Lwm2mValue>;
  /**
   * Block size (16…1024) for answers and notifications larger than it: sent blockwise (Block2,
   * RFC 7959), the rest on request. Default: none (whole payload in one datagram).
   */
  blockSize?: number;
}

/** What the device was asked, in order. */
export interface SimRequestLog {
  at: number;
  method: string;
  path: string;
  query: string[];
  payload: Buffer;
  contentFormat: number | undefined;
  observe: number | undefined;
}

interface Waiter {
  resolve: (p: ParsedPacket) => void;
  timer: NodeJS.Timeout;
}

const METHOD: Record<string, string> = {
  '0.01': 'GET',
  '0.02': 'POST',
  '0.03': 'PUT',
  '0.04': 'DELETE',
  '0.05': 'FETCH',
  '0.07': 'iPATCH',
};

function uint(buf: Buffer | undefined): number | undefined {
  return buf ? [...buf].reduce((a, b) => a * 256 + b, 0) : undefined;
}
function uintBuf(v: number): Buffer {
  const out: number[] = [];
  while (v > 0) {
    out.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Buffer.from(out);
}

/** Block `num` of `payload` with its Block2 option (szx: size 2^(szx+4)). */
function block2(payload: Buffer, num: number, szx: number): { payload: Buffer; option: NamedOption } {
  const size = 2 ** (szx + 4);
  const more = payload.length > (num + 1) * size;
  return {
    payload: payload.subarray(num * size, (num + 1) * size),
    option: { name: 'Block2', value: uintBuf(num * 16 + (more ? 8 : 0) + szx) },
  };
}

export class SimLwm2mDevice {
  readonly sock: Socket;
  readonly values = new Map<string, Lwm2mValue>();
  readonly requests: SimRequestLog[] = [];
  /** Observations the server set up: path key → token and sequence. */
  readonly observations = new Map<string, { token: Buffer; seq: number; paths: Lwm2mPath[]; composite: boolean }>();
  location: string | undefined;
  asleep = false;
  private mid = Math.floor(Math.random() * 0xffff);
  private readonly waiting = new Map<number, Waiter>();
  readonly format: number;
  /** SZX of `blockSize`, when set. */
  private readonly szx: number | undefined;
  /** Called for every request the device answers (after it is logged). */
  onRequest: ((r: SimRequestLog) => void) | undefined;

  constructor(
    readonly opts: SimDeviceOptions,
    readonly target: SimTarget,
  ) {
    this.format = opts.format ?? CONTENT_FORMAT.TLV;
    if (opts.blockSize !== undefined && ![16, 32, 64, 128, 256, 512, 1024].includes(opts.blockSize))
      throw new Error(`blockSize ${opts.blockSize} is not a power of two 16…1024`);
    this.szx = opts.blockSize === undefined ? undefined : Math.log2(opts.blockSize) - 4;
    this.sock = createSocket('udp4');
    this.sock.on('message', (m) => this.onMessage(m));
    this.sock.on('error', () => undefined);
    const defaults: Record<string, Lwm2mValue> = {
      '/3/0/0': val.string('Yiwang Sim'),
      '/3/0/1': val.string('sim-1'),
      '/3/0/3': val.string('1.0.0'),
      '/3/0/9': val.integer(90),
      '/3303/0/5700': val.float(21.5),
      '/3303/0/5701': val.string('Cel'),
    };
    for (const [k, v] of Object.entries({ ...defaults, ...(opts.values ?? {}) })) this.values.set(k, v);
  }

  async bind(): Promise<void> {
    await new Promise<void>((r) => this.sock.bind(0, '127.0.0.1', () => r()));
  }

  get port(): number {
    return this.sock.address().port;
  }

  close(): void {
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.sock.close();
  }

  private nextMid(): number {
    this.mid = (this.mid + 1) & 0xffff;
    return this.mid;
  }

  /** Sends a CON and resolves with the matching ACK (piggybacked response or empty ACK). */
  private exchange(packet: Parameters<typeof generate>[0], timeoutMs = 2000, tries = 4): Promise<ParsedPacket> {
    const messageId = this.nextMid();
    const buf = generate({ ...packet, messageId, confirmable: true }, 64 * 1024);
    return new Promise((resolve, reject) => {
      let attempt = 0;
      const fire = (): void => {
        if (attempt++ >= tries) {
          this.waiting.delete(messageId);
          reject(new Error(`${this.opts.endpoint}: no answer to message ${messageId}`));
          return;
        }
        this.sock.send(buf, this.target.port, this.target.host);
        const timer = setTimeout(fire, timeoutMs * 2 ** (attempt - 1));
        this.waiting.set(messageId, {
          resolve: (p) => {
            clearTimeout(timer);
            this.waiting.delete(messageId);
            resolve(p);
          },
          timer,
        });
      };
      fire();
    });
  }

  private token(): Buffer {
    return Buffer.from(
      [Math.random() * 256, Math.random() * 256, Math.random() * 256, Math.random() * 256].map(Math.floor),
    );
  }

  private opt(name: NamedOption['name'], value: string | Buffer): NamedOption {
    return { name, value: Buffer.isBuffer(value) ? value : Buffer.from(value) };
  }

  linkPayload(): string {
    return this.opts.links ?? `</>;rt="oma.lwm2m";ct=${this.format},</1/0>,</3/0>,</3303/0>`;
  }

  /** Register; resolves with the response code and keeps the location. */
  async register(extraQuery: string[] = []): Promise<string> {
    const q = [
      `ep=${this.opts.endpoint}`,
      `lt=${this.opts.lifetimeS ?? 300}`,
      `lwm2m=${this.opts.version ?? '1.1'}`,
      `b=${this.opts.binding ?? 'U'}`,
      ...extraQuery,
    ];
    const res = await this.exchange({
      code: '0.02',
      token: this.token(),
      payload: Buffer.from(this.linkPayload()),
      options: [
        this.opt('Uri-Path', 'rd'),
        this.opt('Content-Format', Buffer.from([40])),
        ...q.map((s) => this.opt('Uri-Query', s)),
      ],
    });
    if (res.code === '2.01')
      this.location = res.options
        .filter((o) => o.name === 'Location-Path')
        .map((o) => o.value.toString())
        .join('/');
    this.observations.clear(); // a new registration ends observations
    return res.code;
  }

  /** Update (also: wake up from sleep). */
  async update(query: string[] = []): Promise<string> {
    this.asleep = false;
    if (!this.location) throw new Error('not registered');
    const res = await this.exchange({
      code: '0.02',
      token: this.token(),
      options: [
        ...this.location.split('/').map((s) => this.opt('Uri-Path', s)),
        ...query.map((s) => this.opt('Uri-Query', s)),
      ],
    });
    return res.code;
  }

  async deregister(): Promise<string> {
    if (!this.location) throw new Error('not registered');
    const res = await this.exchange({
      code: '0.04',
      token: this.token(),
      options: this.location.split('/').map((s) => this.opt('Uri-Path', s)),
    });
    this.location = undefined;
    return res.code;
  }

  /** Send (/dp) of records in SenML JSON (or CBOR with format 112). */
  async send(records: Lwm2mRecord[], format: number = CONTENT_FORMAT.SENML_JSON): Promise<string> {
    this.asleep = false;
    const res = await this.exchange({
      code: '0.02',
      token: this.token(),
      payload: Buffer.from(encodeRecords(format, records)),
      options: [this.opt('Uri-Path', 'dp'), this.opt('Content-Format', uintBuf(format))],
    });
    return res.code;
  }

  /** Sleep: the device stops answering the server (PSM). */
  sleep(): void {
    this.asleep = true;
  }

  set(path: string, value: Lwm2mValue): void {
    this.values.set(parsePath(path).toString(), value);
  }

  /** Notifies every observation covering `path` (all when omitted); CON by default. Resolves when acknowledged (NON: at once). */
  async notify(path?: string, confirmable = true): Promise<number> {
    let n = 0;
    for (const [key, o] of this.observations) {
      if (path && !o.paths.some((p) => parsePath(path).startsWith(p))) continue;
      const { payload, format } = this.encodeFor(o.paths, o.composite);
      o.seq = (o.seq + 1) & 0xffffff;
      const first =
        this.szx !== undefined && payload.length > 2 ** (this.szx + 4) ? block2(payload, 0, this.szx) : undefined;
      const packet = {
        code: '2.05',
        token: o.token,
        payload: first?.payload ?? payload,
        options: [
          this.opt('Observe', uintBuf(o.seq)),
          this.opt('Content-Format', uintBuf(format)),
          ...(first ? [first.option] : []),
        ],
      };
      if (confirmable) {
        const ack = await this.exchange(packet);
        if (ack.reset) this.observations.delete(key);
      } else {
        this.sock.send(
          generate({ ...packet, confirmable: false, messageId: this.nextMid() }),
          this.target.port,
          this.target.host,
        );
      }
      n++;
    }
    return n;
  }

  /** The node at `path` from the stored values. */
  nodeAt(path: Lwm2mPath): Lwm2mNode | undefined {
    const key = path.toString();
    if (path.level === 'resourceInstance') {
      const v = this.values.get(key);
      return v && { kind: 'resourceInstance', id: path.lastId!, value: v };
    }
    if (path.level === 'resource') {
      const v = this.values.get(key);
      if (v) return { kind: 'resource', id: path.lastId!, value: v };
      const instances = [...this.values]
        .filter(([k]) => k.startsWith(`${key}/`))
        .map(([k, x]) => ({ kind: 'resourceInstance' as const, id: Number(k.split('/')[4]), value: x }));
      return instances.length ? { kind: 'multipleResource', id: path.lastId!, instances } : undefined;
    }
    if (path.level === 'instance') {
      const ids = [
        ...new Set([...this.values.keys()].filter((k) => k.startsWith(`${key}/`)).map((k) => Number(k.split('/')[3]))),
      ];
      const resources = ids
        .map((id) => this.nodeAt(path.child(id)))
        .filter((n): n is Lwm2mNode => n !== undefined) as ResourceNode[];
      return resources.length ? { kind: 'instance', id: path.lastId!, resources } : undefined;
    }
    return undefined;
  }

  private encodeFor(paths: Lwm2mPath[], composite: boolean): { payload: Buffer; format: number } {
    if (composite) {
      const records = paths.flatMap((p) => {
        const n = this.nodeAt(p);
        return n ? nodeToRecords(n, p) : [];
      });
      return {
        payload: Buffer.from(encodeRecords(CONTENT_FORMAT.SENML_JSON, records)),
        format: CONTENT_FORMAT.SENML_JSON,
      };
    }
    const p = paths[0]!;
    const node = this.nodeAt(p);
    return { payload: node ? Buffer.from(encodeNode(this.format, node, p)) : Buffer.alloc(0), format: this.format };
  }

  private onMessage(msg: Buffer): void {
    let p: ParsedPacket;
    try {
      p = parse(msg);
    } catch {
      return;
    }
    if (p.ack || p.reset) {
      this.waiting.get(p.messageId)?.resolve(p);
      return;
    }
    if (!p.code.startsWith('0.') || p.code === '0.00') return;
    if (this.asleep) return; // in PSM: the server's request is lost
    const path =
      '/' +
      p.options
        .filter((o) => o.name === 'Uri-Path')
        .map((o) => o.value.toString())
        .join('/');
    const log: SimRequestLog = {
      at: Date.now(),
      method: METHOD[p.code] ?? p.code,
      path,
      query: p.options.filter((o) => o.name === 'Uri-Query').map((o) => o.value.toString()),
      payload: p.payload,
      contentFormat: uint(p.options.find((o) => o.name === 'Content-Format')?.value),
      observe: uint(p.options.find((o) => o.name === 'Observe')?.value),
    };
    this.requests.push(log);
    this.onRequest?.(log);
    let answer: { code: string; payload?: Buffer; options?: NamedOption[] };
    try {
      answer = this.answer(p, log);
    } catch (e) {
      answer = { code: '4.00', payload: Buffer.from((e as Error).message) };
    }
    // Blockwise answer: the block asked for (Block2 in the request), or the first when too large.
    const asked = p.options.find((o) => o.name === 'Block2')?.value;
    const szx = asked ? uint(asked)! & 7 : this.szx;
    if (answer.payload && szx !== undefined && (asked || answer.payload.length > 2 ** (szx + 4))) {
      const b = block2(answer.payload, asked ? uint(asked)! >> 4 : 0, szx);
      answer = { ...answer, payload: b.payload, options: [...(answer.options ?? []), b.option] };
    }
    this.sock.send(
      generate(
        {
          ack: true,
          messageId: p.messageId,
          token: p.token,
          code: answer.code,
          payload: answer.payload ?? Buffer.alloc(0),
          options: answer.options ?? [],
        },
        64 * 1024,
      ),
      this.target.port,
      this.target.host,
    );
  }

  private answer(p: ParsedPacket, r: SimRequestLog): { code: string; payload?: Buffer; options?: NamedOption[] } {
    const accept = uint(p.options.find((o) => o.name === 'Accept')?.value);
    if (r.method === 'FETCH') {
      const paths = decodePaths(r.contentFormat ?? CONTENT_FORMAT.SENML_JSON, r.payload);
      if (r.observe === 0) this.observations.set(paths.join(','), { token: p.token, seq: 0, paths, composite: true });
      if (r.observe === 1) this.observations.delete(paths.join(','));
      const { payload, format } = this.encodeFor(paths, true);
      return {
        code: '2.05',
        payload,
        options: [
          ...(r.observe === 0 ? [this.opt('Observe', Buffer.alloc(0))] : []),
          this.opt('Content-Format', uintBuf(format)),
        ],
      };
    }
    const path = parsePath(r.path);
    switch (r.method) {
      case 'GET': {
        if (accept === CONTENT_FORMAT.LINK)
          return {
            code: '2.05',
            payload: Buffer.from(
              [...this.values.keys()]
                .filter((k) => k.startsWith(r.path === '/' ? '/' : `${r.path}/`) || k === r.path)
                .map((k) => `<${k}>`)
                .join(','),
            ),
            options: [this.opt('Content-Format', Buffer.from([40]))],
          };
        const node = this.nodeAt(path);
        if (!node) return { code: '4.04' };
        if (r.observe === 0)
          this.observations.set(path.toString(), { token: p.token, seq: 0, paths: [path], composite: false });
        if (r.observe === 1) this.observations.delete(path.toString());
        return {
          code: '2.05',
          payload: Buffer.from(encodeNode(this.format, node, path)),
          options: [
            ...(r.observe === 0 ? [this.opt('Observe', Buffer.alloc(0))] : []),
            this.opt('Content-Format', uintBuf(this.format)),
          ],
        };
      }
      case 'PUT':
        if (r.payload.length === 0) return { code: '2.04' }; // Write-Attributes
        this.store(decodeNode(r.contentFormat ?? this.format, r.payload, path), path);
        return { code: '2.04' };
      case 'POST':
        if (path.level === 'object') {
          const node = decodeNode(r.contentFormat ?? this.format, r.payload, path);
          this.store(node, path);
          const iid = node.kind === 'object' ? (node.instances[0]?.id ?? 0) : 0;
          return {
            code: '2.01',
            options: [this.opt('Location-Path', String(path.objectId)), this.opt('Location-Path', String(iid))],
          };
        }
        if (path.level === 'instance') {
          this.store(decodeNode(r.contentFormat ?? this.format, r.payload, path), path);
          return { code: '2.04' };
        }
        return { code: '2.04' }; // Execute
      case 'DELETE':
        for (const k of [...this.values.keys()]) if (k.startsWith(`${r.path}/`)) this.values.delete(k);
        return { code: '2.02' };
      default:
        return { code: '4.05' };
    }
  }

  private store(node: Lwm2mNode, path: Lwm2mPath): void {
    for (const rec of nodeToRecords(node, path)) this.values.set(rec.path.toString(), rec.value);
  }
}

/** N devices `${prefix}${i}`, bound and ready (not registered). */
export async function createSimDevices(
  n: number,
  target: SimTarget,
  opts: Omit<SimDeviceOptions, 'endpoint'> & { prefix?: string } = {},
): Promise<SimLwm2mDevice[]> {
  const devices = Array.from(
    { length: n },
    (_, i) =>
      new SimLwm2mDevice(
        { ...opts, endpoint: `${opts.prefix ?? 'urn:imei:86000000'}${String(i).padStart(7, '0')}` },
        target,
      ),
  );
  await Promise.all(devices.map((d) => d.bind()));
  return devices;
}
