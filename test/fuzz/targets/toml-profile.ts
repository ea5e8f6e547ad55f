/**
 * Device profiles (edge/profiles/load.ts loadProfileFile → validate.ts validateProfile, with the
 * serial and HJ 212 binding validators the agent loads): the input is written as
 * <dir>/fuzz/profile.toml and loaded; a profile that loads then decodes the bytes of each of its own
 * vectors as the agent decodes an uplink (runInput: layout or wire decoder, metric checks, alarm
 * rules), so a fuzzed [layout] meets fuzzed payloads. A profile that fails must fail with a coded
 * error: loadProfileDirs lets any other exception stop the loading of every profile.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClockQuality } from '../../../proto/index.js';
import { AlarmEngine } from '../../../edge/profiles/alarms.js';
import { loadProfileFile } from '../../../edge/profiles/load.js';
import { runInput } from '../../../edge/profiles/vectors.js';
import { codedBy, type FuzzTarget, type Seed } from '../lib/target.js';
import { all, checkReadings, filesUnder, REPO_ROOT, scratchDir, text } from './common.js';
import { LIBRARY } from './profiles.js';
import { PROFILE_BINDINGS } from '../../../edge/profile-bindings.js';

const isCoded = codedBy(['PROFILE_ERR_', 'SERIAL_ERR_', 'HJ212_ERR_', 'DLT645_ERR_', 'CJT188_ERR_']);
const bindings = PROFILE_BINDINGS;
const root = scratchDir('profile');
mkdirSync(join(root, 'fuzz'));
const file = join(root, 'fuzz', 'profile.toml');

function run(input: Uint8Array): unknown {
  writeFileSync(file, input);
  const p = loadProfileFile(file, bindings, root);
  if (p.script) return p; // scripts run in the QuickJS sandbox: not part of this target
  const ctx = { deviceId: 'dev-1', ts: 1_714_557_600_000, clock: ClockQuality.CLOCK_GATEWAY_SYNCED };
  const alarms = new AlarmEngine();
  all(
    isCoded,
    p.vectors
      .filter((v) => v.command === undefined)
      .map((v) => () => {
        const out = runInput(
          p,
          undefined,
          alarms,
          { ...(v.hex !== undefined ? { hex: v.hex } : {}), ...(v.lwm2m ? { lwm2m: v.lwm2m } : {}) },
          ctx,
        );
        checkReadings(out.readings, `${p.id} vector ${v.name}`);
      }),
  );
  return p;
}

function seeds(): Seed[] {
  const out: Seed[] = filesUnder(LIBRARY, (f) => f.endsWith('.toml')).map((f) => ({
    name: `library-${f.slice(LIBRARY.length + 1)}`,
    bytes: new Uint8Array(readFileSync(f)),
  }));
  // the TOML examples of the profile guide
  const guide = join(REPO_ROOT, 'docs', 'guides', 'write-a-profile.md');
  if (existsSync(guide)) {
    const blocks = [...readFileSync(guide, 'utf8').matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    blocks.forEach((b, i) => {
      out.push(text(`guide-${i + 1}`, b));
    });
  }
  return out;
}

const target: FuzzTarget = {
  name: 'toml-profile',
  description:
    'device profile TOML files: load, validate (layout, bindings, metrics, alarms, commands, vectors), then their own vectors decoded',
  seeds,
  dictionary: [
    '[profile]',
    '[match]',
    '[transport.serial]',
    '[transport.hj212]',
    '[transport.lwm2m]',
    '[transport.coap]',
    '[layout]',
    '[downlink]',
    '[metrics.',
    '[[alarms]]',
    '[commands.',
    '[[vectors]]',
    '[layout.records.',
    '[layout.messages.',
    'fields = [',
    '{ name = "x", type = "u16" }',
    'type = "u8"',
    'type = "i32"',
    'type = "f32"',
    'type = "bcd"',
    'type = "bits"',
    'scale = ',
    'offset = ',
    'endian = "little"',
    'checksum = ',
    'length = ',
    'tag = ',
    'repeat = ',
    'enum = { 0 = "a" }',
    'hex = "',
    'readings = {',
    'error = "',
    'above = ',
    'below = ',
    'clear = ',
    'equals = ',
    'protocol = "modbus"',
    'protocol = "dlt645"',
    'protocol = "cjt188"',
    'registers = [',
    'items = [',
    'function = 3',
    'address = 65535',
    'word_order = "little"',
    'di = "',
    '=',
    '"',
    '[',
    ']',
    '\n',
    '9223372036854775807',
    '-1',
    '1e999',
    'nan',
    '0x7fffffff',
    '__proto__',
    'constructor',
    'toString',
  ],
  maxLen: 64 * 1024,
  run,
  isCoded,
};
export default target;
