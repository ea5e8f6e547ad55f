import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePayload, encodePayload } from '../../../../edge/profiles/layout/index.js';
import { SHARED_DIR } from '../../../../common/paths.js';
import type { ErrorCode } from '../../../../common/errors.js';
import { throwsCode } from '../../../helpers/errors.js';
import { asObject, fixtureFiles, fromHex, loadFixture, toHex } from './fixtures/load.js';

t.test('every fixture vector decodes (or fails with its code) and re-encodes', async (t) => {
  for (const file of fixtureFiles()) {
    const fx = loadFixture(file);
    t.ok(fx.vectors.length > 0, `${file} has vectors`);
    for (const v of fx.vectors) {
      const name = `${file} ${v.id ?? v.hex}`;
      if (v.error !== undefined) {
        throwsCode(t, () => decodePayload(fx.layout, fromHex(v.hex)), v.error as ErrorCode);
        continue;
      }
      const got = decodePayload(fx.layout, fromHex(v.hex));
      t.same(asObject(got.values), v.values, `${name}: values`);
      t.equal(got.type, v.type, `${name}: type`);
      t.equal(toHex(encodePayload(fx.layout, v.values ?? {}, v.type)), v.hex.toUpperCase(), `${name}: encodes back`);
    }
  }
});

interface SharedVector {
  id: string;
  hex?: string;
  hex_body?: string;
  full_command?: string;
  decoded: Record<string, unknown>;
  message_types?: Record<string, string>;
}
const sharedFile = join(SHARED_DIR, 'vectors', 'nbiot_payloads.json');

t.test(
  '../shared/vectors/nbiot_payloads.json decodes to its published values',
  { skip: existsSync(sharedFile) ? false : `${sharedFile} not found` },
  async (t) => {
    const shared = (JSON.parse(readFileSync(sharedFile, 'utf8')) as { vectors: SharedVector[] }).vectors;
    const cases: [string, string, (v: SharedVector) => string | undefined][] = [
      ['huawei-iotda-smoke-graphical', 'huawei-iotda-smoke.toml', (v) => v.hex],
      ['milesight-gs524n-smoke', 'milesight-gs524n.toml', (v) => v.hex],
      ['milesight-em400-udl-tlv', 'milesight-em400-udl.toml', (v) => v.hex],
      ['jooby-nbiot-signal-quality', 'jooby-signal-quality.toml', (v) => v.full_command],
      ['jooby-nbiot-signal-quality', 'jooby-signal-quality-body.toml', (v) => v.hex_body],
    ];
    t.same(
      [...new Set(cases.map((c) => c[0]))].sort(),
      shared.map((v) => v.id).sort(),
      'every shared vector has a layout',
    );
    for (const [id, file, hexOf] of cases) {
      const v = shared.find((x) => x.id === id);
      const hex = v && hexOf(v);
      if (!v || !hex) {
        t.fail(`${id}: missing in the shared file`);
        continue;
      }
      const got = asObject(decodePayload(loadFixture(file).layout, fromHex(hex)).values);
      for (const [k, want] of Object.entries(v.decoded)) {
        if (k === 'event' && v.message_types) {
          // The published text is prose; the layout's enum uses the vendor's message-type table.
          t.equal(
            got.event,
            v.message_types[String(Number.parseInt(hex.slice(2, 4), 16) & 15)],
            `${id}: event from message_types`,
          );
          continue;
        }
        t.equal(got[k], want, `${id} (${file}): ${k}`);
      }
    }
  },
);
