/** `yiwang-edge devices add <id>`: pre-register a device (key, meter address, expected id). */
import type { Command } from 'commander';
import { readSecretFile } from './secret-file.js';
import { localApi } from './local-api-client.js';
import { configAndSocket, emit } from './output.js';
import type { RegisteredDevice } from '../devices/registry.js';
import { DEVICE_KINDS } from '../devices/registry.js';
import { YiwangError } from '../../common/errors.js';

function tagsOf(list: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of list) {
    const i = t.indexOf('=');
    if (i <= 0) throw new YiwangError('EDGE_ERR_BAD_REQUEST', `tag ${JSON.stringify(t)} must look like name=value`);
    tags[t.slice(0, i)] = t.slice(i + 1);
  }
  return tags;
}

export function register(devices: Command): void {
  devices
    .command('add <id>')
    .description(
      'pre-register a device that needs it (keys, meter addresses, expected ids); LwM2M devices register themselves and need no pre-registration',
    )
    .option('--kind <kind>', `one of ${DEVICE_KINDS.join(', ')}`, 'other')
    .option('--profile <id>', 'profile id (vendor/model) to use for it')
    .option('--address <address>', 'bus address or meter number, as its adapter expects it')
    .option(
      '--key-file <file>',
      'file holding the device key (read, never printed; not on the command line so it stays out of shell history)',
    )
    .option('--tag <name=value...>', 'site or district tags', [])
    .action(
      async (
        id: string,
        o: { kind: string; profile?: string; address?: string; keyFile?: string; tag: string[] },
        cmd: Command,
      ) => {
        const { socket } = configAndSocket(cmd);
        const key = o.keyFile ? readSecretFile(o.keyFile, '--key-file') : undefined;
        const d = await localApi<RegisteredDevice>(socket, 'POST', '/v1/devices', {
          id,
          kind: o.kind,
          profile: o.profile,
          address: o.address,
          key,
          tags: tagsOf(o.tag),
        });
        emit(
          cmd,
          d,
          () =>
            `pre-registered ${d.id} (${d.kind}${d.profile ? `, profile ${d.profile}` : ''}${d.address ? `, address ${d.address}` : ''}${d.hasKey ? ', key set' : ''})`,
        );
      },
    );
}
