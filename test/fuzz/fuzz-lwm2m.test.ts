/** Short fuzz runs of the CoAP and LwM2M parsers (test/fuzz/lib/short-run.ts, docs/reference/fuzzing.md). */
import t from 'tap';
import { shortRun } from './lib/short-run.js';

t.test('link-format', (t) => shortRun(t, 'link-format', { runs: 3000 }));
t.test('lwm2m-tlv', (t) => shortRun(t, 'lwm2m-tlv', { runs: 2000 }));
t.test('senml-json', (t) => shortRun(t, 'senml-json', { runs: 1500 }));
t.test('senml-cbor', (t) => shortRun(t, 'senml-cbor', { runs: 1500 }));
t.test('lwm2m-json', (t) => shortRun(t, 'lwm2m-json', { runs: 2000 }));
t.test('text-opaque', (t) => shortRun(t, 'text-opaque', { runs: 2000 }));
t.test('coap', (t) => shortRun(t, 'coap', { runs: 4000 }));
