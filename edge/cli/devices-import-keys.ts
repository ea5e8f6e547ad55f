/**
 * `yiwang-edge devices import-keys <file.csv>`: DTLS keys of many devices at once (issue 21). The
 * file is read here (bounded), split into rows with their line numbers and sent to the running
 * agent in one request: it checks every row, commits the good ones in one transaction (new keys
 * take effect at once, no restart) and reports each bad row by line number.
 */
import type { Command } from 'commander';
import { readBounded } from './devices-add.js';
import { localApi } from './local-api-client.js';
import { c, configAndSocket, emit, table } from './output.js';
import { EXIT } from '../../common/cli-support.js';
import { YiwangError } from '../../common/errors.js';
import {
  BOOTSTRAP_CSV_HEADER,
  PSK_CSV_HEADER,
  PSK_CSV_MAX_BYTES,
  PSK_CSV_MAX_ROWS,
  parsePskCsv,
} from '../devices/psk-keys.js';
import type { PskImportReport } from '../devices/registry.js';
import { DEVICE_KINDS } from '../devices/registry.js';

/** The file's text (or stdin's, for -); over PSK_CSV_MAX_BYTES is refused, never read whole. */
function readKeyFile(file: string): string {
  let r: { text: string; over: boolean };
  try {
    r = readBounded(file, PSK_CSV_MAX_BYTES);
  } catch (err) {
    throw new YiwangError('EDGE_ERR_BAD_REQUEST', `${file} cannot be read: ${(err as Error).message}`);
  }
  if (r.over)
    throw new YiwangError(
      'EDGE_ERR_PSK_CSV',
      `${file} is over ${PSK_CSV_MAX_BYTES} bytes (${PSK_CSV_MAX_ROWS} rows at most per file): split it`,
    );
  return r.text;
}

export function renderImport(r: PskImportReport, file: string, keys: 'device' | 'bootstrap' = 'device'): string {
  const what = keys === 'bootstrap' ? 'LwM2M bootstrap key' : 'DTLS key';
  const head = `${file}: imported ${r.imported} ${what}${r.imported === 1 ? '' : 's'} (${r.created} devices added, ${r.replaced} re-keyed)`;
  if (r.rejected.length === 0) return head;
  return [
    head,
    c.red(`${r.rejected.length} row${r.rejected.length === 1 ? '' : 's'} refused (nothing of them was written):`),
    table(
      ['line', 'code', 'problem'],
      r.rejected.map((p) => [String(p.line), p.code, p.message]),
    ),
  ].join('\n');
}

export function register(devices: Command): void {
  devices
    .command('import-keys <file>')
    .description(
      `DTLS pre-shared keys from a CSV file (header ${PSK_CSV_HEADER.join(',')}, or ${BOOTSTRAP_CSV_HEADER.join(',')} for LwM2M bootstrap keys; keys as hex; at most ${PSK_CSV_MAX_ROWS} rows, - for stdin): good rows are committed together, each bad row is reported by line number and skipped; a device not yet registered is added, a device with a key is re-keyed`,
    )
    .option('--kind <kind>', `kind of the devices the file adds (one of ${DEVICE_KINDS.join(', ')})`, 'coap')
    .action(async (file: string, o: { kind: string }, cmd: Command) => {
      const { socket } = configAndSocket(cmd);
      const { rows, problems, keys } = parsePskCsv(readKeyFile(file));
      const r: PskImportReport =
        rows.length === 0
          ? { imported: 0, created: 0, replaced: 0, rejected: [] }
          : await localApi<PskImportReport>(socket, 'POST', '/v1/devices/keys', { rows, kind: o.kind, keys });
      const report = { ...r, keys, rejected: [...problems, ...r.rejected].sort((a, b) => a.line - b.line) };
      emit(cmd, report, () => renderImport(report, file, keys));
      if (report.rejected.length > 0) process.exitCode = EXIT.ERROR;
    });
}
