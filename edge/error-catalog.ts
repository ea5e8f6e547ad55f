/**
 * The coded-error tables of the edge agent and the technician CLI: its own areas' tables plus the
 * wire and configuration tables it shares with the cloud. Listing a table here adds its codes to
 * the `ErrorCode` type; the composition roots (edge/agent.ts, edge/cli/main.ts) register them with
 * `registerEdgeErrors()` so hints reach the CLI, the logs and the local API.
 */
import { registerErrors, type CodesOf, type ErrorCode, type ErrorSpec } from '../common/errors.js';
import { CONFIG_ERRORS } from '../common/config.js';
import { WIRE_ERRORS } from '../proto/errors.js';
import { EDGE_ERRORS } from './errors.js';
import { PROFILE_ERRORS } from './profiles/errors.js';
import { LAYOUT_ERRORS } from './profiles/layout/errors.js';
import { LWM2M_ERRORS } from './southbound/lwm2m/core/errors.js';
import { LWM2M_SERVER_ERRORS } from './southbound/lwm2m/server/errors.js';
import { DLT645_ERRORS } from './southbound/dlt645/errors.js';
import { CJT188_ERRORS } from './southbound/cjt188/errors.js';
import { HJ212_ERRORS } from './southbound/hj212/errors.js';
import { SERIAL_ERRORS } from './southbound/serial/errors.js';
import { CAMERA_ERRORS } from './southbound/onvif/errors.js';
import { DTLS_ERRORS } from './southbound/dtls/errors.js';

export const EDGE_ERROR_TABLES = [
  CONFIG_ERRORS,
  WIRE_ERRORS,
  EDGE_ERRORS,
  PROFILE_ERRORS,
  LAYOUT_ERRORS,
  LWM2M_ERRORS,
  LWM2M_SERVER_ERRORS,
  DLT645_ERRORS,
  CJT188_ERRORS,
  HJ212_ERRORS,
  SERIAL_ERRORS,
  CAMERA_ERRORS,
  DTLS_ERRORS,
] as const;

declare module '../common/errors.js' {
  interface ErrorCodes extends CodesOf<typeof EDGE_ERROR_TABLES> {}
}

const specs = new Map<string, ErrorSpec>(EDGE_ERROR_TABLES.flatMap((t) => Object.entries(t)));

/** Registers the edge's tables (idempotent). */
export function registerEdgeErrors(): void {
  registerErrors(...EDGE_ERROR_TABLES);
}

/** True for a code of the edge's tables (a code read from an answer or a profile vector). */
export function isEdgeErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && specs.has(code);
}

/** HTTP status of the local API for a code: its table's `http`, else `fallback`. */
export function edgeHttpStatus(code: string, fallback: number): number {
  return specs.get(code)?.http ?? fallback;
}
