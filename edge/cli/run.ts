/** `yiwang-edge run`: the agent itself (what the systemd unit starts). */
import { Option, type Command } from 'commander';
import type { LevelWithSilent } from 'pino';
import { loadEdgeConfig } from '../config.js';
import { guardStdio, runService } from '../../common/service-lifecycle.js';
import { colorFor, createLogger, LOG_FORMATS, logFormat } from '../../common/log.js';
import { FdDestination } from '../../common/log-destination.js';
import { globals } from './output.js';

export function register(program: Command): void {
  program
    .command('run')
    .description(
      'run the edge agent (CoAP uplinks → SQLite store → MQTT to the cloud); one agent per store (a second is refused); on a terminal it prints its addresses and human log lines, elsewhere JSON lines on stderr',
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
      const { config: file, json } = globals(cmd);
      const config = loadEdgeConfig(file);
      // imported here: the other commands start fast without loading every adapter
      const { EdgeAgent } = await import('../agent.js');
      const { LogRing } = await import('../log-ring.js');
      const { edgeBanner } = await import('./run-banner.js');
      const format = logFormat(opts.logFormat, json);
      const out = new FdDestination(2);
      // JSON lines also go to the ring that `yiwang-edge logs` reads, whatever the format on stderr
      const logs = new LogRing();
      const log = createLogger({
        name: 'yiwang-edge',
        level: config.log.level as LevelWithSilent,
        destination: out,
        format,
        tee: logs,
      });
      const agent = await EdgeAgent.start(config, log, logs);
      if (format === 'pretty') out.write(edgeBanner(agent, colorFor()));
      runService({
        ready: { coapPort: agent.coap.port, socket: agent.api.socketPath, epoch: agent.store.epoch },
        stop: () => agent.stop(),
        log,
        flushLogs: (ms) => out.flush(ms),
        timeoutCode: 'EDGE_ERR_STOP_TIMEOUT',
        what: 'edge agent',
      });
    });
}
