/** LwM2M TLV (content formats 11542 and 1542): see lwm2m-common.ts for how a payload is driven. */
import { unhex } from '../../edge/southbound/lwm2m/core/fixtures/helpers.js';
import { codecTarget, nodeRoundTrip } from './lwm2m-common.js';

export default codecTarget({
  name: 'lwm2m-tlv',
  description: 'LwM2M TLV payloads (11542/1542) decoded at every path level, records → readings',
  formats: [11542],
  seedFormats: [11542, 1542],
  dictionary: [
    '08ffffff',
    'c8ffff',
    '88070f',
    '3fffffffff',
    'e8ffff07',
    '00',
    'c1',
    '41ff',
    '80',
    'ff',
    'c800',
    'e80000',
    '0800',
    '4800',
    '8800',
  ].map(unhex),
  roundTrips: [nodeRoundTrip(11542, false)],
});
