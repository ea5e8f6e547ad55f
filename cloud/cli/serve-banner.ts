/** The lines `yiwang-cloud serve` prints on a terminal once it is up: what listens where. */
import { VERSION } from '../../common/version.js';
import { safeText } from '../../common/log-pretty.js';
import { allInterfaces as any, urlHost } from '../../common/url-host.js';
import type { CloudServer } from '../server.js';

/** A database URL without its password. */
const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
};

/** How the private keys are kept at rest (docs/reference/security.md, "Keys at rest"). */
function keysLine(cloud: CloudServer): string {
  const k = cloud.pki.vault.status();
  if (!k.kek) return 'CLEAR on disk: no keys.kek (see docs/reference/security.md)';
  const clear = k.files.filter((f) => f.state === 'clear').map((f) => f.name);
  return `sealed ${k.algorithm}, KEK ${k.kek.source}:${k.kek.where} (id ${k.kek.id})${clear.length ? `; CLEAR: ${clear.join(', ')}` : ''}`;
}

export function cloudBanner(cloud: CloudServer, color: boolean): string {
  const c = cloud.config;
  const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[0m` : s);
  const http = `${c.http.tls ? 'https' : 'http'}://${urlHost(c.http.host)}:${cloud.api.port}`;
  const rows: [string, string][] = [
    ['dashboard', `${http}/${any(c.http.host)}`],
    [
      'API',
      `${http}/api/v1/gateways   ${http}/api/v1/devices${c.http.api_token ? '   (bearer token: http.api_token)' : ''}`,
    ],
    ['MQTT', `mqtt://${urlHost(c.mqtt.host)}:${cloud.broker.port}${any(c.mqtt.host)}`],
    ...(cloud.broker.tlsPort
      ? [['MQTT TLS', `mqtts://${urlHost(c.tls.host)}:${cloud.broker.tlsPort}${any(c.tls.host)}`] as [string, string]]
      : []),
    [
      'store',
      c.store.backend === 'postgres'
        ? `postgres ${redactUrl(c.store.postgres_url)} (node ${cloud.stores.nodeId}${cloud.jobs.isLeader ? ', leader' : ''})`
        : c.store.path,
    ],
    ['keys', keysLine(cloud)],
  ];
  return [
    bold(`Yiwang cloud ${VERSION} (pid ${process.pid})`),
    ...rows.map(([k, v]) => `  ${k.padEnd(10)} ${safeText(v)}`),
    'Ctrl-C stops it.',
    '',
  ].join('\n');
}
