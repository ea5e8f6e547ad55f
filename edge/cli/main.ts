#!/usr/bin/env -S node --max-old-space-size=128
/** `yiwang-edge`: the gateway agent and the technician's commands (one file per command). */
import { Command } from 'commander';
import '../../common/error-tables.js';
import '../errors.js';
import { failAndExit } from '../../common/cli-support.js';
import { VERSION } from '../../common/version.js';
import { register as run } from './run.js';
import { register as status } from './status.js';

const program = new Command('yiwang-edge')
  .version(VERSION)
  .description('Yiwang edge agent and technician CLI')
  .option('-c, --config <file>', 'configuration file (TOML)', process.env.YIWANG_EDGE_CONFIG ?? '/etc/yiwang/edge.toml')
  .option('--json', 'machine-readable output')
  .option('--debug', 'show stack traces on errors');
run(program);
status(program);
program.parseAsync().catch((err: unknown) => failAndExit(err));
