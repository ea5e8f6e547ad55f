import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../../common/paths.js';
import { parseToml } from '../../../../common/toml-read.js';
import { compileLayout, decodePayload } from '../../../../edge/profiles/layout/index.js';
import { asObject, fromHex } from './fixtures/load.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'reference', 'layout.md'), 'utf8');
const blocks = [...doc.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]!);

t.test('every TOML example in docs/reference/layout.md compiles', async (t) => {
  t.ok(blocks.length >= 8, `${blocks.length} examples`);
  for (const [i, text] of blocks.entries()) {
    const specs: unknown[] = [];
    if (text.startsWith('[layout]')) {
      specs.push((parseToml(text) as { layout: unknown }).layout);
    } else {
      for (const line of text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'))) {
        if (line.startsWith('checksum')) specs.push({ ...parseToml(line), fields: [{ name: 'a', type: 'u32' }] });
      }
      if (text.trimStart().startsWith('{')) {
        const fields = (
          parseToml(`fields = [\n${text.trim().replace(/\}\n(?=\{)/g, '},\n')}\n]`) as { fields: unknown[] }
        ).fields;
        specs.push({ fields });
      }
    }
    t.ok(specs.length > 0, `example ${i} is a layout, fields or checksums`);
    for (const s of specs) t.doesNotThrow(() => compileLayout(s, `layout.md example ${i}`), `example ${i}`);
  }
});

t.test('the worked examples decode as the text says', async (t) => {
  const first = compileLayout((parseToml(blocks[0]!) as { layout: unknown }).layout, 'first');
  const b = fromHex('002300D7080000000000000000' + '00');
  b[13] = b.subarray(0, 13).reduce((s, x) => (s + x) & 0xff, 0);
  t.same(asObject(decodePayload(first, b).values), { pm2_5: 35, temperature: 21.5, alarm: true });
  const records = blocks.find((x) => x.includes('tag = "u16be"')) as string;
  const tlv = compileLayout((parseToml(records) as { layout: unknown }).layout, 'records');
  t.same(asObject(decodePayload(tlv, fromHex('01755C03670101')).values), { battery: 92, temperature: 25.7 });
});
