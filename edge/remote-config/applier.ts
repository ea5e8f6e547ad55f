/**
 * Applies desired configurations at the edge (docs/reference/config-rollout.md): verify the
 * Ed25519 signature with the key pinned at provisioning, check gateway and version (never older:
 * no silent rollback), validate, health-check, then commit atomically (temp file, fsync, rename)
 * and apply; on any failure the running config stays. Every message is answered with a
 * ConfigStatus. The last good config is loaded at start, so it survives restarts without a cloud.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../../common/log.js';
import { isYiwangError } from '../../common/errors.js';
import { pb, ConfigState } from '../../proto/index.js';
import { configKeyIdOf, verifyConfig } from '../../proto/config-signing.js';
import { parseDesiredConfig, type DesiredConfig } from './schema.js';

export interface RunningConfig {
  version: number;
  toml: string;
  label: string;
  appliedMs: number;
}

export interface ApplierOptions {
  gatewayId: string;
  /** Raw 32-byte Ed25519 key pinned at provisioning (or the one a key transition led to since). */
  publicKey: Buffer;
  /**
   * Called when a configuration came signed by a newer key that key transitions signed by the
   * pinned key lead to: the new key is pinned from then on (the caller keeps it across restarts).
   */
  onNewKey?: (newKey: Buffer, oldKey: Buffer) => void;
  /** Where the last good config is kept (JSON). */
  file: string;
  log: Logger;
  /** Health check of a validated config on this gateway: a problem, or undefined when fine. */
  check?: (c: DesiredConfig) => string | undefined;
  /** Puts a config into effect; throwing counts as failed (the previous one is applied again). */
  apply?: (c: DesiredConfig) => void;
  /** Detail reported with APPLIED (e.g. keys this agent does not act on). */
  note?: (c: DesiredConfig) => string;
  /** Sends an encoded ConfigStatus. */
  report?: (status: Buffer) => void;
}

export interface ApplyOutcome {
  state: 'applied' | 'failed' | 'rejected';
  code: string;
  detail: string;
  version: number;
}

/** Writes `data` to `file` (0600) via a temporary file, fsync and rename, then fsyncs the directory. */
export function writeAtomically(file: string, data: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dfd = openSync(dirname(file), 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

export class ConfigApplier {
  running: RunningConfig | null = null;
  lastError: { code: string; detail: string; version: number } | null = null;
  private current: DesiredConfig | null = null;
  private readonly log: Logger;
  /** The config-signing key pinned now (raw Ed25519). */
  pinnedKey: Buffer;

  constructor(private readonly o: ApplierOptions) {
    this.log = o.log.child({ component: 'remote-config', gatewayId: o.gatewayId });
    this.pinnedKey = o.publicKey;
  }

  /** Loads and applies the last good config (if any). */
  load(): RunningConfig | null {
    if (!existsSync(this.o.file)) return null;
    try {
      const r = JSON.parse(readFileSync(this.o.file, 'utf8')) as RunningConfig;
      const c = parseDesiredConfig(r.toml);
      this.o.apply?.(c);
      this.running = r;
      this.current = c;
      this.log.info({ version: r.version, label: r.label }, 'last good config applied');
    } catch (err) {
      this.log.error(
        { code: isYiwangError(err) ? err.code : 'EDGE_ERR_CONFIG_INVALID', err: (err as Error).message },
        'stored config unusable; running without a remote config',
      );
    }
    return this.running;
  }

  get config(): DesiredConfig | null {
    return this.current;
  }

  handle(envelope: Buffer): ApplyOutcome {
    const out = this.decide(envelope);
    if (out.state === 'applied') this.lastError = null;
    else {
      this.lastError = { code: out.code, detail: out.detail, version: out.version };
      this.log.warn(
        {
          code: out.code,
          version: out.version,
          state: out.state,
          detail: out.detail,
          running: this.running?.version ?? 0,
        },
        'desired config not applied; running config kept',
      );
    }
    const state =
      out.state === 'applied'
        ? ConfigState.APPLIED
        : out.state === 'failed'
          ? ConfigState.FAILED
          : ConfigState.REJECTED;
    this.o.report?.(
      Buffer.from(
        pb.ConfigStatus.encode({
          version: out.version,
          state,
          errorCode: out.code,
          detail: out.detail,
          runningVersion: this.running?.version ?? 0,
          tsMs: Date.now(),
        }).finish(),
      ),
    );
    return out;
  }

  /** A key transition signed by the pinned key: the new key is pinned, the old one no longer accepted. */
  private repin(newKey: Buffer): void {
    const old = this.pinnedKey;
    this.pinnedKey = newKey;
    this.log.info(
      { oldKeyId: configKeyIdOf(old), newKeyId: configKeyIdOf(newKey) },
      'config-signing key rotated by the cloud (transition signed by the pinned key): the new key is pinned',
    );
    try {
      this.o.onNewKey?.(newKey, old);
    } catch (err) {
      this.log.error(
        { code: 'EDGE_ERR_CONFIG_KEY_STORE', err: (err as Error).message },
        'the new config-signing key could not be stored; pinned until the agent restarts',
      );
    }
  }

  private decide(envelope: Buffer): ApplyOutcome {
    const v = verifyConfig(envelope, this.pinnedKey);
    if (!v.ok) {
      return v.reason === 'bad_signature'
        ? {
            state: 'rejected',
            code: 'EDGE_ERR_CONFIG_SIGNATURE',
            detail: 'signature does not verify with the pinned fleet key',
            version: 0,
          }
        : {
            state: 'rejected',
            code: 'EDGE_ERR_CONFIG_UNSIGNED',
            detail: v.reason === 'unsigned' ? 'no signature' : 'not a ConfigEnvelope',
            version: 0,
          };
    }
    if (v.newKey) this.repin(v.newKey);
    const doc = v.doc,
      version = Number(doc.version);
    if (doc.gatewayId !== this.o.gatewayId)
      return {
        state: 'rejected',
        code: 'EDGE_ERR_CONFIG_GATEWAY',
        detail: `document is for ${doc.gatewayId}`,
        version,
      };
    const running = this.running;
    if (running && version < running.version)
      return {
        state: 'rejected',
        code: 'EDGE_ERR_CONFIG_VERSION',
        detail: `version ${version} is older than the running ${running.version}`,
        version,
      };
    if (running && version === running.version) {
      return running.toml === doc.toml
        ? { state: 'applied', code: '', detail: 'already running', version }
        : {
            state: 'rejected',
            code: 'EDGE_ERR_CONFIG_VERSION',
            detail: `version ${version} is running with other content`,
            version,
          };
    }
    let cfg: DesiredConfig;
    try {
      cfg = parseDesiredConfig(doc.toml);
    } catch (err) {
      return {
        state: 'failed',
        code: isYiwangError(err) ? err.code : 'EDGE_ERR_CONFIG_INVALID',
        detail: (err as Error).message,
        version,
      };
    }
    const problem = this.o.check?.(cfg);
    if (problem) return { state: 'failed', code: 'EDGE_ERR_CONFIG_UNHEALTHY', detail: problem, version };
    const next: RunningConfig = { version, toml: doc.toml, label: doc.label, appliedMs: Date.now() };
    try {
      this.o.apply?.(cfg);
    } catch (err) {
      if (this.current) {
        try {
          this.o.apply?.(this.current);
        } catch {
          /* the previous one applied before */
        }
      }
      return {
        state: 'failed',
        code: 'EDGE_ERR_CONFIG_UNHEALTHY',
        detail: `apply failed: ${(err as Error).message}`,
        version,
      };
    }
    try {
      writeAtomically(this.o.file, JSON.stringify(next));
    } catch (err) {
      if (this.current) {
        try {
          this.o.apply?.(this.current);
        } catch {
          /* keep going */
        }
      }
      return {
        state: 'failed',
        code: 'EDGE_ERR_STORE',
        detail: `cannot keep the config: ${(err as Error).message}`,
        version,
      };
    }
    this.running = next;
    this.current = cfg;
    const detail = this.o.note?.(cfg) ?? '';
    this.log.info({ version, label: doc.label, ...(detail ? { detail } : {}) }, 'desired config applied');
    return { state: 'applied', code: '', detail, version };
  }
}
