/** SenML JSON (content format 110, RFC 8428, LwM2M 1.1 §7.4.4). */
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
import type { OutField, RawRecord } from './senml-common.js';
import { compositeCodec } from './record-codec.js';
import type { CompositeCodec } from './types.js';
import { base64Decode, base64UrlEncode } from './values.js';

function readPack(bytes: Uint8Array): RawRecord[] {
  return asArray(parseJson(bytes), 'a SenML pack').map((item, i) => {
    const where = `record ${i}`;
    const o = asObject(item, where);
    const vd = optString(o, 'vd', where);
    const raw: RawRecord = {};
    const set = <K extends keyof RawRecord>(k: K, v: RawRecord[K] | undefined): void => {
      if (v !== undefined) raw[k] = v;
    };
    set('bn', optString(o, 'bn', where));
    set('bt', optNumber(o, 'bt', where));
    set('n', optString(o, 'n', where));
    set('t', optNumber(o, 't', where));
    set('v', optRawNumber(o, 'v', where));
    set('vs', optString(o, 'vs', where));
    set('vb', optBoolean(o, 'vb', where));
    set('vd', vd === undefined ? undefined : base64Decode(vd, `${where} vd`));
    set('vlo', optString(o, 'vlo', where));
    return raw;
  });
}

function writePack(pack: readonly OutField[][]): Uint8Array {
  const records = pack.map((fields) => {
    const body = fields.map(
      ([k, v]) => `"${k}":${v instanceof Uint8Array ? JSON.stringify(base64UrlEncode(v)) : jsonScalar(v, k)}`,
    );
    return `{${body.join(',')}}`;
  });
  return new TextEncoder().encode(`[${records.join(',')}]`);
}

export const senmlJsonCodec: CompositeCodec = compositeCodec({
  formats: [110],
  mediaType: 'application/senml+json',
  read: readPack,
  write: writePack,
});
