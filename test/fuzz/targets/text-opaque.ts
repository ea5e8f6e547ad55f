/** Single-value formats: text/plain (0), opaque (42) and CBOR (60), see lwm2m-common.ts. */
import { codecTarget, singleRoundTrip } from './lwm2m-common.js';
import { text } from './common.js';

export default codecTarget({
  name: 'text-opaque',
  description: 'text/plain (0) and application/octet-stream (42) single values at every path level',
  formats: [0, 42],
  seedFormats: [0, 42, 60],
  dictionary: ['-', '+', '.', 'e', 'E', '0', '1', '9223372036854775807', '-9223372036854775808', '18446744073709551615', '18446744073709551616', '1e309', 'NaN', 'Infinity',
    ':', '65535:65535', '65536:0', 'true', 'false', '\u0000', '\u00ff', '\ud800', '   '],
  extraSeeds: [text('int', '-42'), text('float', '22.4'), text('bool', '1'), text('objlnk', '3:0'), text('time', '1714557600'), text('string', 'Open Mobile Alliance'), text('big', '9223372036854775807')],
  roundTrips: [singleRoundTrip(0), singleRoundTrip(42, ['opaque'])],
});
