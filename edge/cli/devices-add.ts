/** `yiwang-edge devices add <id>`: pre-register a device (key, meter address, expected id, DTLS PSK). */
import type { Command } from 'commander';
import { closeSync, openSync, readSync } from 'node:fs';
import { readSecretFile } from './secret-file.js';
import { localApi } from './local-api-client.js';
import { configAndSocket, emit } from './output.js';
import type { RegisteredDevice } from '../devices/registry.js';
import { DEVICE_KINDS } from '../devices/registry.js';
import { YiwangError } from '../../common/errors.js';

/** Most bytes read for a PSK key from a file or stdin (128 hex digits, a 0x prefix, blanks). */
const PSK_KEY_FILE_MAX = 1024;

/**
 * Up to `max` bytes of a file (or stdin for `-`), and whether it held more: outside bytes are
 * never read past the bound.
 */
export function readBounded(file: string, max: number): { text: string; over: boolean } {
  const buf = Buffer.alloc(max + 1);
  let n = 0;
  const fd = file === '-' ? 0 : openSync(file, 'r');
  try {
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      n += got;
      if (got === 0 || n >= buf.length) break;
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  return { text: buf.subarray(0, Math.min(n, max)).toString('utf8'), over: n > max };
}

/** The hex key of --psk-key-file (or --bootstrap-key-file) (a path, or - for stdin), read up to a bound, trimmed. */
export function readPskKeyFile(file: string, option = '--psk-key-file'): string {
  let r: { text: string; over: boolean };
  try {
    r = readBounded(file, PSK_KEY_FILE_MAX);
  } catch (err) {
    throw new YiwangError('EDGE_ERR_BAD_REQUEST', `${option} ${file} cannot be read: ${(err as Error).message}`);
  }
  if (r.over)
    throw new YiwangError(
      'EDGE_ERR_PSK_KEY',
      `${option} ${file} is over ${PSK_KEY_FILE_MAX} bytes: it must hold one key as hex`,
    );
  return r.text.trim();
}

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
    .option('--psk-identity <identity>', 'DTLS PSK identity of the device (1–128 printable ASCII characters)')
    .option(
      '--psk-key-file <file>',
      'file holding the DTLS pre-shared key as hex (16–64 bytes), or - to read it from stdin; never printed',
    )
    .option(
      '--psk-key <hex>',
      'the DTLS pre-shared key as hex on the command line (stays in shell history: prefer --psk-key-file)',
    )
    .option(
      '--bootstrap-identity <identity>',
      "LwM2M bootstrap key's identity: a factory-fresh device gets its account (server, DTLS identity and key) from the gateway with it",
    )
    .option(
      '--bootstrap-key-file <file>',
      'file holding the LwM2M bootstrap pre-shared key as hex (16–64 bytes), or - for stdin; never printed',
    )
    .option('--bootstrap-key <hex>', 'the LwM2M bootstrap key as hex on the command line (prefer --bootstrap-key-file)')
    .action(
      async (
        id: string,
        o: {
          kind: string;
          profile?: string;
          address?: string;
          keyFile?: string;
          tag: string[];
          pskIdentity?: string;
          pskKey?: string;
          pskKeyFile?: string;
          bootstrapIdentity?: string;
          bootstrapKey?: string;
          bootstrapKeyFile?: string;
        },
        cmd: Command,
      ) => {
        const { socket } = configAndSocket(cmd);
        const key = o.keyFile ? readSecretFile(o.keyFile, '--key-file') : undefined;
        if (o.pskKey !== undefined && o.pskKeyFile !== undefined)
          throw new YiwangError('EDGE_ERR_BAD_REQUEST', 'give the PSK key once: --psk-key or --psk-key-file');
        const pskKey = o.pskKeyFile !== undefined ? readPskKeyFile(o.pskKeyFile) : o.pskKey;
        if (o.bootstrapKey !== undefined && o.bootstrapKeyFile !== undefined)
          throw new YiwangError(
            'EDGE_ERR_BAD_REQUEST',
            'give the bootstrap key once: --bootstrap-key or --bootstrap-key-file',
          );
        const bootstrapKey =
          o.bootstrapKeyFile !== undefined
            ? readPskKeyFile(o.bootstrapKeyFile, '--bootstrap-key-file')
            : o.bootstrapKey;
        const d = await localApi<RegisteredDevice>(socket, 'POST', '/v1/devices', {
          id,
          kind: o.kind,
          profile: o.profile,
          address: o.address,
          key,
          tags: tagsOf(o.tag),
          pskIdentity: o.pskIdentity,
          pskKey,
          bootstrapIdentity: o.bootstrapIdentity,
          bootstrapKey,
        });
        emit(
          cmd,
          d,
          () =>
            `pre-registered ${d.id} (${d.kind}${d.profile ? `, profile ${d.profile}` : ''}${d.address ? `, address ${d.address}` : ''}${d.hasKey ? ', key set' : ''}${d.pskIdentity !== null ? `, DTLS identity ${JSON.stringify(d.pskIdentity)}` : ''}${d.bootstrapIdentity ? `, bootstrap identity ${JSON.stringify(d.bootstrapIdentity)}` : ''})`,
        );
      },
    );
}
