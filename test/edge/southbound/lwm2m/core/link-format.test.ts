/** CoRE Link Format parsing for registrations (content format 40). */
import t from 'tap';
import {
  parseCoreLinks,
  parseRegistrationLinks,
  formatCoreLinks,
} from '../../../../../edge/southbound/lwm2m/core/index.js';
import { isYiwangError } from '../../../../../common/errors.js';

t.test('registration links: root, ct list, objects, versions', async (t) => {
  const r = parseRegistrationLinks('</>;rt="oma.lwm2m";ct="60 110 11542",</1/0>,</3/0>;ver=1.1,</3303>,</3303/1>');
  t.same(r.contentFormats, [60, 110, 11542]);
  t.equal(r.rootPath, '');
  t.same(
    r.objects.map((o) => [o.path.toString(), o.version]),
    [
      ['/1/0', undefined],
      ['/3/0', '1.1'],
      ['/3303', undefined],
      ['/3303/1', undefined],
    ],
  );
  // Core 1.1.1 §6.2.1: ct on the root path link, also without rt="oma.lwm2m" (as Murata modules send it)
  const plain = parseRegistrationLinks('</>;ct=112,</1/0>,</3/0>');
  t.same([plain.contentFormats, plain.rootPath, plain.objects.length], [[112], '', 2], '</>;ct=112 announces CBOR');
  t.same(
    parseRegistrationLinks('</lwm2m>;rt="oma.lwm2m";ct=110,</>;ct=112,</lwm2m/3/0>').contentFormats,
    [110],
    'the rt="oma.lwm2m" root link wins over a plain </>',
  );
  const alt = parseRegistrationLinks('</lwm2m>;rt="oma.lwm2m",</lwm2m/3/0>');
  t.same([alt.rootPath, alt.objects[0]!.path.toString()], ['/lwm2m', '/3/0']);
  t.same(parseRegistrationLinks('').objects, []);
  t.same(parseCoreLinks('</3/0/1>;dim=2;pmin=10;obs'), [
    { target: '/3/0/1', attributes: { dim: '2', pmin: '10', obs: '' } },
  ]);
  t.equal(formatCoreLinks(parseCoreLinks('</3/0>;ver=1.1;rt="x"')), '</3/0>;ver=1.1;rt="x"');
});

t.test('malformed links are LWM2M_ERR_LINK, never other exceptions', async (t) => {
  for (const bad of [
    '<3/0',
    '</3/0>;ver="1',
    '</3/0/1>',
    '</x/y>',
    '</3/0>;ver=one',
    '</>;rt="oma.lwm2m";ct=abc',
    '</a>;rt="oma.lwm2m",</b/3/0>',
    '</3/0>;=1',
  ]) {
    let code: string | undefined;
    try {
      parseRegistrationLinks(bad);
    } catch (e) {
      code = isYiwangError(e) ? e.code : String(e);
    }
    t.equal(code, 'LWM2M_ERR_LINK', bad);
  }
  let n = 0;
  const alphabet = '</>;=,"0123 abc.';
  for (let i = 0; i < 20_000; i++) {
    const s = Array.from({ length: 1 + (i % 40) }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join(
      '',
    );
    try {
      parseRegistrationLinks(s);
    } catch (e) {
      if (!isYiwangError(e, 'LWM2M_ERR_LINK')) throw e;
      n++;
    }
  }
  t.ok(n > 0, `random inputs rejected with LWM2M_ERR_LINK only (${n})`);
});
