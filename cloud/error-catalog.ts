/**
 * The coded-error tables of the cloud and the operator CLI: its own table plus the wire and
 * configuration tables it shares with the edge. Listing a table here adds its codes to the
 * `ErrorCode` type; the composition roots (cloud/server.ts, cloud/cli/main.ts) register them with
 * `registerCloudErrors()` so hints reach the CLI, the logs and the API.
 */
import { registerErrors, type CodesOf, type ErrorCode, type ErrorSpec } from '../common/errors.js';
import { CONFIG_ERRORS } from '../common/config.js';
import { WIRE_ERRORS } from '../proto/errors.js';
import { CLOUD_ERRORS } from './errors.js';
import { KEYS_ERRORS } from './keys/errors.js';
import { AUDIT_ERRORS } from './audit/errors.js';
import { AUTH_ERRORS } from './auth/errors.js';
import { ACCOUNT_ERRORS } from './auth/account-errors.js';
import { INCIDENT_ERRORS } from './incidents/errors.js';

export const CLOUD_ERROR_TABLES = [
  CONFIG_ERRORS,
  WIRE_ERRORS,
  CLOUD_ERRORS,
  KEYS_ERRORS,
  AUDIT_ERRORS,
  AUTH_ERRORS,
  ACCOUNT_ERRORS,
  INCIDENT_ERRORS,
] as const;

declare module '../common/errors.js' {
  interface ErrorCodes extends CodesOf<typeof CLOUD_ERROR_TABLES> {}
}

const specs = new Map<string, ErrorSpec>(CLOUD_ERROR_TABLES.flatMap((t) => Object.entries(t)));

/** Registers the cloud's tables (idempotent). */
export function registerCloudErrors(): void {
  registerErrors(...CLOUD_ERROR_TABLES);
}

/** True for a code of the cloud's tables (a code read from an API answer). */
export function isCloudErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && specs.has(code);
}

/** HTTP status of the API for a code: its table's `http`, else `fallback`. */
export function cloudHttpStatus(code: string, fallback: number): number {
  return specs.get(code)?.http ?? fallback;
}
