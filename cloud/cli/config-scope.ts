/** The layer a `yiwang-cloud config` command names: --fleet, --group NAME or --gateway ID, and its API path. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { withApi, type ApiOpts } from './options.js';

export interface ScopeOpts extends ApiOpts {
  fleet?: boolean;
  group?: string;
  gateway?: string;
}

export const path = (o: ScopeOpts): string => {
  if (o.fleet) return '/api/v1/config/fleet';
  if (o.group) return `/api/v1/config/groups/${encodeURIComponent(o.group)}`;
  if (o.gateway) return `/api/v1/config/gateways/${encodeURIComponent(o.gateway)}`;
  throw new YiwangError('CLOUD_ERR_BAD_REQUEST', 'give one of --fleet, --group NAME, --gateway ID');
};

/** `fleet`, `group south`, `gateway gw-1`. */
export const layerName = (o: ScopeOpts): string =>
  o.fleet ? 'fleet' : o.group ? `group ${o.group}` : `gateway ${o.gateway ?? ''}`;

export const scoped = (c: Command): Command =>
  withApi(c)
    .option('--fleet', 'the fleet layer')
    .option('--group <name>', 'a group layer')
    .option('--gateway <id>', 'a gateway layer');
