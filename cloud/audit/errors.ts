import { defineErrors } from '../../common/errors.js';

/** Coded errors of the audit log (documented in docs/reference/errors.md, "Cloud audit"). */
export const AUDIT_ERRORS = defineErrors({
  CLOUD_ERR_AUDIT_BROKEN: {
    summary:
      '`yiwang-cloud audit verify` found the audit chain broken: an entry whose hash does not match its content, a missing or reordered entry, a checkpoint whose signature is bad or whose hash does not match the entry it anchors. The message names the first broken sequence number.',
    hint: 'The entries from that sequence number on cannot be trusted as recorded: compare with an export or a database backup taken earlier, and find who had direct access to the database (the product itself never updates or deletes audit rows; see docs/reference/security.md, "Audit").',
  },
  CLOUD_ERR_AUDIT_APPEND_ONLY: {
    http: 409,
    summary:
      'Something tried to change or delete audit entries or checkpoints (the PostgreSQL trigger refuses UPDATE, DELETE and TRUNCATE of the audit tables), or a prune with a retention below the minimum (audit.retention_days, 180 days).',
    hint: 'The audit log is append-only: entries leave it only through the retention prune, a whole prefix older than audit.retention_days at a time, recorded with a signed checkpoint.',
  },
  CLOUD_ERR_AUDIT_KEY: {
    summary:
      "The audit checkpoint signing key (audit-signing.key in the cloud's pki dir) is unreadable or not an Ed25519 key.",
    hint: 'Restore the file from a backup (checkpoints signed by it carry its public key, so verify works either way), or move it away to have a new key made at the next start; checkpoints made since then carry the new key.',
  },
});
