import { defineErrors } from '../common/errors.js';

/** Coded errors of the cloud (documented in docs/reference/errors.md). */
export const CLOUD_ERRORS = defineErrors({
  CLOUD_ERR_AUTH_FAILED: { summary: 'An MQTT client gave an unknown gateway id or a wrong secret.', hint: 'Check the gateway\'s gateway.id and gateway.secret; a revoked or never-created gateway must be provisioned (again).' },
  CLOUD_ERR_CLIENT_ID: { summary: 'A gateway connected with a client id other than its gateway id.', hint: 'Gateways must use their gateway id as MQTT client id (the edge agent does); a different id could take over another session.' },
  CLOUD_ERR_ACL_DENIED: { summary: 'A client published or subscribed outside what it may (another gateway\'s topics, wildcards, $SYS).', hint: 'A gateway writes only yw/v1/gw/{own id}/up/… and its state topic and reads only yw/v1/gw/{own id}/down/…; the client is disconnected (publish) or refused (subscribe).' },
  CLOUD_ERR_BATCH_REJECTED: { summary: 'A batch could not be decoded or broke the contract; it was answered REJECTED and not stored.', hint: 'The detail names the wire error; the gateway keeps the batch in its dead letters. Check agent and cloud versions.' },
  CLOUD_ERR_BATCH_GATEWAY: { summary: 'A batch names a gateway other than the one that sent it.', hint: 'A gateway\'s batches must carry its own id; re-provisioned gateways must drain or discard batches sealed under the old id.' },
  CLOUD_ERR_STORE: { summary: 'The cloud store failed to write (disk, database connection).', hint: 'Check the database and disk; unacknowledged batches stay on the gateways and are resent.' },
  CLOUD_ERR_NOT_FOUND: { summary: 'The API resource does not exist.', hint: 'Check the id in the URL; list with GET /api/v1/gateways or /api/v1/devices.' },
  CLOUD_ERR_BAD_REQUEST: { summary: 'The API request is malformed (bad JSON, bad parameter).', hint: 'The message names the parameter; docs/reference/http-api.md lists them.' },
  CLOUD_ERR_UNAUTHORIZED: { summary: 'The API request lacks a valid bearer token.', hint: 'Send `Authorization: Bearer <token>` with the token from http.api_token.' },
  CLOUD_ERR_CONFLICT: { summary: 'The API request conflicts with existing state (e.g. the gateway id exists).', hint: 'Pick another id or delete the existing resource first.' },
  CLOUD_ERR_FORBIDDEN: { summary: 'The API key is valid but its scope does not allow the request (a read-only key tried to change something).', hint: 'Use an admin key (`yiwang-cloud keys create --scope admin`) or the http.api_token.' },
  CLOUD_ERR_CLAIM_INVALID: { summary: 'A claim request is malformed: not a ClaimRequest, a token not of the form ywc_<id>.<secret>, a public key that is not 32 bytes, or a bad requested id.', hint: 'Copy the whole token printed by `yiwang-cloud tokens create`; run `yiwang-edge provision` of the same version as the cloud.' },
  CLOUD_ERR_CLAIM_UNKNOWN: { summary: 'The claim token is unknown or its secret part is wrong.', hint: 'Check the token for typos; list valid tokens with `yiwang-cloud tokens list`.' },
  CLOUD_ERR_CLAIM_EXPIRED: { summary: 'The claim token has expired.', hint: 'Ask the operator for a new token (`yiwang-cloud tokens create --ttl …`).' },
  CLOUD_ERR_CLAIM_USED_UP: { summary: 'The claim token has been used as many times as it allows.', hint: 'Ask the operator for a new token or one with more uses (`--uses N`).' },
  CLOUD_ERR_CLAIM_REVOKED: { summary: 'The claim token was revoked by an operator.', hint: 'Ask the operator for a new token.' },
  CLOUD_ERR_CLAIM_ID_TAKEN: { summary: 'The gateway id requested in a claim belongs to another gateway.', hint: 'Provision without --id (the cloud picks one) or choose another id.' },
  CLOUD_ERR_GATEWAY_REVOKED: { summary: 'A gateway whose credentials were revoked tried to connect (or was disconnected at revocation).', hint: 'Provision the gateway again with a new claim token if it should come back.' },
  CLOUD_ERR_CONFIG_INVALID: { summary: 'A configuration layer given to the cloud is not valid TOML or not a table of tables.', hint: 'The message names the line; check the file with a TOML linter. See docs/reference/config-rollout.md for the keys.' },
  CLOUD_ERR_ROLLOUT_ABORTED: { summary: 'A rollout stopped because its failure share or health regression crossed the abort threshold; reached gateways were sent the previous configuration again.', hint: 'See `yiwang-cloud rollout status <id>` for the failed gateways and their reasons; fix the configuration and start a new rollout.' },
  CLOUD_ERR_ROLLOUT_BUSY: { summary: 'A rollout is already running for this group.', hint: 'Wait for it or abort it (`yiwang-cloud rollout abort <id>`).' },
});
