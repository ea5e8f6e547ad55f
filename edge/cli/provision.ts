/**
 * `yiwang-edge provision`: claim token → gateway identity (docs/reference/provisioning.md).
 * The gateway makes its own key pair, proves the token in the cloud's provisioning namespace,
 * and writes what it receives (id, secret, fleet CA, config-signing key, group) into its config.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { YiwangError } from '../../common/errors.js';
import { loadEdgeConfig } from '../config.js';
import { claimIdentity } from '../provisioning/claim-client.js';
import { writeIdentity } from '../provisioning/write-identity.js';
import { globals } from './output.js';

interface ProvisionOpts { token?: string; cloudUrl?: string; id?: string; ca?: string; plain?: boolean; force?: boolean; timeout: string }

export function register(program: Command): void {
  program
    .command('provision')
    .description('exchange a claim token for the gateway identity (id, secret, fleet CA, config key, group) and write it into the config')
    .requiredOption('--token <token>', 'claim token from the cloud operator (ywc_…)')
    .option('--cloud-url <url>', 'cloud broker URL for the claim (default: cloud.url of the config)')
    .option('--id <gatewayId>', 'ask for this gateway id (default: the cloud picks one)')
    .option('--ca <file>', 'PEM CA to verify an mqtts:// cloud URL during the claim (default: system CAs)')
    .option('--plain', 'keep the claim URL afterwards instead of switching to the cloud\'s TLS listener')
    .option('--force', 'provision again although the config has a gateway id')
    .option('--timeout <ms>', 'how long to wait for the cloud', '15000')
    .action(async (o: ProvisionOpts, cmd: Command) => {
      const g = globals(cmd);
      const file = g.config ?? '/etc/yiwang/edge.toml';
      let current;
      try { current = loadEdgeConfig(file); } catch { current = loadEdgeConfig(undefined); }
      if (current.gateway.id && !o.force) throw new YiwangError('EDGE_ERR_CONFIG_EXISTS', `${file} already has gateway.id ${current.gateway.id}; pass --force to provision again`);
      const url = o.cloudUrl ?? current.cloud.url;
      const ca = o.ca ? readFileSync(o.ca, 'utf8') : current.cloud.ca_file ? readFileSync(current.cloud.ca_file, 'utf8') : undefined;
      const id = await claimIdentity({ url, token: o.token!, requestedId: o.id, timeoutMs: Number(o.timeout), ca });
      const w = writeIdentity(file, id, url, !o.plain);
      const out = { gatewayId: id.gatewayId, group: id.group, site: id.site, district: id.district, cloudUrl: w.cloudUrl, caFile: w.caFile, configFile: w.file };
      if (g.json) console.log(JSON.stringify(out));
      else console.log(`provisioned as ${id.gatewayId}${id.group ? ` (group ${id.group})` : ''}\ncloud   ${w.cloudUrl}\nconfig  ${w.file}\nstart the agent: yiwang-edge run`);
    });
}
