/**
 * Authentication of the test ONVIF camera, as real cameras check it: WS-Security UsernameToken
 * with PasswordDigest = Base64(SHA-1(nonce ‖ created ‖ password)), `Created` within a window of
 * the camera's own clock and nonces never reused; or HTTP Digest (RFC 7616, MD5, qop=auth).
 * Repeated failures lock the account, as vendors do (about 30 minutes by default).
 */
import { createHash, randomBytes } from 'node:crypto';

export interface AuthOptions {
  username: string;
  password: string;
  /** Allowed |Created − camera clock| (ms); cameras use a few seconds. */
  createdWindowMs: number;
  /** Failed logins that lock the account … */
  lockoutAfter: number;
  /** … for this long (ms). */
  lockoutMs: number;
}

export type AuthResult = 'ok' | 'none' | 'bad' | 'locked';

const tag = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<(?:[\\w-]+:)?${name}\\b[^>]*>([^<]*)</(?:[\\w-]+:)?${name}>`).exec(xml);
  return m ? m[1]!.trim() : undefined;
};

export class CameraAuth {
  failedLogins = 0;
  successfulLogins = 0;
  private consecutiveFailures = 0;
  private lockedUntil = 0;
  private readonly nonces = new Set<string>();
  private readonly digestNonces = new Set<string>();
  readonly realm = 'yiwang-test-camera';

  constructor(readonly opts: AuthOptions) {}

  get lockedOut(): boolean {
    return Date.now() < this.lockedUntil;
  }

  private fail(): AuthResult {
    this.failedLogins++;
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.opts.lockoutAfter) this.lockedUntil = Date.now() + this.opts.lockoutMs;
    return this.lockedOut ? 'locked' : 'bad';
  }

  private succeed(): AuthResult {
    this.consecutiveFailures = 0;
    this.successfulLogins++;
    return 'ok';
  }

  /** Checks the WS-Security header of a SOAP request against the camera's clock (`nowMs`). */
  checkWsSecurity(xml: string, nowMs: number): AuthResult {
    if (!/<(?:[\w-]+:)?UsernameToken\b/.test(xml)) return 'none';
    if (this.lockedOut) return this.fail();
    const user = tag(xml, 'Username');
    const digest = tag(xml, 'Password');
    const nonce = tag(xml, 'Nonce');
    const created = tag(xml, 'Created');
    if (!user || !digest || !nonce || !created) return this.fail();
    const createdMs = Date.parse(created);
    if (!Number.isFinite(createdMs) || Math.abs(createdMs - nowMs) > this.opts.createdWindowMs) return this.fail();
    if (this.nonces.has(nonce)) return this.fail();
    const want = createHash('sha1')
      .update(
        Buffer.concat([
          Buffer.from(nonce, 'base64'),
          Buffer.from(created, 'ascii'),
          Buffer.from(this.opts.password, 'ascii'),
        ]),
      )
      .digest('base64');
    if (user !== this.opts.username || want !== digest) return this.fail();
    this.nonces.add(nonce);
    if (this.nonces.size > 10_000) this.nonces.clear();
    return this.succeed();
  }

  /** A fresh `WWW-Authenticate` challenge. */
  challenge(): string {
    const nonce = randomBytes(12).toString('hex');
    this.digestNonces.add(nonce);
    if (this.digestNonces.size > 1000) this.digestNonces.delete(this.digestNonces.values().next().value as string);
    return `Digest realm="${this.realm}", qop="auth", nonce="${nonce}", algorithm=MD5`;
  }

  /** Checks an HTTP `Authorization: Digest …` header. */
  checkDigest(header: string | undefined, method: string): AuthResult {
    if (!header?.startsWith('Digest ')) return 'none';
    if (this.lockedOut) return this.fail();
    const p: Record<string, string> = {};
    for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1]!] = m[2] ?? m[3]!; // one of the two alternatives matched
    if (!p.nonce || !this.digestNonces.has(p.nonce)) return this.fail();
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${this.opts.username}:${this.realm}:${this.opts.password}`);
    const ha2 = md5(`${method}:${p.uri}`);
    const want = p.qop ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
    if (p.username !== this.opts.username || p.response !== want) return this.fail();
    return this.succeed();
  }
}
