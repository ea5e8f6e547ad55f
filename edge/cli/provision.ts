/**
 * `yiwang-edge provision`: claim token → gateway identity (docs/reference/provisioning.md).
 * The gateway makes its own key pair, proves the token in the cloud's provisioning namespace,
 * and writes what it receives (id, secret, fleet CA, config-signing key, group) into its config.
 * Everything that can fail before the claim (config, already provisioned, CA file, a config file
 * that cannot be written) is checked first, so a token is used up only when the identity is kept.
 */
import type { Command } from 'commander';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { makePrivateDir } from '../../common/private-files.js';
import { dirname } from 'node:path';
import { YiwangError } from '../../common/errors.js';
import { loadEdgeConfig } from '../config.js';
import { claimIdentity } from '../provisioning/claim-client.js';
import { writeIdentity } from '../provisioning/write-identity.js';
import { globals, progress } from './output.js';

interface ProvisionOpts {
  token?: string;
  cloudUrl?: string;
  id?: string;
  ca?: string;
  plain?: boolean;
  force?: boolean;
  timeout: string;
}

/** The CA to verify an mqtts:// claim URL with: --ca, else cloud.ca_file, else undefined (system CAs). */
function readCa(file: string | undefined, from: string): string | undefined {
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new YiwangError('EDGE_ERR_PROVISION_TLS', `${from} ${file} cannot be read: ${(err as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new YiwangError('EDGE_ERR_PROVISION_TLS', `${from} ${file} is not a PEM certificate`);
  return pem;
}

/** Fails now (CONFIG_ERR_READ) rather than after the claim if the identity could not be written. */
function checkWritable(file: string): void {
  try {
    makePrivateDir(dirname(file));
    accessSync(dirname(file), constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK);
  } catch (err) {
    throw new YiwangError('CONFIG_ERR_READ', `cannot write the identity into ${file}: ${(err as Error).message}`);
  }
}

export function register(program: Command): void {
  program
    .command('provision')
    .description(
      'exchange a claim token for the gateway identity (id, secret, fleet CA, config key, group) and write it into the config',
    )
    .requiredOption('--token <token>', 'claim token from the cloud operator (ywc_…)')
    .option('--cloud-url <url>', 'cloud broker URL for the claim (default: cloud.url of the config)')
    .option('--id <gatewayId>', 'ask for this gateway id (default: the cloud picks one)')
    .option(
      '--ca <file>',
      'PEM CA to verify an mqtts:// cloud URL during the claim (default: cloud.ca_file, else the system CAs)',
    )
    .option('--plain', "keep the claim URL afterwards instead of switching to the cloud's TLS listener")
    .option('--force', 'provision again although the config has a gateway id')
    .option('--timeout <ms>', 'how long to wait for the cloud', '15000')
    .action(async (o: ProvisionOpts, cmd: Command) => {
      const g = globals(cmd);
      const file = g.config ?? '/etc/yiwang/edge.toml';
      // no file yet: provision before init works with the defaults; a broken file is named (exit 3)
      const current = existsSync(file) ? loadEdgeConfig(file) : loadEdgeConfig(undefined);
      if (current.gateway.id && !o.force)
        throw new YiwangError(
          'EDGE_ERR_ALREADY_PROVISIONED',
          `${file} already has gateway.id ${current.gateway.id}; pass --force with a new token to replace it`,
        );
      const timeoutMs = Number(o.timeout);
      if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 100)
        throw new YiwangError(
          'CONFIG_ERR_INVALID',
          `--timeout ${JSON.stringify(o.timeout)} must be an integer number of milliseconds >= 100`,
        );
      const url = o.cloudUrl ?? current.cloud.url;
      if (!/^(mqtts?|wss?):\/\/[^/]+/.test(url))
        throw new YiwangError(
          'CONFIG_ERR_INVALID',
          `cloud URL ${JSON.stringify(url)} must be mqtt://host[:port] or mqtts://host[:port]`,
        );
      const ca = o.ca ? readCa(o.ca, '--ca') : readCa(current.cloud.ca_file || undefined, 'cloud.ca_file');
      checkWritable(file);

      const bar = progress(cmd, 'provisioning');
      try {
        bar.update(0, 4, `connecting to ${url}`);
        const id = await claimIdentity({
          url,
          token: o.token!,
          ...(o.id !== undefined ? { requestedId: o.id } : {}),
          timeoutMs,
          ...(ca !== undefined ? { ca } : {}),
          onStep: (step) =>
            bar.update(step === 'connected' ? 1 : 2, 4, step === 'connected' ? 'claiming' : 'waiting for the identity'),
        });
        bar.update(3, 4, 'writing identity');
        const w = writeIdentity(file, id, url, !o.plain);
        bar.update(4, 4, 'done');
        const out = {
          gatewayId: id.gatewayId,
          group: id.group,
          site: id.site,
          district: id.district,
          cloudUrl: w.cloudUrl,
          ...(w.droppedUrls.length > 0 ? { droppedCloudUrls: w.droppedUrls } : {}),
          caFile: w.caFile,
          configFile: w.file,
        };
        bar.end();
        if (g.json) console.log(JSON.stringify(out));
        else
          console.log(
            `provisioned as ${id.gatewayId}${id.group ? ` (group ${id.group})` : ''}\ncloud   ${w.cloudUrl}\nconfig  ${w.file}\n${w.droppedUrls.length > 0 ? `note    cloud.urls removed (it did not start with ${w.cloudUrl}); list the other brokers again with the same scheme\n` : ''}start the agent: yiwang-edge run`,
          );
      } finally {
        bar.end();
      }
    });
}
