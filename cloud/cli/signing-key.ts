/**
 * `yiwang-cloud signing-key status|rotate`: the Ed25519 key that signs desired configurations
 * (docs/reference/config-rollout.md, "Signing-key rotation"). Works on this host's pki.dir (sealed
 * under keys.kek when set), never through the HTTP API.
 */
import type { Command } from 'commander';
import { createPrivateKey } from 'node:crypto';
import { loadCloudConfig } from '../config.js';
import { openKeyVault, pkiDirOf } from '../keys/open-vault.js';
import { SIGNING_KEY_NAME, loadTransitions, rotateSigningKey } from '../keys/signing-rotation.js';
import { keyIdOf, rawEd25519Public } from '../pki/fleet-ca.js';
import { jsonOut, table } from './options.js';

export function register(program: Command): void {
  const s = program
    .command('signing-key')
    .description(
      "the config-signing key (this host's pki.dir): its id and rotations; gateways follow a rotation by themselves",
    );
  s.command('status')
    .description('the current config-signing key id and the transitions every configuration carries')
    .action((_o: unknown, cmd: Command) => {
      const config = loadCloudConfig(cmd.optsWithGlobals<{ config?: string }>().config);
      const vault = openKeyVault(config);
      const pem = vault.read(SIGNING_KEY_NAME);
      const keyId = pem ? keyIdOf(rawEd25519Public(createPrivateKey(pem.toString('utf8')))) : null;
      const { info } = keyId ? loadTransitions(pkiDirOf(config), keyId) : { info: [] };
      if (jsonOut(program)) return console.log(JSON.stringify({ keyId, transitions: info }));
      console.log(`config-signing key ${keyId ?? '(none yet: made at the first start)'}`);
      if (info.length)
        console.log(
          table(
            ['FROM', 'TO', 'ROTATED'],
            info.map((t) => [t.oldKeyId, t.newKeyId, new Date(t.issuedMs).toISOString()]),
          ),
        );
    });
  s.command('rotate')
    .description(
      'make a new config-signing key, with a transition signed by the old one that every configuration carries from then on; restart the cloud (every node) to sign with it — gateways verify the transition with the key they pinned and pin the new one',
    )
    .action((_o: unknown, cmd: Command) => {
      const config = loadCloudConfig(cmd.optsWithGlobals<{ config?: string }>().config);
      const r = rotateSigningKey(openKeyVault(config));
      if (jsonOut(program)) return console.log(JSON.stringify(r));
      console.log(`config-signing key rotated: ${r.oldKeyId} -> ${r.newKeyId} (transition signed by ${r.oldKeyId})`);
      console.log(
        `restart the cloud to sign with it; gateways switch at their next configuration (every one is sent again at reconnect); ${r.chain.length} transition(s) carried`,
      );
    });
}
