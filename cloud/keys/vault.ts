/**
 * The private keys the cloud keeps in pki.dir, sealed under the KEK when one is configured:
 * `<name>.sealed` (cloud/keys/envelope.ts), never `<name>` in clear. Without a KEK they stay
 * clear 0600 files, as before (the zero-setup demo), and the cloud warns and says so in its status.
 * A clear key found with a KEK configured is sealed and the clear file overwritten and removed
 * (migration), with a log line.
 */
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/log.js';
import { YiwangError } from '../../common/errors.js';
import type { SealAlgorithm } from './algorithms.js';
import { openEnvelope, parseEnvelope, sealKey } from './envelope.js';
import { readBounded, wipe, writeAtomic } from './files.js';
import { kekId, type Kek, type KekSource } from './kek.js';

export const SEALED_SUFFIX = '.sealed';
/** The journal of a KEK rotation under way (cloud/keys/rotate.ts). */
export const ROTATION_JOURNAL = 'kek-rotation.json';

export interface KeyFileStatus {
  name: string;
  state: 'sealed' | 'clear';
  alg?: SealAlgorithm;
  kekId?: string;
}

export interface KeysStatus {
  /** True when every private key in pki.dir is sealed under a configured KEK. */
  sealed: boolean;
  algorithm: SealAlgorithm;
  kek: { source: KekSource; where: string; id: string } | null;
  files: KeyFileStatus[];
  /** Clear keys sealed by this start (migration). */
  migrated: string[];
  warning?: string;
}

export class KeyVault {
  readonly migrated: string[] = [];

  constructor(
    readonly dir: string,
    readonly kek: Kek | undefined,
    readonly algorithm: SealAlgorithm,
    private readonly log?: Logger,
  ) {
    if (existsSync(join(dir, ROTATION_JOURNAL))) {
      const j = readBounded(join(dir, ROTATION_JOURNAL)).toString('utf8');
      throw new YiwangError(
        'CLOUD_ERR_KEK_ROTATION_INCOMPLETE',
        `${join(dir, ROTATION_JOURNAL)}: a KEK rotation was interrupted (${j.trim()}); finish it with \`yiwang-cloud kek rotate\` or undo it with --revert`,
      );
    }
  }

  /** The key `name` (its file's bytes, e.g. PEM), or undefined when there is none yet. */
  read(name: string): Buffer | undefined {
    const sealedPath = join(this.dir, name + SEALED_SUFFIX);
    const clearPath = join(this.dir, name);
    for (const tmp of [`${sealedPath}.tmp`, `${clearPath}.tmp`]) if (existsSync(tmp)) unlinkSync(tmp); // a write cut short
    if (existsSync(sealedPath)) {
      if (!this.kek)
        throw new YiwangError(
          'CLOUD_ERR_KEK_MISSING',
          `${sealedPath} is sealed but keys.kek is empty: configure the KEK it was sealed under`,
        );
      const env = parseEnvelope(readBounded(sealedPath).toString('utf8'), sealedPath);
      const plain = openEnvelope(env, this.kek, sealedPath, name);
      if (existsSync(clearPath)) {
        // a migration cut short between writing the sealed file and removing the clear one
        if (!readBounded(clearPath).equals(plain))
          throw new YiwangError(
            'CLOUD_ERR_KEY_CONFLICT',
            `${clearPath} (clear) and ${sealedPath} (sealed) hold different keys`,
          );
        wipe(clearPath);
        this.log?.info({ file: clearPath }, 'keys at rest: removed the clear copy left by an interrupted sealing');
      }
      if (env.alg !== this.algorithm) {
        this.seal(name, plain);
        this.log?.info(
          { file: sealedPath, from: env.alg, to: this.algorithm },
          'keys at rest: re-sealed with keys.algorithm',
        );
      }
      return plain;
    }
    if (!existsSync(clearPath)) return undefined;
    const plain = readBounded(clearPath);
    if (this.kek) {
      this.seal(name, plain);
      wipe(clearPath);
      this.migrated.push(name);
      this.log?.warn(
        { file: clearPath, sealed: sealedPath, algorithm: this.algorithm, kekId: kekId(this.kek, this.algorithm) },
        'keys at rest: sealed a clear private key under the KEK; the clear file was overwritten and removed',
      );
    }
    return plain;
  }

  /** Stores the key `name`: sealed under the KEK (a clear file of that name is wiped), or a clear 0600 file without one. */
  write(name: string, data: Buffer): void {
    if (!this.kek) {
      if (existsSync(join(this.dir, name + SEALED_SUFFIX)))
        throw new YiwangError(
          'CLOUD_ERR_KEK_MISSING',
          `${join(this.dir, name + SEALED_SUFFIX)} is sealed but keys.kek is empty: configure the KEK it was sealed under`,
        );
      return writeAtomic(join(this.dir, name), data);
    }
    this.seal(name, data);
    const clear = join(this.dir, name);
    if (existsSync(clear)) wipe(clear); // a clear version it replaces never stays behind
  }

  private seal(name: string, data: Buffer): void {
    const kek = this.kek!;
    const path = join(this.dir, name + SEALED_SUFFIX);
    writeAtomic(path, sealKey(name, data, kek, this.algorithm));
    // read back before anything clear is removed: a sealing that does not open is never trusted
    const back = openEnvelope(parseEnvelope(readBounded(path).toString('utf8'), path), kek, path, name);
    if (!back.equals(data)) throw new YiwangError('CLOUD_ERR_KEY_UNSEAL', `${path} did not read back as written`);
  }

  status(): KeysStatus {
    const files = scanKeyFiles(this.dir);
    const sealed = !!this.kek && files.every((f) => f.state === 'sealed');
    const clear = files.filter((f) => f.state === 'clear').map((f) => f.name);
    const warning = !this.kek
      ? 'no keys.kek configured: the private keys in pki.dir (fleet CA, config-signing key) are clear files; set keys.kek'
      : clear.length
        ? `clear private key files in pki.dir although keys.kek is set: ${clear.join(', ')}`
        : undefined;
    return {
      sealed,
      algorithm: this.algorithm,
      kek: this.kek ? { source: this.kek.source, where: this.kek.where, id: kekId(this.kek, this.algorithm) } : null,
      files,
      migrated: [...this.migrated],
      ...(warning ? { warning } : {}),
    };
  }
}

/** The private key files of a directory: `*.key` (clear) and `*.sealed`. */
export function scanKeyFiles(dir: string): KeyFileStatus[] {
  if (!existsSync(dir)) return [];
  const out: KeyFileStatus[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith(SEALED_SUFFIX)) {
      const path = join(dir, f);
      try {
        const e = parseEnvelope(readBounded(path).toString('utf8'), path);
        out.push({ name: f.slice(0, -SEALED_SUFFIX.length), state: 'sealed', alg: e.alg, kekId: e.kek });
      } catch {
        out.push({ name: f.slice(0, -SEALED_SUFFIX.length), state: 'sealed' });
      }
    } else if (f.endsWith('.key')) out.push({ name: f, state: 'clear' });
  }
  return out;
}
