/**
 * Alarm snapshots: fetched from the camera's snapshot URI (HTTP, digest or basic auth, short
 * timeout) and kept under one directory bounded in bytes — the oldest files go first.
 * Events reference a snapshot by its file name.
 */
import { request } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { makePrivateDir } from '../../../common/private-files.js';
import { join } from 'node:path';
import { YiwangError } from '../../../common/errors.js';
import type { Secret } from './secret.js';

interface Resp {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: URL, headers: Record<string, string>, timeoutMs: number, maxBytes: number): Promise<Resp> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let n = 0;
      res.on('data', (c: Buffer) => {
        n += c.length;
        if (n > maxBytes) {
          req.destroy(new Error(`snapshot larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function digestHeader(challenge: string, user: string, pass: string, method: string, uri: string): string {
  const p: Record<string, string> = {};
  for (const m of challenge.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g))
    p[m[1]!] = m[2] ?? m[3]!;
  const algo = (p.algorithm ?? 'MD5').toUpperCase() === 'SHA-256' ? 'sha256' : 'md5';
  const h = (s: string): string => createHash(algo).update(s).digest('hex');
  const ha1 = h(`${user}:${p.realm}:${pass}`);
  const ha2 = h(`${method}:${uri}`);
  const qop = p.qop
    ?.split(',')
    .map((s) => s.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = qop ? h(`${ha1}:${p.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${p.nonce}:${ha2}`);
  return (
    `Digest username="${user}", realm="${p.realm}", nonce="${p.nonce}", uri="${uri}", response="${response}"` +
    (p.algorithm ? `, algorithm=${p.algorithm}` : '') +
    (qop ? `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"` : '') +
    (p.opaque ? `, opaque="${p.opaque}"` : '')
  );
}

/** GET with the camera's credentials: tries without, then answers a Digest (or Basic) challenge. */
export async function fetchSnapshot(
  uri: string,
  user: string,
  pass: Secret,
  timeoutMs: number,
  maxBytes = 8 << 20,
): Promise<Buffer> {
  const url = new URL(uri);
  if (url.protocol !== 'http:')
    throw new YiwangError('CAMERA_ERR_SNAPSHOT', `unsupported snapshot URI scheme ${url.protocol}`);
  const path = url.pathname + url.search;
  try {
    let r = await get(url, {}, timeoutMs, maxBytes);
    if (r.status === 401) {
      const ch = ([] as string[]).concat(r.headers['www-authenticate'] ?? []).join(', ');
      const auth = /digest/i.test(ch)
        ? digestHeader(ch, user, pass.reveal(), 'GET', path)
        : `Basic ${Buffer.from(`${user}:${pass.reveal()}`).toString('base64')}`;
      r = await get(url, { authorization: auth }, timeoutMs, maxBytes);
    }
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    if (r.body.length < 4 || r.body[0] !== 0xff || r.body[1] !== 0xd8) throw new Error('not a JPEG');
    return r.body;
  } catch (e) {
    if (e instanceof YiwangError) throw e;
    throw new YiwangError('CAMERA_ERR_SNAPSHOT', `${url.host}${url.pathname}: ${(e as Error).message}`, { cause: e });
  }
}

/** A directory of snapshots bounded in bytes (oldest removed first). */
export class SnapshotStore {
  private readonly files: { name: string; bytes: number }[] = [];
  private total = 0;
  evicted = 0;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {
    makePrivateDir(dir); // 0700 when created here (issue 16); an existing snapshot_dir keeps its mode
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith('.jpg'))
      .sort()) {
      const bytes = statSync(join(dir, name)).size;
      this.files.push({ name, bytes });
      this.total += bytes;
    }
    this.trim();
  }

  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.files.length;
  }

  /** Stores a JPEG; returns its reference (file name, sortable by time). */
  put(deviceId: string, tsMs: number, jpeg: Buffer): string {
    const name = `${String(tsMs).padStart(14, '0')}-${deviceId.replace(/[^\w.-]/g, '_')}-${randomBytes(3).toString('hex')}.jpg`;
    writeFileSync(join(this.dir, name), jpeg, { mode: 0o600 });
    this.files.push({ name, bytes: jpeg.length });
    this.total += jpeg.length;
    this.trim();
    return name;
  }

  private trim(): void {
    while (this.total > this.maxBytes && this.files.length > 0) {
      const f = this.files.shift()!;
      try {
        unlinkSync(join(this.dir, f.name));
      } catch {
        /* already gone */
      }
      this.total -= f.bytes;
      this.evicted++;
    }
  }
}
