/**
 * The settings `yiwang-edge init` asks for, and the check of one answer or flag value: each
 * returns the value to write or the reason it cannot be used, so the wizard can ask again at
 * once and a flag can be refused naming the flag.
 */
import { existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { networkInterfaces, homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { YiwangError } from '../../common/errors.js';
import { definedProps } from '../../common/defined.js';

/** What the technician gave anew (a flag or an answer); an absent field was not given. */
export interface Answers {
  cloudUrl?: string;
  site?: string;
  dataDir?: string;
  coapHost?: string;
  coapPort?: number;
  lwm2m?: boolean;
  cameras?: boolean;
  hj212?: boolean;
  serialDevices?: string;
}

export type Check<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const no = (reason: string): Check<never> => ({ ok: false, reason });

/** Checks that also look at this machine (its addresses, its files): in the wizard, which runs on the gateway. */
export interface Local {
  local: boolean;
}

export function checkCloudUrl(s: string): Check<string> {
  const rule =
    'give the broker URL from the cloud operator: mqtt://host[:port] or mqtts://host[:port] (ws:// and wss:// also work)';
  if (!s) return no(`an answer is needed: ${rule}`);
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return no(`${JSON.stringify(s)} is not a URL: ${rule}`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(u.protocol))
    return no(`${JSON.stringify(s)} is not a broker URL: ${rule}`);
  if (!u.hostname) return no(`${JSON.stringify(s)} names no host: ${rule}`);
  return ok(s);
}

export function checkSite(s: string): Check<string> {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) return no('the site name may not hold control characters');
  if (s.length > 200) return no(`the site name is ${s.length} characters long; 200 at most`);
  return ok(s);
}

/** `~` and `~/…` expanded with the home directory; other paths must be absolute (the agent runs from /). */
export function expandPath(s: string, what: string, example: string): Check<string> {
  const p = s === '~' ? homedir() : s.startsWith('~/') ? join(homedir(), s.slice(2)) : s;
  if (p.startsWith('~'))
    return no(
      `${JSON.stringify(s)}: only ~ and ~/… are expanded (your home directory); give the full path, e.g. ${example}`,
    );
  if (!isAbsolute(p))
    return no(
      `${JSON.stringify(s)} is a relative path; the ${what} needs an absolute path (the agent does not run from this directory), e.g. ${example}`,
    );
  return ok(resolve(p));
}

export function checkDataDir(s: string): Check<string> {
  if (!s) return no('an answer is needed: the directory of the store, cameras and agent socket, e.g. /var/lib/yiwang');
  const p = expandPath(s, 'data directory', '/var/lib/yiwang');
  if (!p.ok) return p;
  if (existsSync(p.value) && !statSync(p.value).isDirectory()) return no(`${p.value} exists and is not a directory`);
  return p;
}

/** Addresses a socket can bind on this machine: its interfaces and the wildcards. */
function localAddresses(): string[] {
  return ['0.0.0.0', '::', ...Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address))];
}

export function checkHost(s: string, o: Local): Check<string> {
  if (!isIP(s))
    return no(
      `${JSON.stringify(s)} is not an IP address: give 0.0.0.0 (all IPv4 interfaces), :: (all interfaces) or one address of this machine`,
    );
  if (o.local && !localAddresses().includes(s)) {
    return no(
      `${s} is not an address of this machine, so the listener could not bind it; use 0.0.0.0 or one of ${localAddresses()
        .filter((a) => !['0.0.0.0', '::'].includes(a))
        .join(', ')}`,
    );
  }
  return ok(s);
}

export function checkPort(s: string): Check<number> {
  if (!/^\d+$/.test(s))
    return no(`${JSON.stringify(s)} is not a port: coap.port must be an integer from 0 to 65535 (0 = any free port)`);
  const n = Number(s);
  if (n > 65535) return no(`${s} is too large: coap.port must be an integer from 0 to 65535`);
  return ok(n);
}

/** y, yes, n or no (any case); nothing else, so "maybe" is asked again. */
export function checkYesNo(s: string): Check<boolean> {
  if (/^(y|yes)$/i.test(s)) return ok(true);
  if (/^(n|no)$/i.test(s)) return ok(false);
  return no(`${JSON.stringify(s)}: answer y (yes) or n (no)`);
}

/** A serial device file, or '' / '-' for none. */
export function checkSerialFile(s: string, o: Local): Check<string> {
  if (!s || s === '-') return ok('');
  const p = expandPath(s, 'serial device file', '/etc/yiwang/serial.toml');
  if (!p.ok) return p;
  if (o.local && !existsSync(p.value))
    return no(
      `${p.value} does not exist: write it first (docs/reference/protocols.md), or answer - for no RS-485 buses and set serial.devices_file later`,
    );
  if (o.local && statSync(p.value).isDirectory())
    return no(`${p.value} is a directory; the serial device file is one TOML file`);
  return p;
}

/** The flags as answers; a bad one fails with CONFIG_ERR_INVALID naming the flag (exit 3), before any question. */
export interface InitFlags {
  cloudUrl?: string;
  site?: string;
  dataDir?: string;
  coapHost?: string;
  coapPort?: string;
  lwm2m?: boolean;
  cameras?: boolean;
  hj212?: boolean;
  serialDevices?: string;
}

export function answersFromFlags(f: InitFlags): Answers {
  const take = <T>(flag: string, raw: string | undefined, c: (s: string) => Check<T>): T | undefined => {
    if (raw === undefined) return undefined;
    const r = c(raw.trim());
    if (!r.ok) throw new YiwangError('CONFIG_ERR_INVALID', `${flag}: ${r.reason}`);
    return r.value;
  };
  return definedProps({
    cloudUrl: take('--cloud-url', f.cloudUrl, checkCloudUrl),
    site: take('--site', f.site, checkSite),
    dataDir: take('--data-dir', f.dataDir, checkDataDir),
    coapHost: take('--coap-host', f.coapHost, (s) => checkHost(s, { local: false })),
    coapPort: take('--coap-port', f.coapPort, checkPort),
    lwm2m: f.lwm2m,
    cameras: f.cameras,
    hj212: f.hj212,
    serialDevices: take('--serial-devices', f.serialDevices, (s) => checkSerialFile(s, { local: false })),
  });
}
