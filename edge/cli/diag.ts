/** `yiwang-edge diag`: every check pass/fail with a fix hint; exit 1 (EDGE_ERR_DIAG_FAILED) if one fails. */
import type { Command } from 'commander';
import { YiwangError } from '../../common/errors.js';
import { runChecks, type Check } from './diag-checks.js';
import { c, emit, globals, progress, table } from './output.js';

export function renderChecks(checks: readonly Check[]): string {
  const rows = checks.map((k) => [
    k.skipped && k.ok ? c.dim('skip') : k.ok ? c.green('pass') : c.red('FAIL'),
    k.name,
    k.detail,
  ]);
  const hints = checks.filter((k) => !k.ok).map((k) => `  ${k.name}: ${k.hint}`);
  return table(['result', 'check', 'detail'], rows) + (hints.length ? `\n\nhow to fix:\n${hints.join('\n')}` : '');
}

export function register(program: Command): void {
  program
    .command('diag')
    .description(
      'checks with pass/fail and a fix hint: config, agent, disk, clock, database, cloud DNS/TCP/TLS/auth, broker round trip, CoAP port, serial ports',
    )
    .action(async (_o: unknown, cmd: Command) => {
      const bar = progress(cmd, 'checking');
      const checks = await runChecks(globals(cmd).config, (d, t, l) => bar.update(d, t, l));
      bar.end();
      const failed = checks.filter((k) => !k.ok);
      emit(cmd, { ok: failed.length === 0, checks }, () => renderChecks(checks));
      if (failed.length)
        throw new YiwangError(
          'EDGE_ERR_DIAG_FAILED',
          `${failed.length} of ${checks.length} checks failed: ${failed.map((k) => k.name).join(', ')}`,
        );
    });
}
