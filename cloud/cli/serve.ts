/** `yiwang-cloud serve`: broker + ingest + HTTP API. */
import { Option, type Command } from 'commander';
import type { LevelWithSilent } from 'pino';
import { loadCloudConfig } from '../config.js';
import { CloudServer } from '../server.js';
import { guardStdio, runService } from '../../common/service-lifecycle.js';
import { colorFor, createLogger, LOG_FORMATS, logFormat } from '../../common/log.js';
import { FdDestination } from '../../common/log-destination.js';
import { cloudBanner } from './serve-banner.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'run the cloud: MQTT broker with ingest, HTTP API; one process per SQLite store (a second is refused); on a terminal it prints its addresses and human log lines, elsewhere JSON lines on stderr',
    )
    .addOption(
      new Option(
        '--log-format <format>',
        'log lines on stderr: auto (human on a terminal, JSON otherwise and with --json), json, pretty',
      )
        .choices(LOG_FORMATS)
        .default('auto'),
    )
    .action(async (opts: { logFormat: string }, cmd: Command) => {
      guardStdio();
      const { config: file, json } = cmd.optsWithGlobals<{ config?: string; json?: boolean }>();
      const config = loadCloudConfig(file);
      const format = logFormat(opts.logFormat, json);
      const out = new FdDestination(2);
      const log = createLogger({
        name: 'yiwang-cloud',
        level: config.log.level as LevelWithSilent,
        destination: out,
        format,
      });
      const cloud = await CloudServer.start(config, log);
      if (format === 'pretty') out.write(cloudBanner(cloud, colorFor()));
      runService({
        ready: { mqttPort: cloud.broker.port, httpPort: cloud.api.port },
        stop: () => cloud.stop(),
        log,
        flushLogs: (ms) => out.flush(ms),
        timeoutCode: 'CLOUD_ERR_STOP_TIMEOUT',
        what: 'cloud',
      });
    });
}
