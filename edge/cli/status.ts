/** `yiwang-edge status`: one screen from the running agent's local API. */
import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { loadEdgeConfig } from '../config.js';
import { localApiGet } from './local-api-client.js';
import type { AgentStatus } from '../api/status.js';

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
const ago = (ms: number | null): string => (ms === null ? 'never' : `${Math.round((Date.now() - ms) / 1000)} s ago`);

export function render(s: AgentStatus): string {
  const lines = [
    `gateway   ${s.gatewayId}  (agent ${s.version}, up ${s.uptimeS} s)`,
    `uplink    ${s.uplink.state}  ${s.uplink.url}  last ack ${ago(s.uplink.lastAckAt)}${s.uplink.lastError ? `  error ${s.uplink.lastError.code}: ${s.uplink.lastError.message}` : ''}`,
    `backlog   ${s.store.rows} readings, ${mb(s.store.bytes)} of ${mb(s.store.capBytes)} cap (${s.store.pendingRows} unsent, ${s.store.unackedBatches} batches awaiting ack), oldest ${s.store.oldestAgeMs === null ? '-' : `${Math.round(s.store.oldestAgeMs / 1000)} s old`}`,
    `dropped   cap ${s.store.dropped.cap}, age ${s.store.dropped.ttl}, rejected by cloud ${s.store.dropped.rejected}`,
    `delivered ${s.uplink.readingsAcked} readings in ${s.uplink.batchesAcked} batches (${s.uplink.resends} resends, ${s.uplink.timeouts} timeouts), ${s.uplink.drainRate.toFixed(0)}/s, batch size ${s.uplink.batchSize}${s.uplink.budgetExhausted ? ', DAILY BUDGET SPENT (alarms only)' : ''}`,
    `clock     ${s.clock.synced ? 'synchronised' : `NOT synchronised (${s.store.heldUnsynced} readings held for correction)`} (${s.clock.source})${s.clock.steps ? `, ${s.clock.steps} steps seen` : ''}`,
    `coap      port ${s.coap.port}: ${s.coap.uplinks} uplinks, ${s.coap.readings} readings, ${s.coap.rejected} rejected, ${s.coap.storeErrors} store errors`,
    `devices   ${s.devices.length} heard since start`,
  ];
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('status')
    .description('one screen: uplink, backlog, devices (needs the running agent)')
    .action(async () => {
      const { config, json } = program.opts<{ config?: string; json?: boolean }>();
      const c = loadEdgeConfig(config);
      const socket = c.api.socket || join(dirname(c.store.path), 'agent.sock');
      const s = await localApiGet<AgentStatus>(socket, '/v1/status');
      console.log(json ? JSON.stringify(s, null, 2) : render(s));
    });
}
