/** `yiwang-cloud serve`: broker + ingest + HTTP API. */
import type { Command } from 'commander';
import { loadCloudConfig } from '../config.js';
import { CloudServer } from '../server.js';
import { serveUntilSignalled } from '../../common/cli-support.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the cloud: MQTT broker with ingest, HTTP API')
    .action(async () => {
      const { config } = program.opts<{ config?: string }>();
      const cloud = await CloudServer.start(loadCloudConfig(config));
      serveUntilSignalled({ mqttPort: cloud.broker.port, httpPort: cloud.api.port }, () => cloud.stop());
    });
}
