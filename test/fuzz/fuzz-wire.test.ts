/** Short fuzz runs of the wire and field-bus parsers (test/fuzz/lib/short-run.ts, docs/reference/fuzzing.md). */
import t from 'tap';
import { shortRun } from './lib/short-run.js';

t.test('batch', (t) => shortRun(t, 'batch', { runs: 4000 }));
t.test('config-envelope', (t) => shortRun(t, 'config-envelope', { runs: 600 }));
t.test('hj212', (t) => shortRun(t, 'hj212', { runs: 2000 }));
t.test('dlt645', (t) => shortRun(t, 'dlt645', { runs: 1500 }));
t.test('cjt188', (t) => shortRun(t, 'cjt188', { runs: 1500 }));
t.test('modbus', (t) => shortRun(t, 'modbus', { runs: 4000 }));
