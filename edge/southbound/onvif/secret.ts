/**
 * Camera credentials. A `Secret` never prints its value (toString, JSON, util.inspect and pino all
 * see "[redacted]"); `reveal()` is called only where a protocol needs the clear text. At rest
 * (cameras.json) passwords are sealed with AES-256-GCM under a key derived from the gateway secret,
 * so the registry file, a support bundle or a backup shows no camera password.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  get empty(): boolean {
    return this.#value === '';
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return '[redacted]';
  }
}

export class CredentialSealer {
  private readonly key: Buffer;
  constructor(gatewaySecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', gatewaySecret, 'yiwang-cameras', 'camera-credentials-v1', 32));
  }

  seal(s: Secret): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(s.reveal(), 'utf8'), c.final()]);
    return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): Secret {
    if (!sealed.startsWith('v1:')) throw new Error('unknown credential format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return new Secret(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8'));
  }
}

/** `rtsp://user:pass@host/…` → `rtsp://host/…` for logs and status output. */
export function stripUserinfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
