/** `yiwang-edge run`: the agent itself (what the systemd unit starts). */
import type { Command } from 'commander';
import { loadEdgeConfig } from '../config.js';
import { serveUntilSignalled } from '../../common/cli-support.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run the edge agent (CoAP uplinks → SQLite store → MQTT to the cloud)')
    .action(async () => {
      const { config } = program.opts<{ config?: string }>();
      // imported here: the other commands start fast without loading every adapter
      const { EdgeAgent } = await import('../agent.js');
      const agent = await EdgeAgent.start(loadEdgeConfig(config));
      serveUntilSignalled({ coapPort: agent.coap.port, socket: agent.api.socketPath, epoch: agent.store.epoch }, () => agent.stop());
    });
}
