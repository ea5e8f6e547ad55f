/**
 * SenML CBOR (112) and plain CBOR single values (60): as the LwM2M server decodes them (see
 * lwm2m-common.ts), and SenML CBOR as the CoAP uplink server decodes POST /senml (when it does).
 */
import { unhex } from '../../edge/southbound/lwm2m/core/fixtures/helpers.js';
import { all } from './common.js';
import { coapSenml, isEdgeCoded } from './coap-senml.js';
import { codecTarget, decodeAll, isLwm2mCoded, nodeRoundTrip, singleRoundTrip } from './lwm2m-common.js';

const isCoded = (err: unknown): boolean => isLwm2mCoded(err) || isEdgeCoded(err);

const base = codecTarget({
  name: 'senml-cbor',
  description: 'SenML CBOR (112, also Read-Composite path lists) and CBOR (60) payloads, records → readings',
  formats: [112, 60],
  composite: true,
  dictionary: [
    '9f',
    'bf',
    'ff',
    'c1',
    'c0',
    'd818',
    'f7',
    'f6',
    'f818',
    '5a7fffffff',
    '7bffffffffffffffff',
    '9bffffffffffffffff',
    '1bffffffffffffffff',
    '3bffffffffffffffff',
    'fb7ff8000000000000',
    'fb7ff0000000000000',
    'fb47efffffe0000000',
    '21',
    '22',
    '63766c6f',
    'a0',
    '80',
    '00',
    '01',
    '02',
    '03',
    '04',
    '05',
    '06',
    '08',
    '2061',
    '2161',
    '6100',
    '5f41004100ff',
    '7f6161ff',
    'c11a5a000000',
    'c1fb4415af1d78b58c40',
  ].map(unhex),
  roundTrips: [nodeRoundTrip(112, false), singleRoundTrip(60)],
});

export default {
  ...base,
  run(input: Uint8Array): unknown {
    all(isCoded, [
      () => decodeAll(112, input, true),
      () => decodeAll(60, input, false),
      () => coapSenml(input, 'cbor'),
      () => coapSenml(input, 'cbor', 'dev-1'),
    ]);
    return undefined;
  },
  isCoded,
};
