/** LwM2M JSON (11543 and the 1.0 form 1543): see lwm2m-common.ts for how a payload is driven. */
import { codecTarget, nodeRoundTrip } from './lwm2m-common.js';

export default codecTarget({
  name: 'lwm2m-json',
  description: 'LwM2M JSON payloads (11543/1543) decoded at every path level, records → readings',
  formats: [11543],
  seedFormats: [11543, 1543],
  dictionary: ['[', ']', '{', '}', ',', ':', '"bn"', '"bt"', '"e"', '"n"', '"v"', '"sv"', '"bv"', '"ov"', '"t"', '"/3/0/"', '"0"', '"6/1"', '"/"', '1', '-5', '22.4',
    '1e308', '1e300', '9007199254740993', 'true', 'false', 'null', '"66:0"', '"65536:0"', '"\\ud800"', ' ', '"e":[', '{"n":"0","v":1}'],
  roundTrips: [nodeRoundTrip(11543, true)],
});
