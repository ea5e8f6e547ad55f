/** `yiwang-edge devices list|show|add|remove`: the gateway's devices through the local API. */
import type { Command } from 'commander';
import { readSecretFile } from './secret-file.js';
import { localApi } from './local-api-client.js';
import { ago, c, configAndSocket, emit, facts, state, table } from './output.js';
import type { DeviceDetail, DeviceSummary } from '../api/devices-view.js';
import type { RegisteredDevice } from '../device-registry.js';
import { DEVICE_KINDS } from '../device-registry.js';
import { YiwangError } from '../../common/errors.js';

const enc = encodeURIComponent;

function tagsOf(list: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of list) {
    const i = t.indexOf('=');
    if (i <= 0) throw new YiwangError('EDGE_ERR_BAD_REQUEST', `tag ${JSON.stringify(t)} must look like name=value`);
    tags[t.slice(0, i)] = t.slice(i + 1);
  }
  return tags;
}

function renderDetail(d: DeviceDetail): string {
  const pairs: [string, string][] = [
    ['device', d.id], ['state', state(d.state)], ['kind', d.kind || '-'], ['profile', d.profile || c.yellow('none matched')],
    ['registered', d.registered ? `yes${d.address ? `, address ${d.address}` : ''}${d.hasKey ? ', key set' : ''}` : 'no'],
    ...(d.keyError ? [['key', c.red(`${d.keyError.code}: ${d.keyError.message} (yiwang-edge devices remove, then add with --key-file)`)] as [string, string]] : []),
    ['last seen', ago(d.lastSeen)], ['uplinks', `${d.uplinks} (${d.readings} readings since the agent started)`],
    ['commands', `${d.commands.open.length} pending`],
  ];
  if (Object.keys(d.tags).length) pairs.push(['tags', Object.entries(d.tags).map(([k, v]) => `${k}=${v}`).join(' ')]);
  const out = [facts(pairs)];
  if (d.lastReadings.length) out.push('', table(['metric', 'value', 'unit', 'at'], d.lastReadings.map((r) => [r.metric, String(r.value), r.unit, new Date(r.ts).toISOString()])));
  if (d.commands.open.length) {
    out.push('', table(['id', 'op', 'path', 'state', 'attempts'], (d.commands.open as Record<string, unknown>[]).map((q) => [String(q.id), String(q.op), String(q.path), String(q.state), String(q.attempts)])));
  }
  return out.join('\n');
}

export function register(program: Command): void {
  const devices = program.command('devices').description('devices of this gateway: list, show, pre-register (keys, meter addresses), remove (needs the running agent)');
  devices
    .command('list')
    .description('every registered or heard device with its state (online, silent, waiting), last seen and profile')
    .option('--state <state>', 'only devices in this state (online, silent, waiting)')
    .action(async (o: { state?: string }, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const r = await localApi<{ devices: DeviceSummary[] }>(socket, 'GET', '/v1/devices');
      const list = o.state ? r.devices.filter((d) => d.state === o.state) : r.devices;
      emit(cmd, { devices: list }, () => (list.length === 0 ? 'no devices' : table(
        ['device', 'state', 'kind', 'profile', 'last seen', 'uplinks', 'pending'],
        list.map((d) => [d.id, d.keyError ? `${state(d.state)} ${c.red('KEY UNREADABLE')}` : state(d.state), d.kind || '-', d.profile || '-', ago(d.lastSeen), String(d.uplinks), String(d.pendingCommands)]),
      )));
    });
  devices
    .command('show <id>')
    .description('one device: state, last seen, last readings, pending queued commands, profile')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const d = await localApi<DeviceDetail>(socket, 'GET', `/v1/devices/${enc(id)}`);
      emit(cmd, d, () => renderDetail(d));
    });
  devices
    .command('add <id>')
    .description('pre-register a device that needs it (keys, meter addresses, expected ids)')
    .option('--kind <kind>', `one of ${DEVICE_KINDS.join(', ')}`, 'other')
    .option('--profile <id>', 'profile id (vendor/model) to use for it')
    .option('--address <address>', 'bus address or meter number, as its adapter expects it')
    .option('--key-file <file>', 'file holding the device key (read, never printed; not on the command line so it stays out of shell history)')
    .option('--tag <name=value...>', 'site or district tags', [])
    .action(async (id: string, o: { kind: string; profile?: string; address?: string; keyFile?: string; tag: string[] }, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const key = o.keyFile ? readSecretFile(o.keyFile, '--key-file') : undefined;
      const d = await localApi<RegisteredDevice>(socket, 'POST', '/v1/devices', { id, kind: o.kind, profile: o.profile, address: o.address, key, tags: tagsOf(o.tag) });
      emit(cmd, d, () => `registered ${d.id} (${d.kind}${d.profile ? `, profile ${d.profile}` : ''}${d.address ? `, address ${d.address}` : ''}${d.hasKey ? ', key set' : ''})`);
    });
  devices
    .command('remove <id>')
    .description('remove a pre-registered device')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const r = await localApi<{ removed: string }>(socket, 'DELETE', `/v1/devices/${enc(id)}`);
      emit(cmd, r, () => `removed ${r.removed}`);
    });
}
