/**
 * Config envelopes are outside bytes for the edge: verifyConfig never throws, refuses an envelope
 * over MAX_CONFIG_ENVELOPE_BYTES before decoding it, and accepts only what the pinned key signed.
 */
import t from 'tap';
import fc from 'fast-check';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { MAX_CONFIG_ENVELOPE_BYTES, signConfig, verifyConfig } from '../../proto/config-signing.js';
import { pb } from '../../proto/index.js';

const RUNS = Number(process.env.YW_PROPERTY_RUNS ?? 300);
const { privateKey } = generateKeyPairSync('ed25519');
const raw = (createPublicKey(privateKey).export({ type: 'spki', format: 'der' }) as Buffer).subarray(-32);

t.test('signed documents verify; anything else is refused with a reason, never thrown', async (t) => {
  const good = signConfig(
    { gatewayId: 'gw-1', version: 3, toml: '[sync]\nlinger_ms = 50\n', issuedMs: 1 },
    privateKey,
    'k',
  );
  t.match(verifyConfig(good, raw), { ok: true, doc: { gatewayId: 'gw-1', version: 3 } });
  // an unknown field of 4 MiB leaves the signed document intact: only the size check refuses it
  const pad = MAX_CONFIG_ENVELOPE_BYTES;
  const unknownField = Buffer.concat([
    Buffer.from([
      (15 << 3) | 2,
      (pad & 0x7f) | 0x80,
      ((pad >> 7) & 0x7f) | 0x80,
      ((pad >> 14) & 0x7f) | 0x80,
      pad >> 21,
    ]),
    Buffer.alloc(pad),
  ]);
  t.match(
    verifyConfig(Buffer.concat([good, unknownField]), raw),
    { ok: false, reason: 'undecodable' },
    'oversized: refused before decoding',
  );
  const env = pb.ConfigEnvelope.decode(good);
  t.match(
    verifyConfig(Buffer.from(pb.ConfigEnvelope.encode({ ...env, signature: Buffer.alloc(10_000) }).finish()), raw),
    { ok: false, reason: 'bad_signature' },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      verifyConfig(Buffer.from(b), raw).ok === false || t.fail('random bytes verified');
    }),
    { numRuns: RUNS },
  );
  fc.assert(
    fc.property(fc.nat(), fc.integer({ min: 0, max: 7 }), (at, bit) => {
      const b = Buffer.from(good);
      b[at % b.length]! ^= 1 << bit;
      const v = verifyConfig(b, raw);
      // a flipped bit can only land in bytes nobody signed (an unknown field's length, say) if it still verifies
      return !v.ok || v.doc.version === 3;
    }),
    { numRuns: RUNS },
  );
});
