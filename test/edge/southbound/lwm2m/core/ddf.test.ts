/**
 * The object model from DDF XML files (issue 20 item 2): the vendored OMA registry loads whole,
 * Location (6) and Connectivity Statistics (7) have their registry types in every format, bad DDF
 * files are refused whole with LWM2M_ERR_MODEL, the version rule, the corrections overlay, and
 * vendors' files (`lwm2m.object_dirs`) on top of the registry, in the agent too.
 */
import t from 'tap';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isYiwangError } from '../../../../../common/errors.js';
import { REPO_ROOT } from '../../../../../common/paths.js';
import { silentLogger } from '../../../../../common/log.js';
import { EdgeAgent } from '../../../../../edge/agent.js';
import {
  BUILTIN_OBJECTS,
  CONTENT_FORMAT,
  DEFAULT_REGISTRY,
  decodeNode,
  decodeRecords,
  metricName,
  parsePath,
  type Lwm2mValue,
} from '../../../../../edge/southbound/lwm2m/core/index.js';
import { applyCorrections, CORRECTIONS } from '../../../../../edge/southbound/lwm2m/core/objects/corrections.js';
import {
  MAX_DDF_BYTES,
  compareVersions,
  newestPerId,
  parseDdf,
} from '../../../../../edge/southbound/lwm2m/core/objects/ddf.js';
import { REGISTRY_ENTRIES } from '../../../../../edge/southbound/lwm2m/core/objects/registry-objects.js';
import { expandEntry } from '../../../../../edge/southbound/lwm2m/core/objects/registry-rows.js';
import { loadObjectModel, readDdfDir, readDdfFile } from '../../../../../edge/southbound/lwm2m/object-files.js';
import { edgeConfig, tempDir } from '../../../../helpers/fleet.js';
import { captureLog } from '../../../../helpers/log-capture.js';
import { rejectsCode, throwsCode } from '../../../../helpers/errors.js';

const REGISTRY_DIR = join(REPO_ROOT, 'edge', 'southbound', 'lwm2m', 'registry', 'oma');
/** Files and distinct object ids of the vendored registry (../shared/lwm2m-registry, 2024-02-22). */
const REGISTRY_FILES = 282;
const REGISTRY_IDS = 282;

interface ItemSpec {
  id?: string;
  name?: string;
  ops?: string;
  type?: string;
  multiple?: string;
}

/** A DDF file of one object; items and fields as given (so tests can break them). */
function ddf(objectId: string, items: ItemSpec[], version = '1.0', name = 'Vendor Thing'): string {
  const item = (i: ItemSpec) => `<Item ID="${i.id ?? '1'}">
        <Name>${i.name ?? 'Level'}</Name>
        <Operations>${i.ops ?? 'R'}</Operations>
        <MultipleInstances>${i.multiple ?? 'Single'}</MultipleInstances>
        <Mandatory>Mandatory</Mandatory>
        <Type>${i.type ?? 'Float'}</Type>
        <RangeEnumeration>0..100</RangeEnumeration>
        <Units>m</Units>
        <Description>level &amp; more</Description>
      </Item>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<!-- test file -->
<LWM2M xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://openmobilealliance.org/tech/profiles/LWM2M-v1_1.xsd">
  <Object ObjectType="MODefinition">
    <Name>${name}</Name>
    <Description1>test</Description1>
    <ObjectID>${objectId}</ObjectID>
    <ObjectURN>urn:oma:lwm2m:x:${objectId}</ObjectURN>
    <LWM2MVersion>1.1</LWM2MVersion>
    <ObjectVersion>${version}</ObjectVersion>
    <MultipleInstances>Multiple</MultipleInstances>
    <Mandatory>Optional</Mandatory>
    <Resources>
      ${items.map(item).join('\n      ')}
    </Resources>
    <Description2></Description2>
  </Object>
</LWM2M>
`;
}

const GOOD = ddf('32000', [{ id: '1' }, { id: '2', name: 'Reset', ops: 'E', type: '' }]);

t.test('every vendored registry file loads; one definition per object id', async (t) => {
  const xml = readdirSync(REGISTRY_DIR).filter((f) => f.endsWith('.xml'));
  t.equal(xml.length, REGISTRY_FILES, 'DDF files vendored');
  const objects = readDdfDir(REGISTRY_DIR);
  t.equal(objects.length, REGISTRY_FILES, 'each file defines one object and none is refused');
  t.equal(new Set(objects.map((o) => o.model.id)).size, REGISTRY_IDS, 'distinct object ids');
  t.equal(BUILTIN_OBJECTS.length, REGISTRY_IDS, 'the built-in model has every one of them');
  t.equal(DEFAULT_REGISTRY.list().length, REGISTRY_IDS);
  for (const f of xml) {
    const text = readFileSync(join(REGISTRY_DIR, f), 'utf8');
    const header = text.slice(0, text.indexOf('<LWM2M'));
    if (!/Copyright/.test(header) || !/Redistribution and use in source and binary forms/.test(header))
      t.fail(`${f} lost its licence header`);
  }
  t.match(readFileSync(join(REGISTRY_DIR, 'README.md'), 'utf8'), /OpenMobileAlliance\/lwm2m-registry/);
  // the compiled table (registry-objects.ts) is what the loader makes of these files today
  const out = execFileSync(process.execPath, ['dist/scripts/gen-lwm2m-objects.js', '--check'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  t.match(out, /is current/, 'registry-objects.ts is in step with the DDF files');
  const raw = newestPerId(objects).map((o) => o.model);
  t.same(REGISTRY_ENTRIES.map(expandEntry), raw, 'the table equals the parsed files');
});

t.test('Location (6) and Connectivity Statistics (7) carry the registry types', async (t) => {
  const r = (o: number, id: number) => DEFAULT_REGISTRY.resource(o, id);
  t.match(DEFAULT_REGISTRY.object(6), { name: 'Location', multiple: false });
  t.match(r(6, 0), { name: 'Latitude', type: 'float', operations: 'R', mandatory: true });
  t.match(r(6, 1), { name: 'Longitude', type: 'float', mandatory: true });
  t.match(r(6, 5), { name: 'Timestamp', type: 'time', mandatory: true });
  t.match(r(6, 6), { name: 'Speed', type: 'float' });
  t.match(DEFAULT_REGISTRY.object(7), { name: 'Connectivity Statistics' });
  t.match(r(7, 0), { name: 'SMS Tx Counter', type: 'integer' });
  t.match(r(7, 2), { name: 'Tx Data', type: 'integer' });
  t.match(r(7, 6), { name: 'Start', type: 'none', operations: 'E' });
  t.equal(metricName(parsePath('/6/0/0'), DEFAULT_REGISTRY), 'latitude', 'no longer lwm2m_6_0');
  t.equal(metricName(parsePath('/7/0/2'), DEFAULT_REGISTRY), 'tx_data');

  // TLV (LwM2M 1.1 §7.4.3): 0b11_0_01_000 = resource, 8-bit id, 8-bit length; id 0, length 8, float64
  const tlv = Buffer.concat([Buffer.from([0xc8, 0x00, 0x08]), Buffer.alloc(8)]);
  tlv.writeDoubleBE(39.9042, 3);
  const node = decodeNode(CONTENT_FORMAT.TLV, tlv, parsePath('/6/0/0'));
  t.same(node, { kind: 'resource', id: 0, value: { type: 'float', value: 39.9042 } }, 'a number, not opaque');
});

t.test('TLV, SenML JSON and SenML CBOR decode the same resource to the same type', async (t) => {
  const typeOf = (format: number, bytes: Uint8Array, path: string): [string, Lwm2mValue['type'], unknown] => {
    const [rec] = decodeRecords(format, bytes, parsePath(path));
    return [rec!.path.toString(), rec!.value.type, rec!.value.value];
  };
  const text = (s: string) => new TextEncoder().encode(s);
  // /6/0/0 = 40 (integral: JSON and CBOR alone would say integer), /7/0/2 = 1024
  const lat = Buffer.concat([Buffer.from([0xc8, 0x00, 0x08]), Buffer.alloc(8)]);
  lat.writeDoubleBE(40, 3);
  const cases: [string, [number, Uint8Array][], Lwm2mValue['type'], number][] = [
    [
      '/6/0/0',
      [
        [CONTENT_FORMAT.TLV, lat],
        [CONTENT_FORMAT.SENML_JSON, text('[{"bn":"/6/0/","n":"0","v":40}]')],
        // [{-2: "/6/0/", 0: "0", 2: 40}]
        [CONTENT_FORMAT.SENML_CBOR, Buffer.from('81a321652f362f302f006130021828', 'hex')],
      ],
      'float',
      40,
    ],
    [
      '/7/0/2',
      [
        // 0b11_0_00_010: resource, 8-bit id, length 2 in the type byte; id 2, 0x0400
        [CONTENT_FORMAT.TLV, Buffer.from('c2020400', 'hex')],
        [CONTENT_FORMAT.SENML_JSON, text('[{"bn":"/7/0/","n":"2","v":1024}]')],
        // [{-2: "/7/0/", 0: "2", 2: 1024}]
        [CONTENT_FORMAT.SENML_CBOR, Buffer.from('81a321652f372f302f0061320219 0400'.replace(/ /g, ''), 'hex')],
      ],
      'integer',
      1024,
    ],
  ];
  for (const [path, payloads, type, value] of cases) {
    for (const [format, bytes] of payloads) {
      t.same(typeOf(format, bytes, path), [path, type, value], `${path} in format ${format}`);
    }
  }
});

t.test('malformed DDF files are refused whole with LWM2M_ERR_MODEL naming the file', async (t) => {
  t.match(parseDdf(GOOD, 'good.xml'), [
    {
      id: 32000,
      name: 'Vendor Thing',
      version: '1.0',
      multiple: true,
      mandatory: false,
      resources: [
        { id: 1, name: 'Level', type: 'float', operations: 'R', units: 'm', range: '0..100', mandatory: true },
        { id: 2, name: 'Reset', type: 'none', operations: 'E' },
      ],
    },
  ]);
  const bad: [string, string | Uint8Array, RegExp][] = [
    ['truncated.xml', GOOD.slice(0, GOOD.length / 2), /not well-formed XML/],
    ['unknown-type.xml', ddf('32000', [{ type: 'Decimal' }]), /unknown Type "Decimal"/],
    ['duplicate.xml', ddf('32000', [{ id: '1' }, { id: '1', name: 'Again' }]), /resource 1 defined twice/],
    ['resource-range.xml', ddf('32000', [{ id: '70000' }]), /Item ID 70000 is not an id 0\.\.65535/],
    ['object-range.xml', ddf('65536', [{}]), /ObjectID 65536 is not an id/],
    ['negative.xml', ddf('32000', [{ id: '-1' }]), /is not an id/],
    ['ops.xml', ddf('32000', [{ ops: 'RWX' }]), /unknown Operations "RWX"/],
    ['multi.xml', ddf('32000', [{ multiple: 'Many' }]), /MultipleInstances must be Single or Multiple/],
    ['version.xml', ddf('32000', [{}], 'one'), /ObjectVersion "one" is not major\.minor/],
    ['no-name.xml', ddf('32000', [{ name: '' }]), /Name is empty/],
    ['doctype.xml', `<!DOCTYPE x [<!ENTITY a "aaaa">]>${GOOD}`, /DOCTYPE/],
    ['not-ddf.xml', '<html><body/></html>', /no LWM2M root element/],
    ['empty-root.xml', '<LWM2M></LWM2M>', /holds no Object/],
    ['latin1.xml', new Uint8Array([...new TextEncoder().encode(GOOD.slice(0, 200)), 0xff, 0xfe]), /not valid UTF-8/],
    ['big.xml', GOOD.replace('test file', 'x'.repeat(MAX_DDF_BYTES)), /exceed the limit of 524288/],
  ];
  for (const [name, text, re] of bad) {
    throwsCode(t, () => parseDdf(text, `/vendor/${name}`), 'LWM2M_ERR_MODEL', re);
    throwsCode(t, () => parseDdf(text, `/vendor/${name}`), 'LWM2M_ERR_MODEL', new RegExp(`/vendor/${name}`));
  }
  // a second good object in the same file does not save it
  const second = /<Object [\s\S]*<\/Object>/.exec(ddf('32001', [{ type: 'Nope' }]))![0];
  const two = GOOD.replace('</LWM2M>', () => `${second}\n</LWM2M>`);
  throwsCode(t, () => parseDdf(two, 'two.xml'), 'LWM2M_ERR_MODEL', /object 32001 resource 1: unknown Type/);

  // oversized on disk: refused from its size, before it is read
  const dir = tempDir('yw-ddf-big-');
  const big = join(dir, 'big.xml');
  writeFileSync(big, Buffer.alloc(MAX_DDF_BYTES + 1, 0x20));
  throwsCode(t, () => readDdfFile(big), 'LWM2M_ERR_MODEL', /big\.xml" refused: 524289 bytes exceed the limit/);
  throwsCode(t, () => readDdfFile(join(dir, 'missing.xml')), 'LWM2M_ERR_MODEL', /missing\.xml" cannot be read/);
});

t.test('any input: a model or LWM2M_ERR_MODEL, never another exception', async (t) => {
  const mutate = fc.tuple(fc.nat(GOOD.length), fc.nat(40), fc.string({ maxLength: 12 }));
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), mutate), (input) => {
      const text =
        typeof input === 'string' ? input : GOOD.slice(0, input[0]) + input[2] + GOOD.slice(input[0] + input[1]);
      try {
        parseDdf(text, 'fuzz.xml');
      } catch (e) {
        if (!isYiwangError(e, 'LWM2M_ERR_MODEL')) throw e;
      }
    }),
    { numRuns: 2000, seed: 20 },
  );
  t.pass('2000 inputs');
});

t.test('the version rule: the newest ObjectVersion per id, then the file read last', async (t) => {
  t.ok(compareVersions('1.10', '1.9') > 0, '1.10 is newer than 1.9');
  t.ok(compareVersions('2.0', '1.1') > 0);
  t.equal(compareVersions('1.1', '1.1'), 0);
  const v = (version: string, source: string) => ({
    model: parseDdf(ddf('3', [{}], version, `Device ${version} ${source}`), source)[0]!,
    source,
  });
  const pick = (...list: ReturnType<typeof v>[]) => newestPerId(list).map((o) => o.model.name);
  t.same(pick(v('1.0', '3.xml'), v('1.1', '3-1_1.xml')), ['Device 1.1 3-1_1.xml']);
  t.same(pick(v('1.1', '3-1_1.xml'), v('1.0', '3.xml')), ['Device 1.1 3-1_1.xml'], 'order does not matter');
  t.same(pick(v('1.2', 'a.xml'), v('1.10', 'b.xml'), v('1.9', 'c.xml')), ['Device 1.10 b.xml']);
  t.same(pick(v('1.0', 'b.xml'), v('1.0', 'a.xml')), ['Device 1.0 b.xml'], 'equal versions: the name sorting last');
});

t.test('the corrections overlay applies to the registry definitions', async (t) => {
  const raw = REGISTRY_ENTRIES.map(expandEntry);
  const rawRes = (o: number, r: number) => raw.find((x) => x.id === o)?.resources.find((x) => x.id === r);
  const { unused } = applyCorrections(raw);
  t.same(unused, [], 'every correction finds its object and resource');
  t.ok(CORRECTIONS.length >= 20);
  t.equal(rawRes(3421, 9)?.units, 'V', 'the registry says V');
  t.match(DEFAULT_REGISTRY.resource(3421, 9), { units: 'A', note: /registry gives V/ });
  t.equal(rawRes(3303, 5700)?.units, undefined, 'the registry leaves the unit to 5701');
  t.match(DEFAULT_REGISTRY.resource(3303, 5700), { units: 'Cel', note: /5701/ });
  t.equal(DEFAULT_REGISTRY.resource(3304, 5700)?.units, '%RH');
  t.equal(DEFAULT_REGISTRY.resource(3, 10)?.units, 'kB');
  t.equal(rawRes(3408, 2)?.units, 'rad');
  t.match(DEFAULT_REGISTRY.resource(3408, 2), { units: 'deg', note: /degrees/ });
  t.match(DEFAULT_REGISTRY.resource(3408, 3)?.note, /INVERTED/);
  t.match(DEFAULT_REGISTRY.object(3408)?.note, /OPEN/);
  t.equal(rawRes(3435, 15)?.units, 'cm');
  t.equal(DEFAULT_REGISTRY.resource(3435, 15)?.units, undefined, 'unit of a string dropped');
  t.equal(rawRes(5, 4), undefined, 'Firmware Update 1.2 has no resource 4');
  t.match(DEFAULT_REGISTRY.resource(5, 4), { name: 'Update Supported Objects', type: 'boolean', note: /1\.0/ });
  // a registry slip the loader handles by rule: readable resource without a Type → opaque, noted
  t.match(DEFAULT_REGISTRY.resource(10482, 5), { type: 'opaque', operations: 'R', note: /no Type/ });
  const stale = applyCorrections(raw, [
    { object: 3, resource: 999, note: 'x' },
    { object: 65000, note: 'x' },
    {
      object: 3,
      add: { id: 0, name: 'M', type: 'string', operations: 'R', multiple: false, mandatory: false, note: 'x' },
    },
  ]);
  t.same(stale.unused, ['3/999 is not in the registry', 'object 65000 is not in the registry', '3/0 exists already']);
  t.equal(raw.find((o) => o.id === 3421)?.resources.find((r) => r.id === 9)?.units, 'V', 'input not changed');
});

t.test('lwm2m.object_dirs: vendor objects on top of the registry', async (t) => {
  const dir = tempDir('yw-ddf-vendor-');
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  mkdirSync(a);
  mkdirSync(b);
  writeFileSync(join(a, '32000.xml'), GOOD);
  writeFileSync(join(a, 'notes.txt'), 'not a DDF file');
  writeFileSync(join(b, '32000-1_1.xml'), ddf('32000', [{ id: '1', type: 'Integer' }], '1.1'));
  writeFileSync(join(b, 'temperature.xml'), ddf('3303', [{ id: '5700', name: 'Sensor Value' }], '1.0', 'My Temp'));
  const logs = captureLog();
  const model = loadObjectModel([a, b], logs.log);
  t.match(model.resource(32000, 1), { type: 'integer' }, 'version 1.1 of the vendor object wins');
  t.equal(model.object(3303)?.name, 'My Temp', 'the vendor redefinition of a registry id wins');
  t.equal(model.resource(3303, 5601), undefined);
  const warn = logs.lines.filter((l) => l.level === 40);
  t.match(warn, [{ objectId: 3303, builtinVersion: '1.1', version: '1.0', file: /temperature\.xml$/ }]);
  t.equal(DEFAULT_REGISTRY.object(3303)?.name, 'Temperature', 'the shared registry is untouched');
  t.equal(DEFAULT_REGISTRY.object(32000), undefined);
  t.equal(loadObjectModel([]).list().length, REGISTRY_IDS, 'no dirs: the registry alone');

  writeFileSync(join(b, 'zz-broken.xml'), ddf('32002', [{ id: '1' }, { id: '1' }]));
  throwsCode(t, () => loadObjectModel([a, b]), 'LWM2M_ERR_MODEL', /zz-broken\.xml" refused: object 32002: resource 1/);
  throwsCode(t, () => loadObjectModel([join(dir, 'nope')]), 'LWM2M_ERR_MODEL', /nope" cannot be read/);
});

t.test('the agent refuses to start with a bad vendor DDF file', async (t) => {
  const dir = tempDir('yw-ddf-agent-');
  const vendor = join(dir, 'objects');
  mkdirSync(vendor);
  writeFileSync(join(vendor, 'bad.xml'), ddf('32000', [{ type: 'Decimal' }]));
  const config = edgeConfig(dir, 'gw-ddf', 'gw-ddf-secret', 'mqtt://127.0.0.1:9', {
    lwm2m: { object_dirs: [vendor] },
  });
  await rejectsCode(t, EdgeAgent.start(config, silentLogger()), 'LWM2M_ERR_MODEL', /bad\.xml" refused/);
  // fixed: it starts, and says what it loaded
  writeFileSync(join(vendor, 'bad.xml'), GOOD);
  const logs = captureLog();
  const agent = await EdgeAgent.start(config, logs.log);
  t.teardown(() => agent.stop());
  t.match(
    logs.lines.find((l) => l.msg === 'vendor LwM2M objects loaded'),
    { objects: 1 },
    'the store lock was released by the refused start',
  );
});
