/** `yiwang-edge cameras list|discover|add|test`: the site's ONVIF cameras through the local API. */
import type { Command } from 'commander';
import { readSecretFile } from './secret-file.js';
import { localApi } from './local-api-client.js';
import { c, configAndSocket, emit, facts, progress, state, table } from './output.js';

interface Found {
  endpoint: string;
  xaddrs: string[];
  name: string;
  hardware: string;
  from: string;
}
interface CamStatus {
  id: string;
  name: string;
  address: string;
  state: string;
  stream: string;
  online: boolean;
  lastCheckAt: number | null;
  lastError: { code: string; message: string } | null;
  clockDriftMs: number | null;
  device: { manufacturer?: string; model?: string; firmwareVersion?: string } | null;
  streamUri: string;
}

const HINTS: Record<string, string> = {
  up_auth: 'camera answers and accepts the credentials',
  up_noauth: 'camera answers but rejects the credentials: check the username and password on the camera',
  reachable:
    'the port is open but ONVIF does not answer: check that ONVIF is enabled on the camera and the address/port',
  unreachable: 'no TCP connection: check power, cabling, VLAN and the address',
  unknown: 'not checked yet',
  needs_credentials:
    'stored credentials no longer open (gateway re-keyed): add it again with the same --id and its password',
};

function renderCamera(s: CamStatus): string {
  const pairs: [string, string][] = [
    ['camera', `${s.id}${s.name && s.name !== s.id ? ` (${s.name})` : ''}`],
    ['address', s.address],
    ['health', `${state(s.state)}: ${HINTS[s.state] ?? ''}`],
    ['stream', state(s.stream)],
  ];
  if (s.device)
    pairs.push(['device', [s.device.manufacturer, s.device.model, s.device.firmwareVersion].filter(Boolean).join(' ')]);
  if (s.clockDriftMs !== null) pairs.push(['clock drift', `${s.clockDriftMs} ms`]);
  if (s.lastError) pairs.push(['last error', c.red(`${s.lastError.code}: ${s.lastError.message}`)]);
  return facts(pairs);
}

export function register(program: Command): void {
  const cameras = program
    .command('cameras')
    .description('ONVIF cameras of the site: list, discover, add, test (needs the running agent)');
  cameras
    .command('list')
    .description(
      'every camera with its health, stream and last error (cameras whose credentials must be entered again show needs_credentials)',
    )
    .action(async (_o: unknown, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const r = await localApi<{ cameras: CamStatus[]; counts: Record<string, number> }>(socket, 'GET', '/v1/cameras');
      emit(cmd, r, () =>
        r.cameras.length === 0
          ? 'no cameras'
          : table(
              ['camera', 'health', 'stream', 'address', 'last error'],
              r.cameras.map((s) => [
                s.id,
                state(s.state),
                state(s.stream),
                s.address,
                s.lastError ? c.red(`${s.lastError.code}: ${s.lastError.message}`) : '-',
              ]),
            ),
      );
    });
  cameras
    .command('discover')
    .description('WS-Discovery probe on the site LAN; lists the cameras that answer')
    .option('--target <host:port>', 'where to send the probe (default cameras.discovery_target, the multicast group)')
    .option('--window <ms>', 'how long to collect answers (default cameras.discovery_window_ms)')
    .action(async (o: { target?: string; window?: string }, cmd: Command) => {
      const { socket, config } = configAndSocket(cmd);
      const windowMs = o.window ? Number(o.window) : config.cameras.discovery_window_ms;
      const bar = progress(cmd, 'discovering');
      const t0 = Date.now();
      const tick = setInterval(
        () => bar.update(Date.now() - t0, windowMs, `${Math.round((Date.now() - t0) / 1000)} s`),
        100,
      );
      try {
        const r = await localApi<{ found: Found[] }>(
          socket,
          'POST',
          '/v1/cameras/discover',
          { target: o.target, windowMs },
          windowMs + 10_000,
        );
        bar.update(1, 1, `${r.found.length} found`);
        bar.end();
        emit(cmd, r, () =>
          r.found.length === 0
            ? 'no camera answered'
            : table(
                ['address', 'name', 'hardware', 'from'],
                r.found.map((f) => [f.xaddrs[0] ?? '', f.name, f.hardware, f.from]),
              ),
        );
      } finally {
        clearInterval(tick);
        bar.end(); // on failure too: the error line goes below the bar, not onto it
      }
    });
  cameras
    .command('add <address>')
    .description(
      'onboard a camera by address (http://host[:port]/onvif/device_service or host[:port]); the password is read from a file or $YIWANG_CAMERA_PASSWORD',
    )
    .option('--id <id>', 'camera id (default: from the camera serial)')
    .option('--name <name>', 'display name')
    .option('--username <user>', 'ONVIF account', 'admin')
    .option('--password-file <file>', 'file holding the password (kept out of shell history)')
    .action(
      async (
        address: string,
        o: { id?: string; name?: string; username: string; passwordFile?: string },
        cmd: Command,
      ) => {
        const { socket } = configAndSocket(cmd);
        const password = o.passwordFile
          ? readSecretFile(o.passwordFile, '--password-file')
          : (process.env.YIWANG_CAMERA_PASSWORD ?? '');
        const s = await localApi<CamStatus>(
          socket,
          'POST',
          '/v1/cameras',
          { address, username: o.username, password, id: o.id, name: o.name },
          30_000,
        );
        emit(cmd, s, () => `added\n${renderCamera(s)}`);
      },
    );
  cameras
    .command('test <id>')
    .description('check one camera now: reachability, ONVIF login, device info, clock drift, stream')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const s = await localApi<CamStatus>(socket, 'POST', `/v1/cameras/${encodeURIComponent(id)}/test`, {}, 60_000);
      emit(cmd, s, () => renderCamera(s));
      if (!s.online) process.exitCode = 1;
    });
}
