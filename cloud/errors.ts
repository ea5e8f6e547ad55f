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
});
