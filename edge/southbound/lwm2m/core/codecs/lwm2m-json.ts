/**
 * LwM2M JSON (content format 11543, and 1543 from before registration; LwM2M 1.0 §6.4.4,
 * 1.1 §7.4.5): {"bn":…, "e":[{"n","v"|"sv"|"bv"|"ov","t"}…], "bt":…}. Opaque values travel as
 * base64 in "sv"; object links as "oid:iid" in "ov". Written as Leshan writes it: bn, e, bt.
 * A node at a resource or resource-instance path is written under its instance, as the 1.0
 * examples and LwM2M 1.0 clients (Wakaama) write and read it: /3/0/14 is
 * {"bn":"/3/0/","e":[{"n":"14",…}]} and /3/0/7/1 is {"bn":"/3/0/","e":[{"n":"7/1",…}]}; a client
 * that reads a base name naming the resource itself takes it for a multiple resource. Both forms
 * are read (bn + n is the path).
 */
import {
  asArray,
  asObject,
  jsonScalar,
  optBoolean,
  optNumber,
  optRawNumber,
  optString,
  parseJson,
} from './json-input.js';
import { nodeToRecords, type Lwm2mNode } from '../nodes.js';
import { Lwm2mPath } from '../paths.js';
import { packRecords, type OutField, type RawRecord } from './senml-common.js';
import { recordCodec } from './record-codec.js';
import type { RecordCodec } from './types.js';
import { base64Encode } from './values.js';

function readDoc(bytes: Uint8Array): RawRecord[] {
  const root = asObject(parseJson(bytes), 'an LwM2M JSON document');
  const bn = optString(root, 'bn', 'document');
  const bt = optNumber(root, 'bt', 'document');
  return asArray(root.e, 'field e').map((item, i) => {
    const where = `entry ${i}`;
    const o = asObject(item, where);
    const raw: RawRecord = {};
    if (i === 0 && bn !== undefined) raw.bn = bn;
    if (i === 0 && bt !== undefined) raw.bt = bt;
    const n = optString(o, 'n', where);
    const t = optNumber(o, 't', where);
    const v = optRawNumber(o, 'v', where);
    const sv = optString(o, 'sv', where);
    const bv = optBoolean(o, 'bv', where);
    const ov = optString(o, 'ov', where);
    if (n !== undefined) raw.n = n;
    if (t !== undefined) raw.t = t;
    if (v !== undefined) raw.v = v;
    if (sv !== undefined) raw.vs = sv;
    if (bv !== undefined) raw.vb = bv;
    if (ov !== undefined) raw.vlo = ov;
    return raw;
  });
}

const JSON_KEYS: Readonly<Record<OutField[0], string>> = {
  bn: 'bn',
  bt: 'bt',
  n: 'n',
  t: 't',
  v: 'v',
  vs: 'sv',
  vb: 'bv',
  vd: 'sv',
  vlo: 'ov',
};

function writeDoc(pack: readonly OutField[][]): Uint8Array {
  let bn: string | undefined;
  let bt: number | bigint | undefined;
  const entries = pack.map((fields) => {
    const body: string[] = [];
    for (const [k, v] of fields) {
      if (k === 'bn') bn = v as string;
      else if (k === 'bt') bt = v as number | bigint;
      else
        body.push(`"${JSON_KEYS[k]}":${v instanceof Uint8Array ? JSON.stringify(base64Encode(v)) : jsonScalar(v, k)}`);
    }
    return `{${body.join(',')}}`;
  });
  const parts = [
    ...(bn === undefined ? [] : [`"bn":${JSON.stringify(bn)}`]),
    `"e":[${entries.join(',')}]`,
    ...(bt === undefined ? [] : [`"bt":${jsonScalar(bt, 'bt')}`]),
  ];
  return new TextEncoder().encode(`{${parts.join(',')}}`);
}

const records: RecordCodec = recordCodec({
  formats: [11543, 1543],
  mediaType: 'application/vnd.oma.lwm2m+json',
  read: readDoc,
  write: writeDoc,
  base64Strings: true,
});

/** The base name of a node at `path`: the path itself down to an instance, the instance below it. */
function basePathOf(path: Lwm2mPath): Lwm2mPath {
  return path.ids.length > 2 ? Lwm2mPath.of(...path.ids.slice(0, 2)) : path;
}

export const lwm2mJsonCodec: RecordCodec = {
  ...records,
  encode(node: Lwm2mNode, path: Lwm2mPath): Uint8Array {
    return writeDoc(packRecords(nodeToRecords(node, path), { basePath: basePathOf(path) }));
  },
};
