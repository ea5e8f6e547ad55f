/**
 * CoRE Link Format and the Register/Update query, as a Register reaches the LwM2M server.
 * Input: `<query>\n<links>` — the Uri-Query options joined by '&', a newline, the payload — or
 * only the payload when there is no newline. The links go through parseCoreLinks,
 * parseRegistrationLinks and the server's parseLinks (with its cache); the query through
 * parseRegisterQuery and parseUpdateQuery; the chosen content format through chooseContentFormat.
 */
import fc from 'fast-check';
import {
  formatCoreLinks,
  parseCoreLinks,
  parseRegistrationLinks,
  type CoreLink,
} from '../../../edge/southbound/lwm2m/core/link-format.js';
import {
  chooseContentFormat,
  parseLinks,
  parseRegisterQuery,
  parseUpdateQuery,
} from '../../../edge/southbound/lwm2m/server/registration.js';
import { codedBy, roundTrip, type FuzzTarget } from '../lib/target.js';
import { assertSame } from '../lib/roundtrip.js';
import { all, asBuffer, decodeUtf8, text } from './common.js';

const isCoded = codedBy(['LWM2M_ERR_'], ['LWM2M_ERR_INTERNAL']);

const SEEDS: readonly [string, string][] = [
  [
    'register-libcoap',
    'ep=urn:imei:861234567890001&lt=120&lwm2m=1.1&b=U&Q\n</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>;ver=1.1,</3303/0>',
  ],
  [
    'register-queue',
    'ep=urn:imei:861234567890002&lt=300&b=UQ\n</>;rt="oma.lwm2m";ct=11542,</1/0>,</3/0>,</3303/0>,</3304/0>',
  ],
  [
    'register-ct-list',
    'ep=dev-1&lwm2m=1.2&sms=+8613800000000\n</>;rt="oma.lwm2m";ct="60 110 11542",</1/0>,</3/0>;ver=1.1,</3303>,</3303/1>',
  ],
  ['register-alt-root', 'ep=x&lt=86400\n</lwm2m>;rt="oma.lwm2m",</lwm2m/3/0>'],
  ['update', 'lt=60&b=U\n</1/0>,</3/0>'],
  ['update-q', 'Q\n'],
  ['discover', '</3/0/1>;dim=2;pmin=10;obs'],
  ['discover-attrs', '</3/0>;ver=1.1;rt="x"'],
  ['instances', '</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>,</3303/0>,</3303/1>,</3304/0>'],
  ['quoted-commas', '</>;rt="oma.lwm2m";title="a,b;c",</3/0>'],
  ['bad-unterminated', '</3/0,</4/0>;ver="1'],
  ['bad-empty-attr', '</3/0>;=1'],
];

function run(input: Uint8Array): unknown {
  const s = decodeUtf8(input);
  const nl = s.indexOf('\n');
  const query =
    nl < 0
      ? []
      : s
          .slice(0, nl)
          .split('&')
          .filter((q) => q !== '');
  const links = nl < 0 ? s : s.slice(nl + 1);
  all(isCoded, [
    () => parseCoreLinks(links),
    () => parseRegistrationLinks(links),
    () => {
      const parsed = parseLinks(asBuffer(input.subarray(nl + 1)));
      const p = parseRegisterQuery(query);
      return chooseContentFormat(p.version, parsed.contentFormats);
    },
    () => parseUpdateQuery(query),
  ]);
  return undefined;
}

// Links whose text survives formatCoreLinks → parseCoreLinks: no quote, comma, semicolon or angle
// bracket inside a target or a value, attribute names from the RFC 6690 token characters.
const safeText = (min: number) =>
  fc.string({ unit: fc.constantFrom(...'abcXYZ019/._-~ :'.split('')), minLength: min, maxLength: 12 });
const attrName = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCZ0189_.!#$&+^`|~-'.split('')),
    minLength: 1,
    maxLength: 8,
  })
  .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
const link: fc.Arbitrary<CoreLink> = fc.record({
  target: safeText(0).map((s) => s.trim()),
  attributes: fc.dictionary(
    attrName,
    safeText(0).map((v) => v.trim()),
    { maxKeys: 4 },
  ),
});

const target: FuzzTarget = {
  name: 'link-format',
  description: 'LwM2M Register/Update: query (ep, lt, lwm2m, b, Q, sms) and CoRE link payload',
  seeds: () => SEEDS.map(([n, s]) => text(n, s)),
  dictionary: [
    '<',
    '>',
    '</',
    '/>',
    ',',
    ';',
    '=',
    '"',
    '\n',
    '&',
    'ep=',
    'lt=',
    'lwm2m=',
    'b=',
    'Q',
    'sms=',
    'rt="oma.lwm2m"',
    'ct=',
    'ver=',
    '</>',
    '</1/0>',
    '</3/0>',
    '</65535/65535>',
    '</3/0/1>',
    '1.1',
    '1.0',
    '110',
    '11542',
    'UQ',
    ' ',
    '\t',
    '%',
  ],
  maxLen: 64 * 1024,
  run,
  isCoded,
  roundTrips: [
    roundTrip('parseCoreLinks(formatCoreLinks(links))', fc.array(link, { minLength: 1, maxLength: 6 }), (links) => {
      assertSame('link format', parseCoreLinks(formatCoreLinks(links)), links);
    }),
  ],
};
export default target;
