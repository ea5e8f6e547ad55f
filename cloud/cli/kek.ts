/**
 * `yiwang-cloud kek status|generate|rotate`: the key-encryption key that seals the cloud's private
 * keys at rest (docs/reference/security.md, "Keys at rest"). These commands work on the files of
 * this host (the --config file's pki.dir and keys.*), never through the HTTP API; `keys` is the
 * operator API keys of a running cloud.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { YiwangError } from '../../common/errors.js';
import { loadCloudConfig, type CloudConfig } from '../config.js';
import { cryptoOffer, resolveAlgorithm, type AlgorithmSetting } from '../keys/algorithms.js';
import { kekId, loadKek, newKekText, type Kek } from '../keys/kek.js';
import { forbiddenKekDirs, pkiDirOf } from '../keys/open-vault.js';
import { readJournal, rotateKek } from '../keys/rotate.js';
import { scanKeyFiles } from '../keys/vault.js';
import { jsonOut, table } from './options.js';

const configOf = (cmd: Command): CloudConfig => loadCloudConfig(cmd.optsWithGlobals<{ config?: string }>().config);

function kekFrom(spec: string, config: CloudConfig, what: string): Kek {
  const kek = loadKek(spec, { forbiddenDirs: forbiddenKekDirs(config), scrubEnv: false });
  if (!kek)
    throw new YiwangError('CLOUD_ERR_KEK_MISSING', `${what}: no KEK given (file:PATH, env:NAME or systemd:NAME)`);
  return kek;
}

export function register(program: Command): void {
  const k = program
    .command('kek')
    .description(
      "the key-encryption key sealing the cloud's private keys in pki.dir (this host's files; not the API keys of `keys`)",
    );
  k.command('status')
    .description(
      'how the private keys in pki.dir are kept (sealed or clear, algorithm, KEK id) and what this runtime offers (SM3, SM4, SM2); exit 1 when a key is clear or a rotation is unfinished',
    )
    .action((_o: unknown, cmd: Command) => {
      const config = configOf(cmd);
      const dir = pkiDirOf(config);
      const alg = resolveAlgorithm(config.keys.algorithm as AlgorithmSetting);
      let kek: { spec: string; id?: string; error?: string } | null = null;
      let loaded: Kek | undefined;
      if (config.keys.kek) {
        try {
          loaded = loadKek(config.keys.kek, { forbiddenDirs: forbiddenKekDirs(config), scrubEnv: false });
          kek = { spec: config.keys.kek, ...(loaded ? { id: kekId(loaded, alg) } : {}) };
        } catch (err) {
          kek = { spec: config.keys.kek, error: `${(err as YiwangError).code ?? ''} ${(err as Error).message}`.trim() };
        }
      }
      // each sealed file: is it under the configured KEK (else the cloud would refuse to start)?
      const files = scanKeyFiles(dir).map((f) =>
        f.state === 'sealed' && loaded && f.alg ? { ...f, underKek: f.kekId === kekId(loaded, f.alg) } : f,
      );
      const journal = readJournal(dir);
      const offer = cryptoOffer();
      const out = { pkiDir: dir, algorithm: alg, kek, files, rotation: journal ?? null, runtime: offer };
      const unsafe =
        files.some((f) => f.state === 'clear' || ('underKek' in f && !f.underKek)) || !!journal || !kek || !!kek.error;
      if (unsafe) process.exitCode = 1;
      if (jsonOut(program)) return console.log(JSON.stringify(out, null, 2));
      console.log(`pki.dir    ${dir}`);
      console.log(
        `KEK        ${kek ? `${kek.spec}${kek.id ? ` (id ${kek.id})` : ''}${kek.error ? ` — ${kek.error}` : ''}` : 'none (keys.kek empty): private keys are clear files'}`,
      );
      console.log(`algorithm  ${alg}`);
      console.log(
        `runtime    Node ${process.version}, OpenSSL ${offer.openssl}: sm3 ${offer.sm3 ? 'yes' : 'no'}, sm4-gcm ${offer.sm4Gcm ? 'yes' : 'no'}, sm4-cbc ${offer.sm4Cbc ? 'yes' : 'no'}, sm2 signatures ${offer.sm2 ? 'yes (imported keys, empty ID)' : 'no'}`,
      );
      if (journal)
        console.log(
          `ROTATION   unfinished, KEK ${journal.from} -> ${journal.to}: run \`kek rotate\` again, or with --revert`,
        );
      console.log(
        files.length
          ? table(
              ['KEY', 'AT REST', 'ALGORITHM', 'KEK'],
              files.map((f) => [
                f.name,
                f.state,
                f.alg ?? '—',
                `${f.kekId ?? '—'}${'underKek' in f && !f.underKek ? ' (NOT the configured KEK)' : ''}`,
              ]),
            )
          : '(no private keys yet: they are made at the first start)',
      );
    });
  k.command('generate')
    .description('a new KEK: 32 random bytes in base64, printed, or written to a new 0600 file with --out')
    .option('--out <file>', 'write it to this file (created 0600; an existing file is not overwritten)')
    .action((o: { out?: string }) => {
      const text = `${newKekText()}\n`;
      if (!o.out) return void process.stdout.write(text);
      writeFileSync(o.out, text, { mode: 0o600, flag: 'wx' });
      console.log(`KEK written to ${o.out} (0600); use it with keys.kek = "file:${o.out}"`);
    });
  k.command('rotate')
    .description(
      'seal every private key in pki.dir under a new KEK (each file replaced atomically; an interrupted rotation is finished by running it again, or undone with --revert); then set keys.kek to the new KEK and restart',
    )
    .requiredOption('--new <kek>', 'the new KEK: file:PATH, env:NAME or systemd:NAME')
    .option('--old <kek>', 'the KEK the keys are sealed under (default: keys.kek of the --config file)')
    .option('--revert', 'undo an interrupted rotation: every key back under the old KEK')
    .action((o: { new: string; old?: string; revert?: boolean }, cmd: Command) => {
      const config = configOf(cmd);
      const oldKek = kekFrom(o.old ?? config.keys.kek, config, '--old (or keys.kek)');
      const newKek = kekFrom(o.new, config, '--new');
      const r = rotateKek(pkiDirOf(config), {
        oldKek,
        newKek,
        algorithm: resolveAlgorithm(config.keys.algorithm as AlgorithmSetting),
        ...(o.revert ? { revert: true } : {}),
      });
      if (jsonOut(program)) return console.log(JSON.stringify(r));
      const spec = o.revert ? (o.old ?? config.keys.kek) : o.new;
      console.log(
        `${o.revert ? 'reverted' : r.resumed ? 'finished' : 'rotated'}: ${r.resealed.length} key(s) re-sealed, ${r.skipped.length} already done; all under KEK ${r.to}`,
      );
      if (r.clear.length) console.log(`clear key files (sealed at the next start with a KEK): ${r.clear.join(', ')}`);
      console.log(`now set keys.kek = "${spec}" in the cloud's configuration and restart it`);
    });
}
