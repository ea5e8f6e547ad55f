/**
 * Camera credentials. A `Secret` never prints its value (toString, JSON, util.inspect and pino all
 * see "[redacted]"); `reveal()` is called only where a protocol needs the clear text. At rest
 * (cameras.json) passwords are sealed with AES-256-GCM under a key derived from the gateway secret,
 * so the registry file, a support bundle or a backup shows no camera password. After a re-key an
 * entry that no longer opens is kept and flagged for re-entry (registry.ts).
 */
import { SecretBox } from '../../../common/seal.js';
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

/** Seals camera passwords for cameras.json (common/seal.ts SecretBox, camera purpose). */
export class CredentialSealer {
  private readonly box: SecretBox;
  constructor(gatewaySecret: string) {
    this.box = new SecretBox(gatewaySecret, 'yiwang-cameras', 'camera-credentials-v1');
  }

  seal(s: Secret): string {
    return this.box.seal(s.reveal());
  }

  /** Throws when the value was sealed under another gateway secret (re-keyed gateway) or is damaged. */
  open(sealed: string): Secret {
    return new Secret(this.box.open(sealed));
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
