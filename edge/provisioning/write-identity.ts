/**
 * Writes a provisioned identity into the agent's config file (keeping its other settings) and
 * the fleet CA beside it. The file is replaced atomically; a new file is readable by its owner
 * only, a replaced one keeps its owner, group and mode less the bits for others (root:yiwang 0640 in the install guide, so
 * the agent's user can still read it after `provision` ran as root).
 */
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { parseToml } from '../../common/toml-read.js';
import type { Identity } from './claim-client.js';
import { makePrivateDir } from '../../common/private-files.js';
import { tomlStringify } from '../../common/toml-write.js';

export interface WrittenIdentity {
  file: string;
  caFile: string;
  cloudUrl: string;
  /** cloud.urls of the file, removed because the written cloud.url is not its first entry (they would conflict). */
  droppedUrls: string[];
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeIdentity(file: string, id: Identity, usedUrl: string, useTls: boolean): WrittenIdentity {
  const doc = (existsSync(file) ? parseToml(readFileSync(file, 'utf8'), file) : {}) as Record<
    string,
    Record<string, unknown>
  >;
  makePrivateDir(dirname(file)); // 0700 when created here; an existing /etc/yiwang keeps its mode (install guide)
  const caFile = join(dirname(file), 'fleet-ca.crt');
  writeFileSync(caFile, id.caPem);
  fsyncPath(caFile);
  const cloudUrl = useTls && id.tlsUrl ? withHost(id.tlsUrl, usedUrl) : usedUrl;
  doc.gateway = {
    ...doc.gateway,
    id: id.gatewayId,
    secret: id.secret,
    group: id.group,
    config_key: id.configPublicKey.toString('base64'),
    ...(id.site ? { site: id.site } : {}),
  };
  // a broker list (cloud.urls) must start with cloud.url: one that does not (the claim switched to
  // the TLS listener, or --cloud-url named another broker) is removed, and the caller says so
  const urls = doc.cloud?.urls;
  const droppedUrls = Array.isArray(urls) && urls.length > 0 && urls[0] !== cloudUrl ? urls.map(String) : [];
  const { urls: _urls, ...cloud } = doc.cloud ?? {};
  doc.cloud = { ...(droppedUrls.length > 0 ? cloud : doc.cloud), url: cloudUrl, ca_file: caFile };
  const before = existsSync(file) ? statSync(file) : undefined;
  const tmp = `${file}.tmp`;
  // A stale .tmp (an earlier run that died) is removed first: `mode` applies only to a file it creates.
  rmSync(tmp, { force: true });
  writeFileSync(
    tmp,
    `# Yiwang edge agent configuration (docs/reference/config.md); gateway identity written by yiwang-edge provision\n${tomlStringify(doc)}`,
    { mode: 0o600, flag: 'wx' },
  );
  if (before) {
    // chmod after chown: chown may clear bits; a non-root user may only keep its own uid/group
    try {
      chownSync(tmp, before.uid, before.gid);
    } catch {
      /* not permitted: the file stays the writer's */
    }
    chmodSync(tmp, before.mode & 0o770); // never world-readable: it now holds the secret
  }
  // On disk before the rename, and the rename itself after it: a power cut leaves the old file or the new one.
  fsyncPath(tmp);
  renameSync(tmp, file);
  fsyncPath(dirname(file));
  return { file, caFile, cloudUrl, droppedUrls };
}

/** The TLS URL the cloud handed out, but with the host the technician reached it by (same machine, other name). */
function withHost(tlsUrl: string, usedUrl: string): string {
  try {
    const t = new URL(tlsUrl),
      u = new URL(usedUrl);
    if (['localhost', '0.0.0.0'].includes(t.hostname)) t.hostname = u.hostname;
    return t.toString().replace(/\/$/, '');
  } catch {
    return tlsUrl;
  }
}
