/**
 * CoAP datagrams as the agent's one UDP socket takes them (edge/southbound/lwm2m/server/coap-dispatcher.ts):
 * peekRequest routes each datagram; LwM2M requests (/rd, /dp, /bs) are parsed with coap-packet and
 * handled as the LwM2M server does (Register/Update query and links, Send payload → readings, Block1
 * option); everything else goes through the CoAP uplink server's intake (edge/southbound/coap/
 * intake.ts, which replaces node-coap's parser: datagram checks, options, Block1 reassembly) into
 * the uplink handler (server.ts: route, /senml and /raw decoding, readings to the sink), with
 * node-coap's IncomingMessage in between, as node-coap builds it. No socket: the intake is installed
 * on a stand-in of node-coap's server. Findings: any exception, an EDGE_ERR_COAP_INTERNAL refusal
 * (the agent's own failure, answered 5.00), a route peekRequest and coap-packet disagree on, and
 * readings that break their contract.
 */
import type { RemoteInfo } from 'node:dgram';
import { generate, parse, type NamedOption, type OptionName, type ParsedPacket } from 'coap-packet';
import IncomingMessageModule from 'coap/dist/lib/incoming_message.js';
import { silentLogger } from '../../../common/log.js';
import { isYiwangError } from '../../../common/errors.js';
import { CoapUplinkServer } from '../../../edge/southbound/coap/server.js';
import { decodeRecords, DEFAULT_REGISTRY, Lwm2mPath } from '../../../edge/southbound/lwm2m/core/index.js';
import { parseBlock } from '../../../edge/southbound/coap/block1.js';
import { LWM2M_RESOURCES, peekRequest } from '../../../edge/southbound/lwm2m/server/coap-dispatcher.js';
import { optionBuffer, optionUint } from '../../../edge/southbound/lwm2m/server/exchange.js';
import { recordsToReadings } from '../../../edge/southbound/lwm2m/server/readings.js';
import {
  chooseContentFormat,
  parseLinks,
  parseRegisterQuery,
  parseUpdateQuery,
} from '../../../edge/southbound/lwm2m/server/registration.js';
import type { Reading } from '../../../proto/reading.js';
import { InvariantError, type FuzzTarget, type Seed } from '../lib/target.js';
import { checkReadings } from './common.js';
import { profileRuntime, profileUplinks } from './profiles.js';
import { definedProps } from '../../../common/defined.js';
import { encode as cbor } from 'cborg';

const IncomingMessage = ((IncomingMessageModule as unknown as { default?: unknown }).default ??
  IncomingMessageModule) as new (
  packet: ParsedPacket,
  rsinfo: RemoteInfo,
) => { rsinfo: RemoteInfo };

const RINFO: RemoteInfo = { address: '192.0.2.7', port: 5683, family: 'IPv4', size: 0 };
const isLwm2mCoded = (err: unknown): boolean =>
  isYiwangError(err) && err.code.startsWith('LWM2M_ERR_') && err.code !== 'LWM2M_ERR_INTERNAL';

/** A failure inside one datagram's handling, raised after the handling returns. */
let failure: unknown;
const fail = (err: unknown): void => {
  failure ??= err;
};

// ---- the CoAP uplink server, without its socket ------------------------------------------------

const sink = {
  accept(readings: Reading[]): Promise<'stored'> {
    try {
      checkReadings(readings, 'CoAP uplink');
    } catch (err) {
      fail(err);
    }
    return Promise.resolve('stored');
  },
};
const profiles = await profileRuntime();
const server = new CoapUplinkServer({
  host: '127.0.0.1',
  port: 0,
  exchangeCacheBytes: 16 * 1024,
  maxPayloadBytes: 1024,
  sink: sink as never,
  log: silentLogger(),
  rawProfiles: (p, id, bytes, now, clock) => profiles.decodeRaw(p, id, bytes, now, clock),
});
const internals = server as unknown as {
  intake: { install(s: unknown): boolean };
  handle(req: unknown, res: unknown): void;
  counters: { rejectedBy: Record<string, number> };
};

class FakeResponse {
  code = '2.05';
  writableEnded = false;
  on(): this {
    return this;
  }
  setOption(): void {}
  end(): void {
    if (this.writableEnded) fail(new Error('response ended twice'));
    this.writableEnded = true;
  }
}

/** node-coap's `_handle` as far as the uplink server sees it: requests become IncomingMessages. */
const nodeCoap = {
  _middlewares: [] as unknown[],
  _sock: { send(): void {} },
  _handle(packet: ParsedPacket, rsinfo: RemoteInfo): void {
    if (packet.code === '0.00' || packet.code[0] !== '0') return;
    const req = new IncomingMessage(packet, rsinfo);
    req.rsinfo = rsinfo;
    internals.handle(req, new FakeResponse());
  },
};
if (!internals.intake.install(nodeCoap)) throw new Error('the CoAP intake did not install on the stand-in server');
type Middleware = (request: { raw: Buffer; rsinfo: RemoteInfo }, next: (err: Error | null) => void) => void;
const middleware = nodeCoap._middlewares[0] as Middleware;

function viaNodeCoap(msg: Buffer): void {
  const before = internals.counters.rejectedBy.EDGE_ERR_COAP_INTERNAL ?? 0;
  middleware({ raw: msg, rsinfo: RINFO }, (err) => {
    if (err) fail(err);
  });
  const after = internals.counters.rejectedBy.EDGE_ERR_COAP_INTERNAL ?? 0;
  if (after > before)
    fail(new InvariantError('the uplink server failed on this datagram (EDGE_ERR_COAP_INTERNAL, answered 5.00)'));
}

// ---- the LwM2M side of the socket ----------------------------------------------------------------

function lwm2mRequest(packet: ParsedPacket): void {
  const path = packet.options.filter((o) => o.name === 'Uri-Path').map((o) => o.value.toString('utf8'));
  const query = packet.options.filter((o) => o.name === 'Uri-Query').map((o) => o.value.toString('utf8'));
  const cf = optionUint(optionBuffer(packet, 'Content-Format'));
  const block1 = optionBuffer(packet, 'Block1');
  if (block1) parseBlock(block1);
  const [root, id] = path;
  try {
    if (root === 'rd' && id === undefined) {
      const p = parseRegisterQuery(query);
      chooseContentFormat(p.version, parseLinks(packet.payload).contentFormats);
    } else if (root === 'rd') {
      parseUpdateQuery(query);
      if (packet.payload.length > 0) parseLinks(packet.payload);
    } else if (root === 'dp') {
      const records = decodeRecords(cf ?? 11542, packet.payload, Lwm2mPath.ROOT, DEFAULT_REGISTRY);
      checkReadings(
        recordsToReadings('ep-1', records, Date.now(), { model: DEFAULT_REGISTRY, binaryPaths: new Set(['/19/0/0']) }),
        'LwM2M Send',
      );
    }
  } catch (err) {
    if (!isLwm2mCoded(err)) throw err;
  }
}

// A promise of the handler that rejects with nobody listening would take the agent down.
process.on('unhandledRejection', (err) => fail(err));

async function run(input: Uint8Array): Promise<unknown> {
  failure = undefined;
  const msg = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const route = peekRequest(msg);
  let packet: ParsedPacket | undefined;
  try {
    packet = parse(msg);
  } catch (err) {
    if (route !== undefined)
      throw new InvariantError(
        `peekRequest routes it ('${route}') but coap-packet refuses it: ${(err as Error).message}`,
      );
  }
  if (packet && route !== undefined) {
    const first = packet.options.find((o) => o.name === 'Uri-Path')?.value.toString('utf8');
    if ((first !== undefined && LWM2M_RESOURCES.has(first)) !== (route === 'lwm2m'))
      throw new InvariantError(`peekRequest routes '${route}', first Uri-Path is ${JSON.stringify(first)}`);
    if (packet.code[0] !== '0' || packet.code === '0.00')
      throw new InvariantError(`peekRequest routes '${route}' a ${packet.code} message`);
  }
  // CoapWire: 'other' → node-coap; else a full parse, LwM2M requests handled here, other requests → node-coap
  if (route === 'other') viaNodeCoap(msg);
  else if (packet) {
    const first = packet.options.find((o) => o.name === 'Uri-Path')?.value.toString('utf8');
    if (packet.code[0] === '0' && packet.code !== '0.00' && first !== undefined && LWM2M_RESOURCES.has(first))
      lwm2mRequest(packet);
    else viaNodeCoap(msg);
  }
  // let the store's promise settle: the reply is sent (or the failure raised) in its callbacks
  await new Promise((resolve) => setImmediate(resolve));
  if (failure !== undefined) throw failure;
  return route;
}

// ---- seeds: datagrams devices send ----------------------------------------------------------

const opt = (name: OptionName, value: string | number[] | Buffer): NamedOption => ({
  name,
  value: typeof value === 'string' ? Buffer.from(value) : Buffer.from(value),
});
const path = (...segs: string[]): NamedOption[] => segs.map((s) => opt('Uri-Path', s));
let mid = 0x1234;
function dgram(
  name: string,
  p: {
    code?: string;
    confirmable?: boolean;
    ack?: boolean;
    reset?: boolean;
    token?: number[];
    options?: NamedOption[];
    payload?: string | Buffer;
  },
): Seed {
  mid++;
  const b = generate({
    code: p.code ?? '0.02',
    confirmable: p.confirmable ?? true,
    ...definedProps({ ack: p.ack, reset: p.reset }),
    messageId: mid,
    token: Buffer.from(p.token ?? [mid & 0xff, 2, 3, 4]),
    options: p.options ?? [],
    payload: typeof p.payload === 'string' ? Buffer.from(p.payload) : (p.payload ?? Buffer.alloc(0)),
  });
  return { name, bytes: new Uint8Array(b) };
}

async function seeds(): Promise<Seed[]> {
  const senml =
    '[{"bn":"dev-1/","n":"temperature","u":"Cel","v":22.4},{"n":"humidity","u":"%RH","v":55},{"n":"door","vb":false}]';
  const air = Buffer.from('0019002a000a0014000c00280102271b0064003201f4001700', 'hex');
  air[24] = air.subarray(0, 24).reduce((a, b) => (a + b) & 0xff, 0);
  const senmlCbor = Buffer.from(
    cbor([
      new Map<number, unknown>([
        [-2, 'dev-3/'],
        [0, 'level'],
        [1, 'm'],
        [2, 1.5],
      ]),
      new Map<number, unknown>([
        [0, 'alarm'],
        [4, true],
        [6, -30],
      ]),
    ]),
  );
  const block = Buffer.from(senml);
  const out: Seed[] = [
    dgram('senml-con', { options: [...path('senml'), opt('Content-Format', [110])], payload: senml }),
    dgram('senml-device-non', {
      confirmable: false,
      options: [...path('senml', 'dev-2'), opt('Content-Format', [50])],
      payload: '[{"n":"level","v":1.5,"t":-10}]',
    }),
    dgram('senml-cbor', { options: [...path('senml'), opt('Content-Format', [112])], payload: senmlCbor }),
    dgram('raw-air-quality', {
      options: [...path('raw', 'air-quality-v1', 'aq-1'), opt('Content-Format', [42])],
      payload: air,
    }),
    dgram('raw-unknown-layout', { options: path('raw', 'cjt188', 'm-1'), payload: Buffer.alloc(30, 1) }),
    dgram('senml-block1-first', {
      options: [
        ...path('senml', 'dev-4'),
        opt('Content-Format', [110]),
        opt('Block1', [0x0a]),
        opt('Size1', [block.length]),
      ],
      payload: block.subarray(0, 64),
    }),
    dgram('senml-block1-last', {
      options: [...path('senml', 'dev-4'), opt('Content-Format', [110]), opt('Block1', [0x12])],
      payload: block.subarray(64),
    }),
    dgram('get-not-allowed', { code: '0.01', options: path('senml') }),
    dgram('observe-post', {
      options: [opt('Observe', []), ...path('senml', 'dev-5'), opt('Content-Format', [110])],
      payload: '[{"n":"x","v":1}]',
    }),
    dgram('uri-host-query', {
      options: [opt('Uri-Host', 'gw.example'), ...path('senml'), opt('Content-Format', [110]), opt('Uri-Query', 'a=b')],
      payload: senml,
    }),
    dgram('percent-path', { options: path('senml', 'dev%zz'), payload: senml }),
    dgram('register', {
      options: [
        ...path('rd'),
        opt('Content-Format', [40]),
        opt('Uri-Query', 'ep=urn:imei:861234567890001'),
        opt('Uri-Query', 'lt=120'),
        opt('Uri-Query', 'lwm2m=1.1'),
        opt('Uri-Query', 'b=U'),
      ],
      payload: '</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>;ver=1.1,</3303/0>',
    }),
    dgram('register-block1', {
      options: [...path('rd'), opt('Content-Format', [40]), opt('Uri-Query', 'ep=x'), opt('Block1', [0x0a])],
      payload: '</1/0>,</3/0>,</3303/0>,</3303/1>,</3303/2>,</3303/3>,</3304/0>,</',
    }),
    dgram('update', { options: [...path('rd', 'a1b2'), opt('Uri-Query', 'lt=300')] }),
    dgram('deregister', { code: '0.04', options: path('rd', 'a1b2') }),
    dgram('send-senml', {
      options: [...path('dp'), opt('Content-Format', [110])],
      payload: '[{"bn":"/3303/0/","n":"5700","v":21.5,"t":1714557600}]',
    }),
    dgram('send-tlv', {
      options: [...path('dp'), opt('Content-Format', [0x2d, 0x16])],
      payload: Buffer.from('c800144f70656e204d6f62696c6520416c6c69616e6365', 'hex'),
    }),
    dgram('bootstrap', { options: [...path('bs'), opt('Uri-Query', 'ep=x')] }),
    dgram('notification', {
      code: '2.05',
      confirmable: true,
      token: [9, 9, 9, 9],
      options: [opt('Observe', [3]), opt('Content-Format', [110])],
      payload: '[{"n":"/3303/0/5700","v":20}]',
    }),
    dgram('empty-ack', { code: '0.00', confirmable: false, ack: true, token: [] }),
    dgram('reset', { code: '0.00', confirmable: false, reset: true, token: [] }),
    dgram('ping', { code: '0.00', confirmable: true, token: [] }),
    dgram('fetch-no-cf', { code: '0.05', options: path('senml') }),
  ];
  for (const v of await profileUplinks()) {
    if (v.coapPath)
      out.push(
        dgram(`raw-${v.coapPath}-${v.name}`, {
          options: [...path('raw', v.coapPath, 'nb-1'), opt('Content-Format', [42])],
          payload: v.bytes,
        }),
      );
  }
  return out;
}

const target: FuzzTarget = {
  name: 'coap',
  description:
    'CoAP datagrams on the agent socket: peekRequest, intake, uplink handler (/senml, /raw), LwM2M /rd and /dp',
  seeds,
  dictionary: [
    [0xff],
    [0x40, 0x02],
    [0x50, 0x02],
    [0x60],
    [0x70],
    [0xb5, 0x73, 0x65, 0x6e, 0x6d, 0x6c],
    [0xb3, 0x72, 0x61, 0x77],
    [0xb2, 0x72, 0x64],
    [0xb2, 0x64, 0x70],
    [0x11, 0x6e],
    [0x11, 0x70],
    [0x11, 0x2a],
    [0x12, 0x2d, 0x16],
    [0xd1, 0x0e, 0x0a],
    [0xd1, 0x0e, 0x12],
    [0xd1, 0x1d, 0x80],
    [0xd0],
    [0xe0, 0x00, 0x00],
    [0xf0],
    [0x0f],
    [0x4d, 0x00],
    [0x61, 0x00],
    [0x41],
    [0x48],
    [0x4f],
  ].map((b) => Uint8Array.from(b)),
  maxLen: 2048,
  run,
  isCoded: () => false, // every datagram is answered inside; nothing may escape
};
export default target;
