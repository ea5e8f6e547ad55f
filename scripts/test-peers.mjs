// Installs the Debian packages the test suite talks to (real peers), when they are missing.
// Runs before `npm test`. As root it installs with apt-get; otherwise it names what is missing and fails.
import { execFileSync, spawnSync } from 'node:child_process';

/** binary to look for → Debian package that provides it */
export const PEERS = [
  { bin: 'coap-client-notls', pkg: 'libcoap3-bin', why: 'CoAP client for uplink and LwM2M interop tests' },
  { bin: 'mosquitto_sub', pkg: 'mosquitto-clients', why: 'MQTT client for broker ACL and interop tests' },
];

const have = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const missing = PEERS.filter((p) => !have(p.bin));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((p) => p.pkg))];
if (process.getuid && process.getuid() !== 0) {
  console.error(`test peers missing: ${pkgs.join(' ')} — install them as root: apt-get install -y ${pkgs.join(' ')}`);
  process.exit(1);
}
console.error(`installing test peers: ${pkgs.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
} catch {
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
}
const still = missing.filter((p) => !have(p.bin));
if (still.length) {
  console.error(`test peers still missing after install: ${still.map((p) => p.bin).join(' ')}`);
  process.exit(1);
}
