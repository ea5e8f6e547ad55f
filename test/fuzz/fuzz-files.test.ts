/** Short fuzz runs of the camera and configuration parsers (test/fuzz/lib/short-run.ts, docs/reference/fuzzing.md). */
import t from 'tap';
import { shortRun } from './lib/short-run.js';

t.test('onvif', (t) => shortRun(t, 'onvif', { runs: 300 }));
t.test('toml-config', (t) => shortRun(t, 'toml-config', { runs: 3000 }));
t.test('toml-profile', (t) => shortRun(t, 'toml-profile', { runs: 600 }));
