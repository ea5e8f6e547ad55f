/**
 * The dependency rules of /work/shared/DESIGN.md ("Layout"): dependencies point down the pipeline
 * (southbound → profiles → store → sync) and toward proto/ and common/; common/ imports nothing of
 * edge or cloud; shipped code never imports scripts/, bench/ or test/; protocol cores import no I/O.
 * Checked by dependencies.test.ts; `ALLOWED` is the debt, each entry with its reason.
 */
import type { Allowed, Rule } from './imports.js';

/** Modules that do I/O: sockets, files, processes, databases, device and network clients. */
export const IO_MODULES = [
  'node:net',
  'node:dgram',
  'node:fs',
  'node:http',
  'node:https',
  'node:http2',
  'node:tls',
  'node:dns',
  'node:child_process',
  'node:cluster',
  'node:worker_threads',
  'node:readline',
  'coap',
  'mqtt',
  'aedes',
  'better-sqlite3',
  'serialport',
  '@serialport/',
  'modbus-serial',
  'onvif',
  'pg',
  'ioredis',
  'redis',
];

/** CoAP transport: the CoAP libraries, UDP sockets, the agent's CoAP server and the LwM2M server's CoAP binding. */
export const COAP_TRANSPORT = [
  'coap',
  'coap-packet',
  'node:dgram',
  'edge/southbound/coap/',
  ...[
    'coap-dispatcher',
    'coap-retransmission-cache',
    'coap-block1-uploads',
    'coap-con-requests',
    'coap-client',
    'coap-transport',
  ].map((f) => `edge/southbound/lwm2m/server/${f}`),
];
/** The Block1/Block2 option codec and reassembly (pure functions of bytes), shared by both CoAP servers. */
const COAP_BLOCK_CODEC = ['edge/southbound/coap/block1'];

/** Protocol cores: frames and codecs, pure functions of bytes (no SL 651 code exists yet). */
export const PROTOCOL_CORES = [
  'edge/southbound/lwm2m/core/',
  'edge/southbound/hj212/frame.ts',
  'edge/southbound/hj212/segment.ts',
  'edge/southbound/hj212/messages.ts',
  'edge/southbound/hj212/replies.ts',
  'edge/southbound/hj212/codes.ts',
  'edge/southbound/hj212/pollutant-codes.ts',
  'edge/southbound/dlt645/bcd.ts',
  'edge/southbound/dlt645/frame.ts',
  'edge/southbound/dlt645/codec.ts',
  'edge/southbound/dlt645/data-ids.ts',
  'edge/southbound/cjt188/frame.ts',
  'edge/southbound/cjt188/codec.ts',
  'edge/southbound/cjt188/data-ids.ts',
];

/** The LwM2M server's protocol logic (it sees CoAP through exchange.ts); the rest is its CoAP binding. */
export const LWM2M_SERVER_CORE = ['edge/southbound/lwm2m/server/'];
export const LWM2M_COAP_BINDING = [
  'coap-dispatcher.ts',
  'coap-retransmission-cache.ts',
  'coap-block1-uploads.ts',
  'coap-con-requests.ts',
  'coap-client.ts',
  'coap-transport.ts',
].map((f) => `edge/southbound/lwm2m/server/${f}`);

const SHIPPED = ['edge/', 'cloud/', 'common/', 'proto/'];
const SOUTHBOUND_ADAPTERS = ['edge/southbound/'];

export const RULES: readonly Rule[] = [
  {
    name: 'common-independent',
    why: 'common/ imports nothing of edge/ or cloud/',
    from: ['common/'],
    forbid: ['edge/', 'cloud/'],
  },
  {
    name: 'proto-independent',
    why: 'proto/ is the wire contract; it imports nothing of edge/ or cloud/',
    from: ['proto/'],
    forbid: ['edge/', 'cloud/'],
  },
  {
    name: 'shipped-no-dev',
    why: 'shipped code (edge, cloud, common, proto) never imports scripts/, bench/ or test/',
    from: SHIPPED,
    forbid: ['scripts/', 'bench/', 'test/'],
  },
  {
    name: 'shipped-no-computed-import',
    why: 'a dynamic import with a computed specifier cannot be checked (and hides load errors)',
    from: SHIPPED,
    forbid: [],
    noComputed: true,
  },
  {
    name: 'bench-no-test',
    why: 'bench/ never imports test/ (shared helpers live in scripts/harness/)',
    from: ['bench/'],
    forbid: ['test/'],
  },
  {
    name: 'edge-not-cloud',
    why: 'edge/ never imports cloud/ (shared things live in common/ or proto/)',
    from: ['edge/'],
    forbid: ['cloud/'],
  },
  {
    name: 'cloud-not-edge',
    why: 'cloud/ never imports edge/ (shared things live in common/ or proto/)',
    from: ['cloud/'],
    forbid: ['edge/'],
  },
  {
    name: 'protocol-core-no-io',
    why: 'protocol cores (LwM2M model and codecs, HJ 212, DL/T 645, CJ/T 188 frames) import no I/O, not even through another module',
    from: PROTOCOL_CORES,
    forbid: IO_MODULES,
    transitive: true,
  },
  {
    name: 'lwm2m-core-no-coap-transport',
    why: 'the LwM2M server core imports no CoAP transport (the coap-*.ts files bind it to CoAP)',
    from: LWM2M_SERVER_CORE,
    except: LWM2M_COAP_BINDING,
    forbid: COAP_TRANSPORT,
    unless: COAP_BLOCK_CODEC,
  },
  {
    name: 'profiles-no-onvif',
    why: 'edge/profiles imports nothing of the ONVIF adapter',
    from: ['edge/profiles/'],
    forbid: ['edge/southbound/onvif/'],
  },
  {
    name: 'profiles-after-southbound',
    why: 'profiles come after the southbound adapters: they may use the pure protocol cores, not an adapter',
    from: ['edge/profiles/'],
    forbid: SOUTHBOUND_ADAPTERS,
    unless: PROTOCOL_CORES,
  },
  {
    name: 'store-after-profiles',
    why: 'the store comes after southbound and profiles; it imports neither',
    from: ['edge/store/'],
    forbid: ['edge/southbound/', 'edge/profiles/'],
  },
  {
    name: 'sync-after-store',
    why: 'sync comes last: it imports no adapter or profile, and of the store only its published contract',
    from: ['edge/sync/'],
    forbid: ['edge/southbound/', 'edge/profiles/', 'edge/store/'],
    unless: ['edge/store/outbox-contract', 'edge/store/reading-check'],
  },
  {
    name: 'southbound-not-sync',
    why: 'an adapter never writes to the uplink directly',
    from: ['edge/southbound/'],
    forbid: ['edge/sync/'],
  },
];

/** Known debt: imports against a rule, each with the fix it needs. None left since issue 18: the
 * profile loader's binding validators come from the composition roots (edge/profile-bindings.ts). */
export const ALLOWED: readonly Allowed[] = [];
