/** `yiwang-edge devices …`: the gateway's devices through the local API (one subcommand per file). */
import type { Command } from 'commander';
import { register as list } from './devices-list.js';
import { register as show } from './devices-show.js';
import { register as add } from './devices-add.js';
import { register as remove } from './devices-remove.js';
import { register as importKeys } from './devices-import-keys.js';
import { register as lwm2m } from './devices-lwm2m.js';

export function register(program: Command): void {
  const devices = program
    .command('devices')
    .description(
      'devices of this gateway: list, show, pre-register (keys, DTLS keys, meter addresses), import DTLS keys from a CSV file, remove, and LwM2M requests (read, write, exec, observe, discover); needs the running agent',
    );
  list(devices);
  show(devices);
  add(devices);
  remove(devices);
  importKeys(devices);
  lwm2m(devices);
}
