/** `yiwang-edge profile lint <file|dir>…`: validation (file, key, line), duplicates, overlaps and conventions. */
import { PROFILE_BINDINGS } from '../profile-bindings.js';
import type { Command } from 'commander';
import { LIBRARY_DIR, lintProfiles } from '../profiles/tooling.js';
import { printReports } from './profile-report.js';

export function register(program: Command, parent: Command): void {
  parent
    .command('lint')
    .argument('[paths...]', 'profile files or directories (default: the bundled firmware-profiles/)')
    .description('check profiles: every key, duplicate models, overlapping match rules, missing vectors or ranges')
    .action(async (paths: string[]) => {
      const { json } = program.opts<{ json?: boolean }>();
      process.exitCode = printReports(
        await lintProfiles(paths.length ? paths : [LIBRARY_DIR], PROFILE_BINDINGS),
        json === true,
        'profile lint',
        true,
      );
    });
}
