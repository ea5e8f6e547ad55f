#!/usr/bin/env node
/** `yiwang-cloud`: the cloud server and the operator's commands. */
import { Command } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registerCloudErrors } from '../error-catalog.js';
import { EXIT, failAndExit } from '../../common/cli-support.js';
import { VERSION } from '../../common/version.js';
import { register as serve } from './serve.js';
import { register as gateways } from './gateways.js';
import { register as devices } from './devices.js';
import { register as alarms } from './alarms.js';
import { register as health } from './health.js';
import { register as tokens } from './tokens.js';
import { register as config } from './config.js';
import { register as rollout } from './rollout.js';
import { register as keys } from './keys.js';
import { register as events } from './events.js';
import { register as login } from './login.js';
import { register as logout } from './logout.js';
import { register as useContext } from './use-context.js';
import { register as contexts } from './contexts.js';
import { register as db } from './db.js';
import { register as audit } from './audit.js';
import { register as kek } from './kek.js';
import { register as signingKey } from './signing-key.js';
import { register as users } from './users.js';
import { register as self } from './self.js';
import { register as incidents } from './incidents.js';

registerCloudErrors();

export const program = new Command('yiwang-cloud')
  .version(VERSION)
  .description('Yiwang cloud server and operator CLI')
  .option(
    '-c, --config <file>',
    'configuration file (TOML); operator commands use its http listen address and http.api_token when nothing else names the cloud',
    process.env.YIWANG_CLOUD_CONFIG ?? '/etc/yiwang/cloud.toml',
  )
  // which cloud the operator commands talk to (cloud/cli/target.ts): flags > YIWANG_CLOUD_URL/_TOKEN > login context > --config
  .option(
    '--url <url>',
    "the cloud's HTTP API (default: $YIWANG_CLOUD_URL, the current login context, the --config file's http.host:http.port)",
  )
  .option(
    '--token <token>',
    'API bearer token: http.api_token or a key from `keys create` (default: $YIWANG_CLOUD_TOKEN, the one saved with the URL)',
  )
  .option('--context <name>', 'use this saved login context (see `contexts`)')
  .option('--timeout <seconds>', 'give up on a request after this long', '10')
  .option('--json', 'machine-readable output')
  .option('--debug', 'show stack traces on errors')
  // usage errors (unknown command or option, missing argument) exit 2; help and --version 0
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.USAGE));
serve(program);
gateways(program);
devices(program);
alarms(program);
health(program);
tokens(program);
config(program);
rollout(program);
keys(program);
events(program);
login(program);
logout(program);
useContext(program);
contexts(program);
db(program);
audit(program);
kek(program);
signingKey(program);
users(program);
self(program);
incidents(program);
// Parse only when run as the program (scripts/gen-cli-doc.ts imports `program` for docs/reference/cloud-cli.md).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url))
  program.parseAsync().catch((err: unknown) => failAndExit(err));
