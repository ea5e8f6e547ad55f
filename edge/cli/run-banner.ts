/** The lines `yiwang-edge run` prints on a terminal once the agent is up: what listens where. */
import { VERSION } from '../../common/version.js';
import { allInterfaces as any, urlHost } from '../../common/url-host.js';
import { safeText } from '../../common/log-pretty.js';
import type { EdgeAgent } from '../agent.js';

export function edgeBanner(agent: EdgeAgent, color: boolean): string {
  const c = agent.config;
  const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[0m` : s);
  const coap = `coap://${urlHost(c.coap.host)}:${agent.coap.port}`;
  const hj212 = agent.adapters.find((a) => a.name === 'hj212') as { port?: number } | undefined;
  const rows: [string, string][] = [
    ['CoAP uplink', `${coap}/senml/{device}   ${coap}/raw/{layout}/{device}${any(c.coap.host)}`],
    ...(agent.lwm2m ? [['LwM2M', `${coap}/rd`] as [string, string]] : []),
    ...(hj212?.port
      ? [['HJ 212', `tcp://${urlHost(c.hj212.host)}:${hj212.port}${any(c.hj212.host)}`] as [string, string]]
      : []),
    // several brokers (cloud.urls): listed in the order the uplink tries them
    ['cloud', c.cloud.urls.length > 1 ? `${c.cloud.urls.join('  ')}   (in turn when one is unreachable)` : c.cloud.url],
    ['local API', `${agent.api.socketPath}   (yiwang-edge status, devices, logs)`],
    ['store', c.store.path],
  ];
  const site = c.gateway.site ? `, ${c.gateway.site}` : '';
  return [
    bold(safeText(`Yiwang edge agent ${VERSION} — gateway ${c.gateway.id}${site} (pid ${process.pid})`)),
    ...rows.map(([k, v]) => `  ${k.padEnd(12)} ${safeText(v)}`),
    'Ctrl-C stops it.',
    '',
  ].join('\n');
}
