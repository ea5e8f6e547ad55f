/** Device lists of a remote config, and what an applied config reports it does not act on. */
import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { DeviceFilter, inertKeys } from '../../../edge/remote-config/live.js';
import { parseDesiredConfig } from '../../../edge/remote-config/schema.js';
import { ConfigApplier } from '../../../edge/remote-config/applier.js';
import { signConfig } from '../../../proto/config-signing.js';
import { pb } from '../../../proto/index.js';
import { keyIdOf, rawEd25519Public } from '../../../cloud/pki/fleet-ca.js';
import { silentLogger } from '../../../common/log.js';
import { tempDir } from '../../helpers/fleet.js';

const r = (deviceId: string) => ({ deviceId });

t.test(
  'deny drops listed devices; a non-empty allow list keeps only its devices; empty lists filter nothing',
  async (t) => {
    const f = new DeviceFilter();
    const all = [r('a'), r('b'), r('c')];
    t.equal(f.keep(all), all, 'no lists: everything, untouched');
    f.set(undefined, ['b']);
    t.same(
      f.keep(all).map((x) => x.deviceId),
      ['a', 'c'],
    );
    f.set(['a', 'b'], ['b']);
    t.same(
      f.keep(all).map((x) => x.deviceId),
      ['a'],
      'deny wins over allow',
    );
    f.set([], []);
    t.same(
      f.keep(all).map((x) => x.deviceId),
      ['a', 'b', 'c'],
      'an empty allow list allows all',
    );
    t.equal(f.dropped, 3, 'dropped readings counted');
  },
);

t.test('APPLIED names the keys this agent validates but does not act on', async (t) => {
  t.same(inertKeys(parseDesiredConfig('[sync]\ndaily_bytes = 1\n[devices]\ndeny = ["x"]\n')), [], 'live keys only');
  t.same(
    inertKeys(
      parseDesiredConfig('[sampling]\ndefault_interval_s = 60\n[thresholds.temp]\nmax = 80\n[cameras]\nfps = 5\n'),
    ),
    ['sampling.default_interval_s', 'thresholds.temp', 'cameras.fps'],
  );
  const key = generateKeyPairSync('ed25519').privateKey;
  const pub = rawEd25519Public(key);
  const reports: ReturnType<typeof pb.ConfigStatus.decode>[] = [];
  const a = new ConfigApplier({
    gatewayId: 'gw-1',
    publicKey: pub,
    file: join(tempDir('yw-remote-config-live-'), 'c.json'),
    log: silentLogger(),
    note: (c) => inertKeys(c).join(', '),
    report: (b) => reports.push(pb.ConfigStatus.decode(b)),
  });
  const out = a.handle(
    signConfig(
      { gatewayId: 'gw-1', version: 1, toml: '[sampling]\ndefault_interval_s = 60\n', issuedMs: 0, label: '' },
      key,
      keyIdOf(pub),
    ),
  );
  t.equal(out.state, 'applied');
  t.equal(reports[0]?.detail, 'sampling.default_interval_s', 'the detail travels in the ConfigStatus');
});
