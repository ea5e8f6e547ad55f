#!/usr/bin/env -S node --max-old-space-size=128 --max-semi-space-size=2
/** `yiwang-edge`: the gateway agent and the technician's commands (one file per command). */
import { Command } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registerEdgeErrors } from '../error-catalog.js';
import { EXIT, failAndExit } from '../../common/cli-support.js';
import { VERSION } from '../../common/version.js';
import { register as run } from './run.js';
import { register as status } from './status.js';
import { register as quarantine } from './quarantine.js';
import { register as deadLetters } from './dead-letters.js';
import { register as init } from './init.js';
import { register as provision } from './provision.js';
import { register as devices } from './devices.js';
import { register as events } from './events.js';
import { register as cameras } from './cameras.js';
import { register as logs } from './logs.js';
import { register as diag } from './diag.js';
import { register as supportBundle } from './support-bundle.js';
import { register as profile } from './profile.js';

registerEdgeErrors();

export const program = new Command('yiwang-edge')
  .version(VERSION)
  .description('Yiwang edge agent and technician CLI')
  .option('-c, --config <file>', 'configuration file (TOML)', process.env.YIWANG_EDGE_CONFIG ?? '/etc/yiwang/edge.toml')
  .option('--json', 'machine-readable output')
  .option('--debug', 'show stack traces on errors')
  // usage errors (unknown command or option, missing argument) exit 2; help and --version 0
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.USAGE));
run(program);
status(program);
quarantine(program);
deadLetters(program);
init(program);
provision(program);
devices(program);
events(program);
cameras(program);
logs(program);
diag(program);
supportBundle(program);
profile(program);
// Parse only when run as the program (scripts/gen-cli-doc.ts imports `program` for docs/reference/cli.md).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url))
  program.parseAsync().catch((err: unknown) => failAndExit(err));
