/** `yiwang-edge profile …`: the integrator's tools for device profiles (one file per subcommand). */
import type { Command } from 'commander';
import { register as test } from './profile-test.js';
import { register as lint } from './profile-lint.js';
import { register as decode } from './profile-decode.js';
import { register as why } from './profile-why.js';
import { register as simulate } from './profile-simulate.js';
import { register as checksum } from './profile-checksum.js';

export function register(program: Command): void {
  const profile = program
    .command('profile')
    .description(
      'device profiles: test vectors, lint, decode a payload, write its checksum, explain a match (no agent needed); simulate a device against the running agent',
    );
  test(program, profile);
  lint(program, profile);
  decode(program, profile);
  checksum(program, profile);
  why(program, profile);
  simulate(program, profile);
}
