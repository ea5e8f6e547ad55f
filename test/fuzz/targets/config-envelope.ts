/**
 * Signed desired configurations as the edge applies them (edge/remote-config/applier.ts ConfigApplier.handle,
 * wired as edge/remote-config/agent-wiring.ts wires it: profile check, live apply, inert-key note, status report).
 * Each input is handed over three ways: as a whole ConfigEnvelope (what arrives on the config
 * topic); as the TOML of a document signed with the pinned key (so the TOML schema and the apply
 * path are reached); as the bytes of a ConfigDocument signed with that key (the document decoder
 * behind a valid signature). handle() must never throw: every outcome is a ConfigStatus.
 * The cloud side's signConfig/verifyConfig round trip is checked with random documents.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { silentLogger } from '../../../common/log.js';
import { isYiwangError } from '../../../common/errors.js';
import { CONFIG_SIGNING_CONTEXT, signConfig, verifyConfig } from '../../../proto/config-signing.js';
import { pb } from '../../../proto/index.js';
import { profilesCheck } from '../../../edge/remote-config/agent-wiring.js';
import { ConfigApplier } from '../../../edge/remote-config/applier.js';
import { applyLive, DeviceFilter, inertKeys } from '../../../edge/remote-config/live.js';
import { parseDesiredConfig } from '../../../edge/remote-config/schema.js';
import { InvariantError, roundTrip, type FuzzTarget, type Seed } from '../lib/target.js';
import { assertSame } from '../lib/roundtrip.js';
import { decodeUtf8, scratchDir, text } from './common.js';
import { LIBRARY } from './profiles.js';

// A fixed test key (PKCS#8 of a constant seed), so that the signed envelopes of the corpus stay valid.
const privateKey = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 0x16)]),
  format: 'der',
  type: 'pkcs8',
});
const RAW_PUBLIC = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
const GATEWAY = 'gw-1';
const dir = scratchDir('remote-config');

const devices = new DeviceFilter();
const uplink = { tune(): void {} };
let lastStatus: Buffer | undefined;
const applier = new ConfigApplier({
  gatewayId: GATEWAY,
  publicKey: RAW_PUBLIC,
  file: join(dir, 'desired-config.json'),
  log: silentLogger(),
  check: profilesCheck([LIBRARY]),
  apply: (c) =>
    applyLive(c, { uplink, devices, base: { max_bytes_per_s: 0, daily_bytes: 0, health_interval_ms: 60_000 } }),
  note: (c) => inertKeys(c).join(', '),
  report: (b) => {
    lastStatus = b;
  },
});
let version = 1;

function handle(envelope: Buffer, what: string): void {
  lastStatus = undefined;
  const out = applier.handle(envelope);
  if (!lastStatus) throw new InvariantError(`${what}: no ConfigStatus reported`);
  const st = pb.ConfigStatus.decode(lastStatus);
  if (Number(st.version) !== out.version)
    throw new InvariantError(`${what}: ConfigStatus version ${String(st.version)} for outcome ${out.version}`);
  if (out.state !== 'applied' && !/^EDGE_ERR_/.test(out.code))
    throw new InvariantError(`${what}: ${out.state} without a coded reason (${JSON.stringify(out.code)})`);
}

const signed = (document: Uint8Array): Buffer =>
  Buffer.from(
    pb.ConfigEnvelope.encode({
      document,
      signature: sign(null, Buffer.concat([CONFIG_SIGNING_CONTEXT, document]), privateKey),
      keyId: 'k',
    }).finish(),
  );

function run(input: Uint8Array): unknown {
  handle(Buffer.from(input), 'envelope');
  const toml = decodeUtf8(input);
  handle(
    signConfig({ gatewayId: GATEWAY, version: ++version, toml, issuedMs: Date.now(), label: 'fuzz' }, privateKey, 'k'),
    'signed TOML',
  );
  handle(signed(input), 'signed document bytes');
  try {
    parseDesiredConfig(toml);
  } catch (err) {
    if (!isYiwangError(err, 'EDGE_ERR_CONFIG_INVALID')) throw err;
  }
  return undefined;
}

const TOML_SEEDS: readonly [string, string][] = [
  ['sync', '[sync]\nmax_bytes_per_s = 20000\ndaily_bytes = 50000000\nhealth_interval_ms = 30000\n'],
  ['sampling', '[sampling]\ndefault_interval_s = 60\n'],
  ['profiles', '[profiles]\nenabled = ["yiwang-ref/water-meter-nb", "milesight/em400-udl"]\n'],
  ['devices', '[devices]\nallow = ["meter-1", "meter-2"]\ndeny = ["urn:imei:861234567890001"]\n'],
  ['thresholds', '[thresholds.pm2_5]\nmin = 0\nmax = 500\n\n[thresholds."water level"]\nmax = 3.5\n'],
  ['cameras', '[cameras]\nsnapshot = true\nfps = 5\nprofile = "main"\n'],
  [
    'all',
    '[sync]\ndaily_bytes = 1000\n[sampling]\ndefault_interval_s = 300\n[profiles]\nenabled = []\n[devices]\ndeny = ["x"]\n[thresholds.t]\nmin = -40.5\n[cameras]\na = 1\n',
  ],
  ['bad-key', '[sync]\ndaily_bytez = 1\n'],
  ['missing-profile', '[profiles]\nenabled = ["acme/missing"]\n'],
];

function seeds(): Seed[] {
  const out: Seed[] = TOML_SEEDS.map(([n, s]) => text(`toml-${n}`, s));
  TOML_SEEDS.slice(0, 4).forEach(([n, s], i) => {
    out.push({
      name: `envelope-${n}`,
      bytes: signConfig(
        { gatewayId: GATEWAY, version: 1000 + i, toml: s, issuedMs: 1_714_557_600_000, label: n },
        privateKey,
        'k',
      ),
    });
    out.push({
      name: `document-${n}`,
      bytes: pb.ConfigDocument.encode({
        gatewayId: GATEWAY,
        version: 2000 + i,
        toml: s,
        issuedMs: 1_714_557_600_000,
        label: n,
      }).finish(),
    });
  });
  return out;
}

const docArb = fc.record({
  gatewayId: fc.string({ maxLength: 40 }),
  version: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  toml: fc.string({ unit: 'grapheme', maxLength: 200 }),
  issuedMs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  label: fc.string({ maxLength: 30 }),
});

const target: FuzzTarget = {
  name: 'config-envelope',
  description: 'signed config envelopes, documents and their TOML through the edge applier (verify, schema, apply)',
  seeds,
  dictionary: [
    '[sync]',
    '[sampling]',
    '[profiles]',
    '[devices]',
    '[thresholds.',
    '[cameras]',
    'max_bytes_per_s',
    'daily_bytes',
    'health_interval_ms',
    'default_interval_s',
    'enabled',
    'allow',
    'deny',
    'min',
    'max',
    ' = ',
    '"',
    '[',
    ']',
    '{',
    '}',
    '\n',
    '9223372036854775807',
    '-1',
    '1e999',
    'nan',
    'inf',
    '1979-05-27T07:32:00Z',
    '__proto__',
    'constructor',
    'toString',
    '[[sync]]',
    "'''",
    '"""',
    Uint8Array.of(0x0a),
    Uint8Array.of(0x12),
    Uint8Array.of(0x1a),
    Uint8Array.of(0x08),
    Uint8Array.of(0x10),
  ],
  maxLen: 8 * 1024,
  run,
  isCoded: (err) => isYiwangError(err, 'EDGE_ERR_CONFIG_INVALID'),
  roundTrips: [
    roundTrip('verifyConfig(signConfig(doc))', docArb, (doc) => {
      const v = verifyConfig(signConfig(doc, privateKey, 'k'), RAW_PUBLIC);
      if (!v.ok) throw new Error(`a signed document does not verify: ${v.reason}`);
      assertSame('config document', pb.ConfigDocument.toObject(v.doc, { defaults: true, longs: Number }), doc);
    }),
  ],
};
export default target;
