/**
 * `yiwang-edge init`: writes the agent's config file (cloud URL, site, data directory,
 * interfaces). Asks on a terminal for what the flags did not give; uses flags and defaults
 * otherwise. Keeps gateway.id/secret of a file it replaces (--force), so re-init does not
 * unprovision the gateway.
 */
import type { Command } from 'commander';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { makePrivateDir } from '../../common/private-files.js';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import TOML from '@iarna/toml';
import { YiwangError } from '../../common/errors.js';
import { EDGE_SCHEMA } from '../config.js';
import { resolveConfig } from '../../common/config.js';
import { emit, globals } from './output.js';

interface InitOpts {
  cloudUrl?: string; site?: string; dataDir?: string; coapPort?: string; lwm2m?: boolean; cameras?: boolean;
  serialDevices?: string; hj212?: boolean; force?: boolean;
}

async function ask(o: InitOpts): Promise<InitOpts> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const q = async (text: string, def: string): Promise<string> => (await rl.question(`${text} [${def}]: `)).trim() || def;
    const yes = async (text: string, def: boolean): Promise<boolean> => /^y/i.test(await q(`${text} (y/n)`, def ? 'y' : 'n'));
    return {
      ...o,
      cloudUrl: o.cloudUrl ?? await q('cloud broker URL', 'mqtts://cloud.example.org:8883'),
      site: o.site ?? await q('site name', ''),
      dataDir: o.dataDir ?? await q('data directory', '/var/lib/yiwang'),
      coapPort: o.coapPort ?? await q('CoAP/LwM2M UDP port', '5683'),
      lwm2m: o.lwm2m ?? await yes('serve LwM2M devices', true),
      cameras: o.cameras ?? await yes('manage ONVIF cameras', true),
      hj212: o.hj212 ?? await yes('serve HJ 212 pollution monitors (TCP 9212)', false),
      serialDevices: o.serialDevices ?? ((await q('serial device file (empty = no RS-485 buses)', '')) || undefined),
    };
  } finally {
    rl.close();
  }
}

export function buildConfig(o: InitOpts, previous: Record<string, unknown> = {}): Record<string, Record<string, unknown>> {
  const url = o.cloudUrl ?? 'mqtt://127.0.0.1:1883';
  if (!/^(mqtts?|wss?):\/\/[^/]+/.test(url)) throw new YiwangError('CONFIG_ERR_INVALID', `--cloud-url ${JSON.stringify(url)} must be mqtt://host[:port] or mqtts://host[:port]`);
  const port = Number(o.coapPort ?? 5683);
  const dataDir = o.dataDir ?? '/var/lib/yiwang';
  const prevGw = (previous.gateway ?? {}) as Record<string, unknown>;
  const doc: Record<string, Record<string, unknown>> = {
    gateway: { id: prevGw.id ?? '', secret: prevGw.secret ?? '', site: o.site ?? '' },
    cloud: { url },
    store: { path: join(dataDir, 'edge.db') },
    coap: { port },
    lwm2m: { enabled: o.lwm2m ?? true },
    cameras: { enabled: o.cameras ?? true },
    hj212: { enabled: o.hj212 ?? false },
    serial: { devices_file: o.serialDevices ?? '' },
  };
  resolveConfig(EDGE_SCHEMA, doc, 'init'); // same validation as at start-up (port range, types)
  return doc;
}

export function register(program: Command): void {
  program
    .command('init')
    .description('write the config file given with --config: cloud URL, site, data directory, interfaces (asks on a terminal, flags otherwise)')
    .option('--cloud-url <url>', 'cloud broker URL (mqtts://host:8883)')
    .option('--site <name>', 'site name of this gateway')
    .option('--data-dir <dir>', 'data directory (store, cameras, agent socket)', undefined)
    .option('--coap-port <port>', 'UDP port for CoAP/LwM2M devices')
    .option('--no-lwm2m', 'do not serve LwM2M')
    .option('--no-cameras', 'do not manage ONVIF cameras')
    .option('--hj212', 'serve HJ 212 pollution monitors over TCP')
    .option('--serial-devices <file>', 'serial device file (RS-485 buses and meters)')
    .option('--force', 'replace an existing file (kept as <file>.bak)')
    .action(async (opts: InitOpts, cmd: Command) => {
      const file = globals(cmd).config ?? '/etc/yiwang/edge.toml';
      // commander sets negatable flags to true by default: only a given flag counts as an answer
      const given = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
      let o: InitOpts = { ...opts, lwm2m: given('lwm2m') ? opts.lwm2m : undefined, cameras: given('cameras') ? opts.cameras : undefined, hj212: given('hj212') ? opts.hj212 : undefined };
      let previous: Record<string, unknown> = {};
      if (existsSync(file)) {
        if (!o.force) throw new YiwangError('EDGE_ERR_CONFIG_EXISTS', `${file} exists`);
        try { previous = TOML.parse(readFileSync(file, 'utf8')) as Record<string, unknown>; } catch { previous = {}; }
      }
      if (process.stdin.isTTY && process.stderr.isTTY && !globals(cmd).json) o = await ask(o);
      const doc = buildConfig(o, previous);
      makePrivateDir(dirname(file)); // 0700 when created here (holds the gateway secret)
      if (existsSync(file)) copyFileSync(file, `${file}.bak`);
      writeFileSync(file, `# Yiwang edge agent configuration (docs/reference/config.md), written by yiwang-edge init\n${TOML.stringify(doc as TOML.JsonMap)}`, { mode: 0o600 });
      const provisioned = Boolean(doc.gateway!.id && doc.gateway!.secret);
      emit(cmd, { file, provisioned, config: { ...doc, gateway: { ...doc.gateway, secret: doc.gateway!.secret ? '[redacted]' : '' } } }, () =>
        `wrote ${file}\nnext: ${provisioned ? 'systemctl restart yiwang-edge' : 'set gateway.id and gateway.secret from the cloud operator, then systemctl start yiwang-edge'}`);
    });
}
