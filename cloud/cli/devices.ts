/** `yiwang-cloud devices list|show|readings|register|move`: the device registry, device states and readings. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import type { DeviceRecord, StoredReading } from '../store/cloud-store.js';
import { apiRequest } from './api-client.js';
import { ago, jsonOut, sinceMs, table, withApi, type ApiOpts } from './options.js';

/** Whose clock stamped a reading (proto ClockQuality). */
const CLOCK = ['gateway', 'device', 'gateway (unsynced)', 'gateway (corrected)'];

export function register(program: Command): void {
  const d = program.command('devices').description('devices of the fleet');
  withApi(d.command('list').description('devices (one page, by id)'))
    .option('--gateway <id>', "only this gateway's devices")
    .option('--offline', 'only offline devices')
    .option('--online', 'only online devices')
    .option('--type <type>', 'only this device type')
    .option('--after <id>', 'start after this device id (paging)')
    .option('--limit <n>', 'rows', '100')
    .action(
      async (
        o: ApiOpts & {
          gateway?: string;
          offline?: boolean;
          online?: boolean;
          type?: string;
          after?: string;
          limit: string;
        },
      ) => {
        const q = new URLSearchParams({ limit: o.limit });
        if (o.gateway) q.set('gateway', o.gateway);
        if (o.type) q.set('type', o.type);
        if (o.after) q.set('after', o.after);
        if (o.offline || o.online) q.set('online', o.online ? 'true' : 'false');
        const r = await apiRequest<{ devices: DeviceRecord[]; next: string | null }>(
          o.url,
          o.token,
          'GET',
          `/api/v1/devices?${q}`,
        );
        if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
        console.log(
          table(
            ['ID', 'GATEWAY', 'TYPE', 'STATE', 'LAST READING', 'INTERVAL', 'READINGS'],
            r.devices.map((x) => [
              x.id,
              x.gatewayId,
              x.type || '—',
              x.online ? 'online' : 'offline',
              x.lastReadingTs ? ago(x.lastReadingTs) : 'never',
              `${x.intervalS}s`,
              x.readings,
            ]),
          ),
        );
        if (r.next) console.log(`more: --after ${r.next}`);
      },
    );
  withApi(d.command('show <id>').description('one device')).action(async (id: string, o: ApiOpts) => {
    const r = await apiRequest<DeviceRecord>(o.url, o.token, 'GET', `/api/v1/devices/${encodeURIComponent(id)}`);
    if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
    console.log(
      Object.entries(r)
        .map(([k, v]) => `${k.padEnd(14)} ${v === null ? '—' : String(v)}`)
        .join('\n'),
    );
  });
  withApi(d.command('readings <id>').description("a device's readings, newest first"))
    .option('--since <when>', 'only since: a duration back (30m, 6h, 7d) or a time (ISO 8601, ms since the epoch)')
    .option('--metric <name>', 'only this metric')
    .option('--limit <n>', 'rows (at most 100000)', '20')
    .action(async (id: string, o: ApiOpts & { since?: string; metric?: string; limit: string }) => {
      const q = new URLSearchParams({ limit: o.limit, order: 'desc' });
      if (o.metric) q.set('metric', o.metric);
      if (o.since !== undefined) q.set('from', String(sinceMs(o.since)));
      const r = await apiRequest<{ deviceId: string; readings: StoredReading[] }>(
        o.url,
        o.token,
        'GET',
        `/api/v1/devices/${encodeURIComponent(id)}/readings?${q}`,
      );
      if (jsonOut(program)) return console.log(JSON.stringify(r, null, 2));
      console.log(
        table(
          ['TIME', 'METRIC', 'VALUE', 'UNIT', 'CLOCK', 'GATEWAY'],
          r.readings.map((x) => [
            new Date(x.ts).toISOString(),
            x.metric,
            typeof x.value === 'number' ? x.value : String(x.value),
            x.unit || '—',
            CLOCK[x.clock] ?? String(x.clock),
            x.gatewayId,
          ]),
        ),
      );
      if (!r.readings.length)
        console.log(
          `no readings of ${r.deviceId}${o.since !== undefined ? ` since ${new Date(sinceMs(o.since)).toISOString()}` : ''}`,
        );
    });
  withApi(
    d
      .command('move <id>')
      .description('move a device to another gateway (its data from any other gateway is quarantined)'),
  )
    .requiredOption('--gateway <id>', 'the gateway the device belongs to from now on')
    .action(async (id: string, o: ApiOpts & { gateway: string }) => {
      const r = await apiRequest<DeviceRecord>(
        o.url,
        o.token,
        'POST',
        `/api/v1/devices/${encodeURIComponent(id)}/move`,
        { gateway: o.gateway },
      );
      console.log(
        jsonOut(program) ? JSON.stringify(r, null, 2) : `device ${r.id} now belongs to gateway ${r.gatewayId}`,
      );
    });
  withApi(
    d
      .command('register <file>')
      .description(
        'register devices from a JSON file: [{ id, gatewayId, type?, intervalS? }] (type or intervalS left out: kept as registered)',
      ),
  ).action(async (file: string, o: ApiOpts) => {
    let list: unknown;
    try {
      list = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${file}: ${(err as Error).message}`);
    }
    if (!Array.isArray(list))
      throw new YiwangError('CLOUD_ERR_BAD_REQUEST', `${file}: expected a JSON array of devices`);
    let n = 0;
    for (let i = 0; i < list.length; i += 10_000) {
      n += (
        await apiRequest<{ registered: number }>(o.url, o.token, 'PUT', '/api/v1/devices', {
          devices: list.slice(i, i + 10_000),
        })
      ).registered;
    }
    console.log(jsonOut(program) ? JSON.stringify({ registered: n }) : `registered ${n} devices`);
  });
}
