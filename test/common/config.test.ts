import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadConfig, opt } from '../../common/config.js';
import { throwsCode } from '../helpers/errors.js';

const schema = { sync: { inflight: opt.int(8, 'batches in flight', { min: 1 }), url: opt.str('mqtt://x', 'url') } };
const dir = mkdtempSync(join(tmpdir(), 'yw-cfg-'));

t.test('defaults and overrides', async (t) => {
  const c = loadConfig(schema, undefined, { sync: { inflight: 3 } });
  t.equal(c.sync.inflight, 3);
  t.equal(c.sync.url, 'mqtt://x');
});

t.test('errors name the file and the key', async (t) => {
  const f = join(dir, 'edge.toml');
  writeFileSync(f, '[sync]\ninflight = 0\n');
  throwsCode(
    t,
    () => loadConfig(schema, f),
    'CONFIG_ERR_INVALID',
    /edge\.toml: sync\.inflight must be an integer >= 1 \(got 0\)/,
  );
  writeFileSync(f, '[sync]\ninflght = 2\n');
  throwsCode(t, () => loadConfig(schema, f), 'CONFIG_ERR_INVALID', /unknown key sync\.inflght/);
  writeFileSync(f, '[sync\n');
  throwsCode(t, () => loadConfig(schema, f), 'CONFIG_ERR_SYNTAX', /edge\.toml/);
  throwsCode(t, () => loadConfig(schema, join(dir, 'missing.toml')), 'CONFIG_ERR_READ');
});
