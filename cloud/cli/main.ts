#!/usr/bin/env node
/** `yiwang-cloud`: the cloud server and the operator's commands. */
import { Command } from 'commander';
import '../../common/error-tables.js';
import '../errors.js';
import { failAndExit } from '../../common/cli-support.js';
import { VERSION } from '../../common/version.js';
import { register as serve } from './serve.js';
import { register as gateways } from './gateways.js';
import { register as devices } from './devices.js';
import { register as alarms } from './alarms.js';
import { register as health } from './health.js';
import { register as tokens } from './tokens.js';
import { register as config } from './config.js';
import { register as rollout } from './rollout.js';

const program = new Command('yiwang-cloud')
  .version(VERSION)
  .description('Yiwang cloud server and operator CLI')
  .option('-c, --config <file>', 'configuration file (TOML)', process.env.YIWANG_CLOUD_CONFIG ?? '/etc/yiwang/cloud.toml')
  .option('--json', 'machine-readable output')
  .option('--debug', 'show stack traces on errors');
serve(program);
gateways(program);
devices(program);
alarms(program);
health(program);
tokens(program);
config(program);
rollout(program);
program.parseAsync().catch((err: unknown) => failAndExit(err));
