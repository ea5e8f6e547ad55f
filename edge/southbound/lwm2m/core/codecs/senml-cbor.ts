/**
 * SenML CBOR (content format 112, RFC 8428 §6, LwM2M 1.1 §7.4.5): the SenML JSON pack with
 * integer labels (bn −2, bt −3, n 0, v 2, vs 3, vb 4, t 6, vd 8) and "vlo" kept as text.
 */
import { decodeCbor, encodeCbor, type CborItem, type CborValue } from './cbor-items.js';
import { senmlError, type OutField, type RawRecord } from './senml-common.js';
import { compositeCodec } from './record-codec.js';
import type { CompositeCodec } from './types.js';

const LABELS: ReadonlyMap<number | string, keyof RawRecord> = new Map<number | string, keyof RawRecord>([
  [-2, 'bn'],
  [-3, 'bt'],
  [0, 'n'],
  [6, 't'],
  [2, 'v'],
  [3, 'vs'],
  [4, 'vb'],
  [8, 'vd'],
  ['vlo', 'vlo'],
]);
const OUT_LABELS: Readonly<Record<OutField[0], number | string>> = {
  bn: -2,
  bt: -3,
  n: 0,
  t: 6,
  v: 2,
  vs: 3,
  vb: 4,
  vd: 8,
  vlo: 'vlo',
};

function field(raw: RawRecord, name: keyof RawRecord, item: CborItem, where: string): void {
  const bad = (want: string): never => senmlError(`${where}: ${name} must be ${want}, got CBOR ${item.kind}`);
  switch (name) {
    case 'bn':
    case 'n':
    case 'vs':
    case 'vlo':
      if (item.kind !== 'text') bad('a text string');
      raw[name] = (item as { value: string }).value;
      return;
    case 'bt':
    case 't':
      if (item.kind !== 'int' && item.kind !== 'float') bad('a number');
      raw[name] = Number((item as { value: number | bigint }).value);
      return;
    case 'v':
      if (item.kind !== 'int' && item.kind !== 'float') bad('a number');
      raw.v = { n: (item as { value: number | bigint }).value, isFloat: item.kind === 'float' };
      return;
    case 'vb':
      if (item.kind !== 'bool') bad('true or false');
      raw.vb = (item as { value: boolean }).value;
      return;
    case 'vd':
      if (item.kind !== 'bytes') bad('a byte string');
      raw.vd = Uint8Array.from((item as { value: Uint8Array }).value);
      return;
  }
}

function readPack(bytes: Uint8Array): RawRecord[] {
  // Depth 2: the pack array, then record maps holding scalars.
  const top = decodeCbor(bytes, 2);
  if (top.kind !== 'array') senmlError(`a SenML CBOR pack is an array, got CBOR ${top.kind}`);
  return top.items.map((rec, i) => {
    const where = `record ${i}`;
    if (rec.kind !== 'map') senmlError(`${where} must be a CBOR map, got ${rec.kind}`);
    const raw: RawRecord = {};
    const seen = new Set<keyof RawRecord>();
    for (const [k, v] of rec.entries) {
      const key = k.kind === 'int' || k.kind === 'text' ? k.value : undefined;
      const name = key === undefined ? undefined : LABELS.get(typeof key === 'bigint' ? String(key) : key);
      if (name === undefined) continue; // other SenML labels (units, sum, version) carry nothing LwM2M uses
      if (seen.has(name)) senmlError(`${where}: label ${name} appears twice`);
      seen.add(name);
      field(raw, name, v, where);
    }
    return raw;
  });
}

function writePack(pack: readonly OutField[][]): Uint8Array {
  return encodeCbor(
    pack.map((fields) => new Map<number | string, CborValue>(fields.map(([k, v]) => [OUT_LABELS[k], v]))),
  );
}

export const senmlCborCodec: CompositeCodec = compositeCodec({
  formats: [112],
  mediaType: 'application/senml+cbor',
  read: readPack,
  write: writePack,
});
