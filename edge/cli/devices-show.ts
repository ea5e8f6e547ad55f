/** `yiwang-edge devices show <id>`: one device, every figure labelled. */
import type { Command } from 'commander';
import { localApi } from './local-api-client.js';
import { ago, c, configAndSocket, emit, facts, state, table } from './output.js';
import type { DeviceDetail, Lwm2mRegistration } from '../devices/view.js';

const when = (iso: string, now: number): string => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `${iso} (${ago(ms, now)})` : '-';
};

const inS = (iso: string, now: number): string => {
  const s = Math.round((Date.parse(iso) - now) / 1000);
  return Number.isFinite(s) ? (s >= 0 ? `in ${s} s` : `${-s} s ago`) : '-';
};

/** The device's own LwM2M registration: state, lifetime, last update, binding and queue mode. */
function lwm2mLines(r: Lwm2mRegistration, now: number): [string, string][] {
  const st =
    r.state === 'registered'
      ? `${c.green('registered')}${r.since ? ` ${r.since}` : ''}`
      : r.state === 'expired'
        ? c.red(`expired${r.since ? ` ${r.since}` : ''} (no Update within its lifetime)`)
        : c.yellow(`deregistered${r.since ? ` ${r.since}` : ''} (the device sent De-register)`);
  const mode = r.queueMode
    ? `${r.binding}: queue mode, ${r.reachable ? 'awake now (requests go out at once)' : 'asleep (requests wait until it next wakes)'}`
    : `${r.binding}: no queue mode, ${r.reachable ? 'reachable' : 'unreachable while not registered'}`;
  return [
    ['lwm2m registration', st],
    [
      'lifetime',
      `${r.lifetimeS} s; last update ${when(r.lastUpdateAt, now)}${r.state === 'registered' ? `; expires ${inS(r.expiresAt, now)} without an Update` : ''}`,
    ],
    ['binding', mode],
    [
      'endpoint',
      `registration ${r.registrationId}, LwM2M ${r.version}, from ${r.address}, registered ${when(r.registeredAt, now)}`,
    ],
    ['objects', r.objects.join(' ') || '-'],
  ];
}

export function renderDetail(d: DeviceDetail, now = Date.now()): string {
  const pre = d.preRegistered
    ? `yes (added with devices add)${d.address ? `, address ${d.address}` : ''}${d.hasKey ? ', key set' : ''}`
    : 'no (not added with devices add; only meters and keyed devices need it)';
  const pairs: [string, string][] = [
    ['device', d.id],
    ['state', state(d.state)],
    ['kind', d.kind || '-'],
    ['profile', d.profile || c.yellow('none matched')],
    ['pre-registered', pre],
    [
      'dtls key',
      d.pskIdentity === null || d.pskIdentity === undefined
        ? 'none (plain CoAP only)'
        : `identity ${JSON.stringify(d.pskIdentity)}, key set (never shown)`,
    ],
    ...(d.bootstrapIdentity
      ? [
          ['bootstrap key', `identity ${JSON.stringify(d.bootstrapIdentity)}, key set (never shown)`] as [
            string,
            string,
          ],
        ]
      : []),
    ...(d.keyError
      ? [
          [
            'key',
            c.red(`${d.keyError.code}: ${d.keyError.message} (yiwang-edge devices remove, then add with --key-file)`),
          ] as [string, string],
        ]
      : []),
    ['first heard', d.firstSeen === null ? 'never' : when(new Date(d.firstSeen).toISOString(), now)],
    [
      'last heard',
      d.lastSeen === null
        ? 'never'
        : `${ago(d.lastSeen, now)}${d.protocol ? ` over ${d.protocol}` : ''}${d.heardFrom ? ` from ${d.heardFrom}` : ''}`,
    ],
    ['uplinks', `${d.uplinks} since first heard, carrying ${d.readings} readings`],
    ...(d.lwm2mRegistration ? lwm2mLines(d.lwm2mRegistration, now) : []),
    [
      'commands',
      `${d.commands.open.length} queued or in flight${d.commands.recent.length ? `, ${d.commands.recent.length} finished recently` : ''}`,
    ],
  ];
  if (Object.keys(d.tags).length)
    pairs.push([
      'tags',
      Object.entries(d.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    ]);
  const out = [facts(pairs)];
  if (d.lastReadings.length)
    out.push(
      '',
      table(
        ['metric', 'value', 'unit', 'at'],
        d.lastReadings.map((r) => [r.metric, String(r.value), r.unit, new Date(r.ts).toISOString()]),
      ),
    );
  if (d.commands.open.length) {
    out.push(
      '',
      table(
        ['id', 'op', 'path', 'state', 'attempts', 'expires'],
        (d.commands.open as Record<string, unknown>[]).map((q) => [
          String(q.id),
          String(q.op),
          String(q.path ?? q.paths ?? ''),
          String(q.state),
          String(q.attempts),
          String(q.expiresAt ?? '-'),
        ]),
      ),
    );
  }
  return out.join('\n');
}

export function register(devices: Command): void {
  devices
    .command('show <id>')
    .description(
      'one device: state, pre-registration, first and last heard, LwM2M registration (registered, expired or deregistered; lifetime, last update, binding and queue mode), last readings, queued requests',
    )
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const d = await localApi<DeviceDetail>(socket, 'GET', `/v1/devices/${encodeURIComponent(id)}`);
      emit(cmd, d, () => renderDetail(d));
    });
}
