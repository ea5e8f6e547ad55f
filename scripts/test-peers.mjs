// Installs the Debian packages the test suite talks to (real peers), when they are missing.
// Runs before `npm test`. As root it installs with apt-get; otherwise it names what is missing and fails.
import { execFileSync, spawnSync } from 'node:child_process';

/** binary to look for → Debian package that provides it */
export const PEERS = [
  {
    bin: 'coap-client-notls',
    pkg: 'libcoap3-bin',
    why: 'CoAP clients for uplink and LwM2M interop tests (also coap-client-openssl / -gnutls for DTLS)',
  },
  { bin: 'openssl', pkg: 'openssl', why: 'openssl s_client -dtls1_2 -psk: a DTLS client for the DTLS server tests' },
  { bin: 'mosquitto_sub', pkg: 'mosquitto-clients', why: 'MQTT client for broker ACL and interop tests' },
  {
    bin: 'chromium',
    pkg: 'chromium',
    why: 'headless browser for the dashboard page test (driven by playwright-core, never downloaded)',
  },
  { bin: 'ffmpeg', pkg: 'ffmpeg', why: 'camera stream probe and live-view restream (also ffprobe)' },
  { bin: 'socat', pkg: 'socat', why: 'pseudo-terminal pairs (virtual RS-485 lines) for the serial adapter tests' },
  // pymodbus's server imports pyserial-asyncio (and so pyserial), which Debian only recommends (not installed with --no-install-recommends)
  {
    bin: 'python3-serial-asyncio',
    pkg: 'python3-serial-asyncio',
    why: 'pyserial-asyncio, imported by the pymodbus RTU slave',
    check: '/usr/bin/python3 -c "import serial_asyncio"',
  },
  {
    bin: 'python3-pymodbus',
    pkg: 'python3-pymodbus',
    why: 'reference Modbus RTU slave (scripts/sim/modbus-slave-pymodbus.py)',
    check: '/usr/bin/python3 -c "import pymodbus.server"',
  },
  { bin: 'tmux', pkg: 'tmux', why: 'a real terminal for the CLI screen tests (test/edge/cli/terminal-screen.test.ts)' },
  // GStreamer's RTSP server serves the test camera stream (scripts/sim/rtsp-server.py, run with /usr/bin/python3)
  ...[
    'gstreamer1.0-rtsp',
    'gir1.2-gst-rtsp-server-1.0',
    'python3-gst-1.0',
    'gstreamer1.0-plugins-good',
    'gstreamer1.0-plugins-bad',
    'gstreamer1.0-plugins-ugly',
  ].map((pkg) => ({
    bin: pkg,
    pkg,
    why: 'test camera RTSP stream',
    check: `/usr/bin/python3 -c "import gi; gi.require_version('GstRtspServer','1.0'); from gi.repository import Gst, GstRtspServer; Gst.init(None); assert Gst.ElementFactory.find('x264enc') and Gst.ElementFactory.find('rtph264pay')"`,
  })),
];

const have = (p) => spawnSync('sh', ['-c', p.check ?? `command -v ${p.bin}`], { stdio: 'ignore' }).status === 0;
const missing = PEERS.filter((p) => !have(p));
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
const still = missing.filter((p) => !have(p));
if (still.length) {
  console.error(`test peers still missing after install: ${still.map((p) => p.bin).join(' ')}`);
  process.exit(1);
}
