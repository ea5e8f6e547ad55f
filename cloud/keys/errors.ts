import { defineErrors } from '../../common/errors.js';

/** Coded errors of keys at rest (cloud/keys/; docs/reference/security.md, "Keys at rest"). */
export const KEYS_ERRORS = defineErrors({
  CLOUD_ERR_KEK_MISSING: {
    summary:
      'No key-encryption key could be read: keys.kek names an environment variable that is not set, a file that does not exist, or a systemd credential without $CREDENTIALS_DIRECTORY; or the private keys in pki.dir are sealed (or keys.require_kek is on) and keys.kek is empty.',
    hint: 'Set keys.kek to file:/etc/yiwang/kek (chmod 600), env:NAME or systemd:NAME (LoadCredential= or LoadCredentialEncrypted= in the unit); `yiwang-cloud kek generate` prints a new one. Sealed keys open only with the KEK they were sealed under (`yiwang-cloud kek status` names its id).',
  },
  CLOUD_ERR_KEK_INVALID: {
    summary:
      'The key-encryption key is not usable: its text is not 32 or more bytes in hex or base64, it is over 4 KiB, keys.kek is not file:, env: or systemd:, or the new KEK of a rotation is the old one.',
    hint: 'A KEK is at least 32 random bytes written as hex or base64 (`yiwang-cloud kek generate`, or `openssl rand -base64 32`), one per file, variable or credential.',
  },
  CLOUD_ERR_KEK_FILE_UNSAFE: {
    summary:
      'The key-encryption key file (keys.kek = file:…) may be read or written by its group or by others, is not a regular file, or lies inside the store directory or pki.dir, next to the keys it protects.',
    hint: 'chmod 600 (or 400) the file, owned by the user the cloud runs as, and keep it outside the data directories (e.g. /etc/yiwang/kek, or a systemd credential).',
  },
  CLOUD_ERR_KEK_MISMATCH: {
    summary: 'A sealed key was sealed under another key-encryption key than the one configured (its KEK id differs).',
    hint: 'Configure the KEK the keys were sealed under (the message names both ids; `yiwang-cloud kek status` lists each file), or re-seal them with `yiwang-cloud kek rotate --old <that KEK> --new <this one>`.',
  },
  CLOUD_ERR_KEY_UNSEAL: {
    summary:
      'A sealed key file did not open: its authentication tag does not verify (the file was changed or damaged, or it was moved from another name), or it is not a sealed-key envelope (bad JSON, unknown version, over 64 KiB).',
    hint: 'Restore the file from a backup of pki.dir; a file that was edited cannot be trusted. Nothing was started with it.',
  },
  CLOUD_ERR_KEYS_ALGORITHM_UNAVAILABLE: {
    summary:
      "keys.algorithm (or a sealed file) names an algorithm this runtime's OpenSSL does not offer: sm4 needs SM4-GCM, or SM4-CBC and SM3.",
    hint: 'Run the cloud on a Node.js whose OpenSSL has SM4 and SM3 (the message lists what it has; `yiwang-cloud kek status` shows it), or use keys.algorithm = "aes-256-gcm".',
  },
  CLOUD_ERR_KEY_CONFLICT: {
    summary:
      'pki.dir holds both a sealed key and a clear copy of the same key with a different content, so which one is right cannot be told.',
    hint: 'Keep the one the fleet uses (gateways pin the CA certificate and config-signing key) and remove the other file by hand; then start again.',
  },
  CLOUD_ERR_NO_SIGNING_KEY: {
    summary:
      '`yiwang-cloud signing-key rotate` found no config-signing key in pki.dir: the cloud has not been started there yet, or --config names another configuration.',
    hint: 'Start the cloud once (it makes its keys), and give the commands the --config file the cloud runs with (pki.dir, store.path, keys.kek).',
  },
  CLOUD_ERR_KEK_ROTATION_INCOMPLETE: {
    summary:
      'A key-encryption key rotation was interrupted (pki.dir/kek-rotation.json is there): some keys are sealed under the old KEK, some under the new one, so the cloud does not start.',
    hint: 'Run the same `yiwang-cloud kek rotate --old … --new …` again to finish it, or add --revert to put every key back under the old KEK; then start with the KEK the keys are under.',
  },
});
