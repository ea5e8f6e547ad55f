/**
 * The fleet's keys, created on the cloud's first start in `pki.dir` and kept there — sealed under
 * the key-encryption key when keys.kek is set (cloud/keys/vault.ts), else clear 0600 files:
 * - fleet CA (ECDSA P-256, self-signed, 10 years): signs the TLS listener's certificate; gateways
 *   pin it at provisioning (GatewayIdentity.ca_pem) and verify the broker with it;
 * - the TLS server certificate (re-issued by the CA at every start for `tls.hostnames`; its key is
 *   made at each start and only ever kept in memory);
 * - the config-signing key (Ed25519): signs every desired configuration.
 * Certificates are made with @peculiar/x509 over node's WebCrypto; no openssl binary.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  webcrypto,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyVault } from '../keys/vault.js';
import { loadTransitions, type TransitionInfo } from '../keys/signing-rotation.js';
import type { pb } from '../../proto/index.js';
import type { Logger } from '../../common/log.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface FleetPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  /** Ed25519 config-signing key. */
  signingKey: KeyObject;
  /** Raw 32-byte Ed25519 public key (what gateways pin). */
  signingPublicRaw: Buffer;
  /** First 16 hex digits of SHA-256 of the raw public key. */
  keyId: string;
  /** Where the private keys are kept at rest; `vault.status()`: sealed or clear, algorithm, KEK id. */
  vault: KeyVault;
  /** Config-signing key transitions leading to this key, oldest first: every envelope carries them. */
  signingTransitions: pb.IKeyTransition[];
  signingTransitionInfo: TransitionInfo[];
}

const pem = (label: string, der: ArrayBuffer): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`;
const unpem = (text: string): Buffer => Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

/** The private key files, by name in pki.dir (the vault stores them as `<name>.sealed` under a KEK). */
export const CA_KEY_FILE = 'fleet-ca.key';
export const SIGNING_KEY_FILE = 'config-signing.key';

async function loadOrCreateCa(
  dir: string,
  vault: KeyVault,
): Promise<{ cert: x509.X509Certificate; key: CryptoKey; pem: string }> {
  const certPath = join(dir, 'fleet-ca.crt');
  const keyPem = existsSync(certPath) ? vault.read(CA_KEY_FILE) : undefined;
  if (keyPem) {
    const certPem = readFileSync(certPath, 'utf8');
    const key = await webcrypto.subtle.importKey('pkcs8', unpem(keyPem.toString('utf8')), EC, false, ['sign']);
    return { cert: new x509.X509Certificate(certPem), key: key as unknown as CryptoKey, pem: certPem };
  }
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Yiwang fleet CA',
    keys,
    signingAlgorithm: EC,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  vault.write(
    CA_KEY_FILE,
    Buffer.from(
      pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey)),
    ),
  );
  const certPem = `${cert.toString('pem')}\n`;
  writeFileSync(certPath, certPem);
  return { cert, key: keys.privateKey, pem: certPem };
}

async function issueServerCert(
  ca: { cert: x509.X509Certificate; key: CryptoKey },
  hostnames: string[],
): Promise<{ certPem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${hostnames[0] ?? 'yiwang-cloud'}`,
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: EC,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 397 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hostnames.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return {
    certPem: `${cert.toString('pem')}\n`,
    keyPem: pem(
      'PRIVATE KEY',
      await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey),
    ),
  };
}

function loadOrCreateSigningKey(vault: KeyVault): KeyObject {
  const existing = vault.read(SIGNING_KEY_FILE);
  if (existing) return createPrivateKey(existing.toString('utf8'));
  const { privateKey } = generateKeyPairSync('ed25519');
  vault.write(SIGNING_KEY_FILE, Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string));
  return privateKey;
}

/** Raw 32-byte Ed25519 public key of a private key. */
export function rawEd25519Public(key: KeyObject): Buffer {
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

export const keyIdOf = (raw: Buffer): string => createHash('sha256').update(raw).digest('hex').slice(0, 16);

/** The fleet's keys from `vault` (default: clear files in `dir`, no KEK). */
export async function loadFleetPki(
  dir: string,
  hostnames: string[],
  vault: KeyVault = new KeyVault(dir, undefined, 'aes-256-gcm'),
  log?: Logger,
): Promise<FleetPki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreateCa(dir, vault);
  const server = await issueServerCert(ca, hostnames);
  const signingKey = loadOrCreateSigningKey(vault);
  const raw = rawEd25519Public(signingKey);
  const transitions = loadTransitions(dir, keyIdOf(raw), log);
  return {
    caPem: ca.pem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    signingKey,
    signingPublicRaw: raw,
    keyId: keyIdOf(raw),
    vault,
    signingTransitions: transitions.transitions,
    signingTransitionInfo: transitions.info,
  };
}
