// Regenerates proto/gen/yiwang.js and yiwang.d.ts from proto/yiwang.proto with protobufjs-cli.
// Run with `npm run proto`; test/proto/generated.test.ts fails when the output is stale.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (n) => join(root, 'node_modules', '.bin', n);
export function generate(outDir) {
  mkdirSync(outDir, { recursive: true });
  const js = join(outDir, 'yiwang.js');
  execFileSync(bin('pbjs'), [
    '-t',
    'static-module',
    '-w',
    'es6',
    '--no-beautify',
    '--force-number',
    '-o',
    js,
    join(root, 'proto', 'yiwang.proto'),
  ]);
  // Node ESM needs the file extension on the protobufjs subpath import.
  writeFileSync(js, readFileSync(js, 'utf8').replace('from "protobufjs/minimal"', 'from "protobufjs/minimal.js"'));
  execFileSync(bin('pbts'), ['-o', join(outDir, 'yiwang.d.ts'), js]);
}
if (process.argv[1] === fileURLToPath(import.meta.url)) generate(join(root, 'proto', 'gen'));
