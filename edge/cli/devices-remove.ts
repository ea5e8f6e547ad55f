/** `yiwang-edge devices remove <id>`: drop a pre-registration. */
import type { Command } from 'commander';
import { localApi } from './local-api-client.js';
import { configAndSocket, emit } from './output.js';

export function register(devices: Command): void {
  devices
    .command('remove <id>')
    .description('remove a pre-registered device and its keys (its DTLS key stops opening new sessions at once)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const r = await localApi<{ removed: string }>(socket, 'DELETE', `/v1/devices/${encodeURIComponent(id)}`);
      emit(cmd, r, () => `removed ${r.removed}`);
    });
}
