/**
 * Writes a provisioned identity into the agent's config file (keeping its other settings) and
 * the fleet CA beside it; the file is replaced atomically and readable by its owner only.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import TOML from '@iarna/toml';
import type { Identity } from './claim-client.js';

export interface WrittenIdentity { file: string; caFile: string; cloudUrl: string }

export function writeIdentity(file: string, id: Identity, usedUrl: string, useTls: boolean): WrittenIdentity {
  const doc = (existsSync(file) ? TOML.parse(readFileSync(file, 'utf8')) : {}) as Record<string, Record<string, unknown>>;
  mkdirSync(dirname(file), { recursive: true });
  const caFile = join(dirname(file), 'fleet-ca.crt');
  writeFileSync(caFile, id.caPem);
  const cloudUrl = useTls && id.tlsUrl ? withHost(id.tlsUrl, usedUrl) : usedUrl;
  doc.gateway = { ...doc.gateway, id: id.gatewayId, secret: id.secret, group: id.group, config_key: id.configPublicKey.toString('base64'), ...(id.site ? { site: id.site } : {}) };
  doc.cloud = { ...doc.cloud, url: cloudUrl, ca_file: caFile };
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `# Yiwang edge agent configuration (docs/reference/config.md); gateway identity written by yiwang-edge provision\n${TOML.stringify(doc as TOML.JsonMap)}`, { mode: 0o600 });
  renameSync(tmp, file);
  return { file, caFile, cloudUrl };
}

/** The TLS URL the cloud handed out, but with the host the technician reached it by (same machine, other name). */
function withHost(tlsUrl: string, usedUrl: string): string {
  try {
    const t = new URL(tlsUrl), u = new URL(usedUrl);
    if (['localhost', '0.0.0.0'].includes(t.hostname)) t.hostname = u.hostname;
    return t.toString().replace(/\/$/, '');
  } catch {
    return tlsUrl;
  }
}
