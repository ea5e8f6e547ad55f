/**
 * Property test: random nodes of the built-in objects survive encode → decode in every format
 * that can carry them (seeded; a failure prints the seed and the node's records).
 */
import t from 'tap';
import {
  BUILTIN_OBJECTS,
  Lwm2mPath,
  decodeNode,
  encodeNode,
  nodeToRecords,
  recordsToNode,
  type Lwm2mRecord,
  type Lwm2mValue,
  type ObjectModel,
  type ResourceModel,
} from '../../../../../edge/southbound/lwm2m/core/index.js';
import { MODEL, prng, toExpected } from './fixtures/helpers.js';

const SEED = 0x5eed;
const rnd = prng(SEED);
const int = (n: number): number => Math.floor(rnd() * n);

function randomValue(r: ResourceModel, exactJson: boolean): Lwm2mValue {
  switch (r.type) {
    case 'integer': {
      const k = int(4);
      if (k === 0 && !exactJson) return { type: 'integer', value: -(2n ** 62n) - BigInt(int(1000)) };
      return { type: 'integer', value: k === 1 ? -int(2 ** 31) : int(2 ** (8 * (1 + int(4)))) };
    }
    case 'unsigned':
      return { type: 'unsigned', value: int(4) === 0 && !exactJson ? 2n ** 64n - 1n - BigInt(int(100)) : int(2 ** 32) };
    case 'float':
      return { type: 'float', value: [1.5, 22.4, -0.001, 1e300, 3, 65504.5, Math.fround(0.1)][int(7)] as number };
    case 'time':
      return { type: 'time', value: 1_367_491_215 + int(1e6) };
    case 'boolean':
      return { type: 'boolean', value: rnd() < 0.5 };
    case 'string':
    case 'corelnk':
      return {
        type: r.type,
        value: ['', 'U', 'Open Mobile Alliance', '温度 °C', '</3/0>;ct=60', 'a"b\\c\n', '🌧️'][int(7)] as string,
      };
    case 'opaque':
      return { type: 'opaque', value: Uint8Array.from({ length: int(40) }, () => int(256)) };
    case 'objlnk':
      return { type: 'objlnk', value: { objectId: int(65536), instanceId: int(65536) } };
    case 'none':
      throw new Error('executable resources carry no value');
  }
}

function randomRecords(o: ObjectModel, instanceIds: number[], exactJson: boolean): Lwm2mRecord[] {
  const out: Lwm2mRecord[] = [];
  for (const iid of instanceIds) {
    for (const r of o.resources) {
      if (r.type === 'none' || rnd() < 0.4) continue;
      const base = Lwm2mPath.of(o.id, iid, r.id);
      if (r.multiple)
        for (let k = int(3); k >= 0; k--)
          out.push({ path: base.child(k * 7 + int(7)), value: randomValue(r, exactJson) });
      else out.push({ path: base, value: randomValue(r, exactJson) });
    }
  }
  // Drop duplicate resource-instance ids produced by chance.
  const seen = new Set<string>();
  return out.filter((r) => !seen.has(r.path.toString()) && seen.add(r.path.toString()));
}

const STRUCTURED = [11542, 110, 112, 11543];

t.test(`structured formats round-trip random instances and objects (seed ${SEED})`, async (t) => {
  let checks = 0;
  for (let i = 0; i < 300; i++) {
    const o = BUILTIN_OBJECTS[int(BUILTIN_OBJECTS.length)] as ObjectModel;
    for (const format of STRUCTURED) {
      const exactJson = format === 110 || format === 11543;
      const objectLevel = rnd() < 0.5;
      const ids = objectLevel && o.multiple ? [0, 1 + int(5)] : [0];
      const records = randomRecords(o, ids, exactJson);
      const path = objectLevel ? Lwm2mPath.of(o.id) : Lwm2mPath.of(o.id, 0);
      const node = recordsToNode(records, path, MODEL);
      const back = decodeNode(format, encodeNode(format, node, path), path, MODEL);
      const want = toExpected(nodeToRecords(node, path));
      const got = toExpected(nodeToRecords(back, path));
      if (JSON.stringify(got) !== JSON.stringify(want))
        t.same(got, want, `format ${format}, object ${o.id}, iteration ${i}`);
      checks++;
    }
  }
  t.pass(`${checks} structured round trips`);
});

t.test(`single-value formats round-trip every leaf (seed ${SEED})`, async (t) => {
  let checks = 0;
  for (const o of BUILTIN_OBJECTS) {
    for (const r of o.resources) {
      if (r.type === 'none') continue;
      for (let k = 0; k < 5; k++) {
        const value = randomValue(r, false);
        const path = r.multiple ? Lwm2mPath.of(o.id, 0, r.id, int(10)) : Lwm2mPath.of(o.id, 0, r.id);
        const node = recordsToNode([{ path, value }], path, MODEL);
        for (const format of [0, 60, ...(r.type === 'opaque' ? [42] : [])]) {
          const back = decodeNode(format, encodeNode(format, node, path), path, MODEL);
          const want = toExpected(nodeToRecords(node, path));
          const got = toExpected(nodeToRecords(back, path));
          if (JSON.stringify(got) !== JSON.stringify(want)) t.same(got, want, `format ${format}, ${path.toString()}`);
          checks++;
        }
      }
    }
  }
  t.pass(`${checks} single-value round trips`);
});
