import t from 'tap';
import {
  decodeNode,
  decodePaths,
  decodeRecords,
  encodeNode,
  encodePaths,
  encodeRecords,
  nodeToRecords,
  parsePath,
  recordsToNode,
} from '../../../../../edge/southbound/lwm2m/core/index.js';
import { ALL_VECTORS } from './fixtures/golden-vectors.js';
import { MODEL, expectedEncoding, fromExpected, hex, payload, toExpected } from './fixtures/helpers.js';

for (const v of ALL_VECTORS) {
  t.test(`${v.id}: ${v.source}`, async (t) => {
    const bytes = payload(v);
    const path = parsePath(v.path);

    // decode: payload → nodes/records
    if (v.paths) {
      t.same(decodePaths(v.format, bytes).map(String), v.paths, 'decoded paths');
    } else {
      t.same(toExpected(decodeRecords(v.format, bytes, path, MODEL)), v.records, 'decoded records');
      if (v.encode.kind === 'node') {
        const node = decodeNode(v.format, bytes, path, MODEL);
        t.same(toExpected(nodeToRecords(node, path)), v.records, 'decoded node');
      }
    }

    // encode: expected values → bytes, built without the decoder
    let out: Uint8Array;
    if (v.encode.kind === 'paths') out = encodePaths(v.format, (v.paths ?? []).map(parsePath));
    else if (v.encode.kind === 'node')
      out = encodeNode(v.format, recordsToNode(fromExpected(v.records ?? []), path, MODEL), path);
    else {
      const { basePath, baseTime } = v.encode;
      out = encodeRecords(v.format, fromExpected(v.records ?? []), {
        ...(basePath ? { basePath: parsePath(basePath) } : {}),
        ...(baseTime !== undefined ? { baseTime } : {}),
      });
    }
    const want = expectedEncoding(v);
    t.equal(v.hex !== undefined ? hex(out) : new TextDecoder().decode(out), want, 'encoded bytes');
  });
}
