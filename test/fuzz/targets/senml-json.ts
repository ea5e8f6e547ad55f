/**
 * SenML JSON: as the LwM2M server decodes it (110: notifications, Send, Read-Composite; see
 * lwm2m-common.ts) and as the CoAP uplink server decodes POST /senml (edge/southbound/coap/senml.ts,
 * with and without a device id in the path), readings checked against their contract.
 */
import { all, text } from './common.js';
import { coapSenml, isEdgeCoded } from './coap-senml.js';
import { codecTarget, decodeAll, isLwm2mCoded, nodeRoundTrip } from './lwm2m-common.js';

const isCoded = (err: unknown): boolean => isLwm2mCoded(err) || isEdgeCoded(err);

const base = codecTarget({
  name: 'senml-json',
  description: 'SenML JSON: LwM2M 110 payloads at every path level, and CoAP POST /senml[/{id}] uplinks → readings',
  formats: [110],
  composite: true,
  dictionary: [
    '[',
    ']',
    '{',
    '}',
    ',',
    ':',
    '"bn"',
    '"n"',
    '"v"',
    '"vs"',
    '"vb"',
    '"vd"',
    '"vlo"',
    '"bt"',
    '"t"',
    '"bu"',
    '"u"',
    '"bv"',
    '"bver"',
    '"s"',
    '"e"',
    '"/3/0/"',
    '"0"',
    '"6/1"',
    '"/"',
    '1',
    '-5',
    '22.4',
    '1e308',
    '1e300',
    '-1e300',
    '1e15',
    '1700000000',
    '1700000000000000',
    'true',
    'false',
    'null',
    '"AQID"',
    '"66:0"',
    '"\\ud800"',
    ' ',
    '"dev-1:"',
  ],
  roundTrips: [nodeRoundTrip(110, true)],
  extraSeeds: [
    text(
      'coap-senml-device',
      '[{"bn":"urn:dev:mac:0024befffe804ff1/","bt":1.320067464e+09,"bu":"%RH","v":20},{"u":"lon","v":24.30621},{"u":"lat","v":60.07965},{"t":60,"v":20.3}]',
    ),
    text('coap-senml-path-device', '[{"n":"temperature","u":"Cel","v":22.4},{"n":"humidity","u":"%RH","v":55}]'),
    text(
      'coap-senml-strings',
      '[{"bn":"meter-7:","n":"state","vs":"open"},{"n":"alarm","vb":true},{"n":"blob","vd":"AQID"},{"n":"sum","s":12.5}]',
    ),
    text('coap-senml-relative', '[{"bn":"dev-2/","bt":-60,"n":"level","v":1},{"t":30,"n":"level","v":2}]'),
  ],
});

export default {
  ...base,
  run(input: Uint8Array): unknown {
    all(isCoded, [
      () => decodeAll(110, input, true),
      () => coapSenml(input, 'json'),
      () => coapSenml(input, 'json', 'dev-1'),
    ]);
    return undefined;
  },
  isCoded,
};
