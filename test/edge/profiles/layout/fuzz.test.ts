import t from 'tap';
import { isYiwangError } from '../../../../common/errors.js';
import {
  compileLayout,
  decodePayload,
  encodePayload,
  explainPayload,
  type Layout,
} from '../../../../edge/profiles/layout/index.js';
import { decodeInterpreted } from '../../../../edge/profiles/layout/decode.js';
import { asObject, fixtureFiles, fromHex, loadFixture, prng } from './fixtures/load.js';

const SEED = 0x9e3779b9;
const PAYLOADS = 60_000;

const sink = compileLayout(
  {
    endian: 'little',
    min_length: 8,
    checksum: { type: 'crc16-modbus' },
    fields: [
      { type: 'u8', const: 0x68 },
      { name: 'len', type: 'u8', length_of: 'rest' },
      { name: 'kind', type: 'u8', hidden: true },
      { name: 'battery', type: 'bits', bits: [0, 6], at: -3, unit: '%', max: 100 },
    ],
    switch: 'kind',
    messages: {
      meter: {
        when: [1, 2],
        fields: [
          { name: 'energy', type: 'bcd', bytes: 4, reverse: true, scale: 0.01, unit: 'kWh', no_value: 0xffffffff },
          { name: 'addr', type: 'bcd', bytes: 3, as: 'string' },
          { name: 'flow_rate', type: 'bcd', bytes: 2, scale: 0.1, unit: 'm3/h', max: 500 },
          {
            type: 'u16',
            parts: [
              { name: 'valve', bits: [0, 1], enum: { 0: 'open', 1: 'closed', 2: 'moving' } },
              { name: 'leak', bit: 15 },
            ],
          },
        ],
      },
      env: {
        when: 3,
        fields: [
          { name: 'temperature', type: 'float32' },
          { name: 'humidity', type: 'u16', scale: 0.1, offset: -10, unit: '%RH', min: 0, max: 100 },
          { name: 'serial', type: 'ascii', bytes: 4 },
          { name: 'raw', type: 'hex', bytes: 2 },
          { name: 'pressure', type: 'i24be', scale: 0.001, unit: 'kPa' },
          { name: 'ratio', type: 'float64' },
          { name: 'flow', type: 'i32le', word_swap: true, scale: 0.001, unit: 'm3/s' },
          { name: 'level', type: 'float32', word_swap: true },
        ],
      },
    },
  },
  'sink',
);

const cover = compileLayout(
  {
    checksum: 'xor8',
    fields: [
      { name: 'kind', type: 'u8', enum: { 1: 'heartbeat', 2: 'alarm' } },
      { name: 'battery', type: 'u8', max: 100 },
    ],
    switch: 'kind',
    messages: {
      heartbeat: { when: 'heartbeat', length: 5, fields: [{ name: 'tilt', type: 'i16', scale: 0.1 }] },
      alarm: {
        when: 2,
        fields: [
          {
            type: 'u16',
            parts: [
              { name: 'open', bit: 0 },
              { name: 'level', bits: [4, 11], signed: true },
            ],
          },
        ],
      },
    },
  },
  'cover',
);

interface Target {
  name: string;
  layout: Layout;
  seeds: Uint8Array[];
  roundTrip: boolean;
}
const targets: Target[] = [
  {
    name: 'sink',
    layout: sink,
    roundTrip: true,
    seeds: [
      encodePayload(
        sink,
        { energy: 1234.56, addr: '000161', flow_rate: 12.3, valve: 'moving', leak: true, battery: 77 },
        'meter',
      ),
      encodePayload(sink, { battery: 5, addr: '999999', flow_rate: 499.9, valve: 'open', leak: false }, 'meter'),
      encodePayload(
        sink,
        {
          temperature: -12.5,
          humidity: 55.5,
          serial: 'AB12',
          raw: 'BEEF',
          pressure: -101.325,
          ratio: 0.25,
          flow: -12.345,
          level: 3.5,
          battery: 100,
        },
        'env',
      ),
    ],
  },
  { name: 'cover', layout: cover, roundTrip: true, seeds: [fromHex('015A7B0020'), fromHex('025A05005D')] },
];
for (const file of fixtureFiles()) {
  const fx = loadFixture(file);
  targets.push({
    name: file,
    layout: fx.layout,
    roundTrip: fx.layout.records === undefined,
    seeds: fx.vectors.map((v) => fromHex(v.hex)),
  });
}

/** Rewrites the layout's checksums so that a mutated payload gets past them (reaches the fields). */
function repair(l: Layout, b: Uint8Array): void {
  const rules = [...(l.switch ? [...l.messages.values()].flatMap((m) => m.frame.checksums) : []), ...l.frame.checksums];
  for (const c of rules) {
    const len = b.length;
    const place = (x: number): number => (x < 0 ? len + x : x);
    const [from, to, at] = [place(c.from), place(c.to), place(c.at)];
    if (from < 0 || to >= len || from > to || at < 0 || at + c.algorithm.width > len) continue;
    let v = c.algorithm.compute(b, from, to + 1);
    for (let i = 0; i < c.algorithm.width; i++) {
      b[c.order === 'little' ? at + i : at + c.algorithm.width - 1 - i] = v & 0xff;
      v = Math.floor(v / 256);
    }
  }
}

function mutate(rand: () => number, seed: Uint8Array): Uint8Array {
  let b = Array.from(seed);
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits; e++) {
    const op = rand();
    const i = Math.floor(rand() * (b.length + 1));
    if (op < 0.4 && b.length > 0) b[i % b.length]! ^= 1 << Math.floor(rand() * 8);
    else if (op < 0.6 && b.length > 0) b[i % b.length] = Math.floor(rand() * 256);
    else if (op < 0.75) b.splice(i, 0, Math.floor(rand() * 256));
    else if (op < 0.9) b.splice(i, 1);
    else b = b.slice(0, Math.floor(rand() * (b.length + 1)));
  }
  return Uint8Array.from(b);
}

/** A decode result or error, as comparable text. */
function outcome(fn: () => unknown): string {
  try {
    return JSON.stringify(fn());
  } catch (e) {
    return isYiwangError(e) ? `${e.code}: ${e.message}` : String(e);
  }
}

function isValue(v: unknown): boolean {
  return typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

t.test('every fuzzed layout has a generated decoder', async (t) => {
  for (const target of targets) t.ok(target.layout.fast, target.name);
});

t.test(`${PAYLOADS} random payloads: values or a PROFILE_ERR_ error, nothing else`, async (t) => {
  const rand = prng(SEED);
  const started = Date.now();
  const outcomes = new Map<string, number>();
  const problems: string[] = [];
  for (let n = 0; n < PAYLOADS && problems.length < 5; n++) {
    const target = targets[n % targets.length]!;
    let b: Uint8Array;
    const kind = rand();
    if (kind < 0.2) {
      b = Uint8Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256));
    } else {
      b = mutate(rand, target.seeds[Math.floor(rand() * target.seeds.length)]!);
      if (kind < 0.7) repair(target.layout, b);
    }
    const hex = Buffer.from(b).toString('hex');
    const reference = outcome(() => decodeInterpreted(target.layout, b));
    const generated = outcome(() => decodePayload(target.layout, b));
    if (reference !== generated)
      problems.push(`${target.name} ${hex}: generated decoder gave ${generated}, the interpreter ${reference}`);
    if (n % 10 === 0) {
      const explained = outcome(() => explainPayload(target.layout, b));
      if (!explained.startsWith('{')) problems.push(`${target.name} ${hex}: explainPayload threw ${explained}`);
    }
    try {
      const got = decodePayload(target.layout, b);
      if (!got.values.every((v) => typeof v.name === 'string' && isValue(v.value)))
        problems.push(`${target.name} ${hex}: bad value in ${JSON.stringify(got)}`);
      outcomes.set('ok', (outcomes.get('ok') ?? 0) + 1);
      if (target.roundTrip) {
        const again = decodePayload(target.layout, encodePayload(target.layout, asObject(got.values), got.type));
        if (JSON.stringify(again) !== JSON.stringify(got))
          problems.push(
            `${target.name} ${hex}: decode(encode(decode(x))) differs: ${JSON.stringify(got)} vs ${JSON.stringify(again)}`,
          );
      }
    } catch (e) {
      if (
        !isYiwangError(e) ||
        !e.code.startsWith('PROFILE_ERR_') ||
        e.code === 'PROFILE_ERR_LAYOUT' ||
        e.code === 'PROFILE_ERR_ENCODE'
      ) {
        problems.push(`${target.name} ${hex}: ${e instanceof Error ? e.stack : String(e)}`);
      } else {
        outcomes.set(e.code, (outcomes.get(e.code) ?? 0) + 1);
      }
    }
  }
  t.same(problems, [], 'no unexpected exceptions, no lossy round trips, generated decoder = interpreter');
  const ok = outcomes.get('ok') ?? 0;
  t.ok(ok > PAYLOADS * 0.1, `a good share decodes (${ok})`);
  for (const code of [
    'PROFILE_ERR_LENGTH',
    'PROFILE_ERR_CHECKSUM',
    'PROFILE_ERR_MESSAGE_TYPE',
    'PROFILE_ERR_RANGE',
    'PROFILE_ERR_CONST',
    'PROFILE_ERR_ENUM',
    'PROFILE_ERR_BCD',
  ]) {
    t.ok((outcomes.get(code) ?? 0) > 0, `reaches ${code} (${outcomes.get(code) ?? 0})`);
  }
  t.comment(`outcomes ${JSON.stringify(Object.fromEntries(outcomes))} in ${Date.now() - started} ms`);
});
