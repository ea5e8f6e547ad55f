/** `yiwang-edge devices list`: every device the agent knows, one line each. */
import type { Command } from 'commander';
import { localApi } from './local-api-client.js';
import { ago, c, configAndSocket, emit, state, table } from './output.js';
import type { DeviceSummary } from '../devices/view.js';

export function register(devices: Command): void {
  devices
    .command('list')
    .description(
      'every pre-registered, heard (kept across restarts) or LwM2M-registered device with its state (online: heard within the last hour; silent: not since; waiting: pre-registered, never heard), protocol, profile, last heard',
    )
    .option('--state <state>', 'only devices in this state (online, silent, waiting)')
    .action(async (o: { state?: string }, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const r = await localApi<{ devices: DeviceSummary[]; heard?: { held: number; cap: number; evicted: number } }>(
        socket,
        'GET',
        '/v1/devices',
      );
      const list = o.state ? r.devices.filter((d) => d.state === o.state) : r.devices;
      emit(cmd, { ...r, devices: list }, () =>
        list.length === 0
          ? 'no devices'
          : table(
              ['device', 'state', 'kind', 'profile', 'last seen', 'uplinks', 'pending'],
              list.map((d) => [
                d.id,
                d.keyError ? `${state(d.state)} ${c.red('KEY UNREADABLE')}` : state(d.state),
                d.kind || d.protocol || '-',
                d.profile || '-',
                ago(d.lastSeen),
                String(d.uplinks),
                String(d.pendingCommands),
              ]),
            ) +
            (r.heard?.evicted
              ? `\n${c.yellow(`${r.heard.evicted} devices forgotten: more than ${r.heard.cap} heard, the longest unheard were dropped`)}`
              : ''),
      );
    });
}
