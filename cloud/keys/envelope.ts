/**
 * A sealed key file (`<name>.sealed` in pki.dir): one JSON object, version 1 —
 *   { "format": "yiwang-sealed-key", "v": 1, "alg": "aes-256-gcm" | "sm4-gcm" | "sm4-cbc-hmac-sm3",
 *     "kek": "<KEK id, 16 hex>", "name": "<file name of the key>",
 *     "nonce": "<base64>", "ct": "<base64>", "tag": "<base64>" }
 * The additional authenticated data is "yiwang-sealed-key v1\n<alg>\n<kek>\n<name>", so a file
 * moved to another key's name, or relabelled with another algorithm or KEK id, does not open.
 */
import { YiwangError } from '../../common/errors.js';
import { SEAL_ALGORITHMS, openWith, sealWith, type SealAlgorithm } from './algorithms.js';
import { kekId, type Kek } from './kek.js';

/** Largest sealed file read (a PEM private key is well under 4 KiB). */
export const SEALED_MAX_BYTES = 65_536;
export const ENVELOPE_FORMAT = 'yiwang-sealed-key';

export interface Envelope {
  format: typeof ENVELOPE_FORMAT;
  v: 1;
  alg: SealAlgorithm;
  kek: string;
  name: string;
  nonce: string;
  ct: string;
  tag: string;
}

const aadOf = (alg: string, kek: string, name: string): Buffer =>
  Buffer.from(`${ENVELOPE_FORMAT} v1\n${alg}\n${kek}\n${name}`, 'utf8');

/** The sealed file's text for the key `name`. */
export function sealKey(name: string, plain: Buffer, kek: Kek, alg: SealAlgorithm): string {
  const id = kekId(kek, alg);
  const s = sealWith(alg, kek.material, aadOf(alg, id, name), plain);
  const env: Envelope = {
    format: ENVELOPE_FORMAT,
    v: 1,
    alg,
    kek: id,
    name,
    nonce: s.nonce.toString('base64'),
    ct: s.ct.toString('base64'),
    tag: s.tag.toString('base64'),
  };
  return `${JSON.stringify(env)}\n`;
}

const bad = (file: string, why: string): YiwangError =>
  new YiwangError('CLOUD_ERR_KEY_UNSEAL', `${file}: not a sealed key (${why})`);

/** Parses and checks an envelope's shape (not its tag). */
export function parseEnvelope(text: string, file: string): Envelope {
  if (Buffer.byteLength(text) > SEALED_MAX_BYTES) throw bad(file, `over ${SEALED_MAX_BYTES} bytes`);
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw bad(file, 'not JSON');
  }
  const e = o as Partial<Envelope>;
  if (typeof o !== 'object' || o === null || e.format !== ENVELOPE_FORMAT) throw bad(file, 'no format tag');
  if (e.v !== 1) throw bad(file, `version ${String(e.v)}, this release reads 1`);
  if (!SEAL_ALGORITHMS.includes(e.alg as SealAlgorithm)) throw bad(file, `unknown algorithm ${String(e.alg)}`);
  for (const k of ['kek', 'name', 'nonce', 'ct', 'tag'] as const)
    if (typeof e[k] !== 'string') throw bad(file, `no ${k}`);
  return e as Envelope;
}

/** The key inside an envelope: CLOUD_ERR_KEK_MISMATCH for another KEK, CLOUD_ERR_KEY_UNSEAL when it does not verify. */
export function openEnvelope(env: Envelope, kek: Kek, file: string, expectName: string): Buffer {
  const id = kekId(kek, env.alg);
  if (env.kek !== id)
    throw new YiwangError(
      'CLOUD_ERR_KEK_MISMATCH',
      `${file} is sealed under KEK ${env.kek} (${env.alg}); the configured KEK (${kek.source}:${kek.where}) is ${id}`,
    );
  if (env.name !== expectName) throw bad(file, `it holds ${JSON.stringify(env.name)}`);
  const plain = openWith(env.alg, kek.material, aadOf(env.alg, env.kek, env.name), {
    nonce: Buffer.from(env.nonce, 'base64'),
    ct: Buffer.from(env.ct, 'base64'),
    tag: Buffer.from(env.tag, 'base64'),
  });
  if (!plain)
    throw new YiwangError(
      'CLOUD_ERR_KEY_UNSEAL',
      `${file} does not verify under KEK ${id}: the file was changed or damaged`,
    );
  return plain;
}
