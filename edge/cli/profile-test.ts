/** `yiwang-edge profile test <file|dir>…`: runs every test vector; exit code 1 when one fails. */
import { PROFILE_BINDINGS } from '../profile-bindings.js';
import type { Command } from 'commander';
import { LIBRARY_DIR, testProfiles } from '../profiles/tooling.js';
import { printReports } from './profile-report.js';

export function register(program: Command, parent: Command): void {
  parent
    .command('test')
    .argument('[paths...]', 'profile files or directories (default: the bundled firmware-profiles/)')
    .description('run the test vectors of profiles (bytes → readings and events, bad frames → named errors)')
    .action(async (paths: string[]) => {
      const { json } = program.opts<{ json?: boolean }>();
      process.exitCode = printReports(
        await testProfiles(paths.length ? paths : [LIBRARY_DIR], PROFILE_BINDINGS),
        json === true,
        'profile test',
      );
    });
}
