/** SenML time (RFC 8428 §4.5.3): values below 2^28 s are relative to "now", others are epoch seconds. */

export const SENML_RELATIVE_LIMIT = 2 ** 28;

/** Absolute milliseconds for a record's SenML time, given the receive time in ms. */
export function absoluteTimeMs(senmlTime: number, nowMs: number): number {
  return senmlTime < SENML_RELATIVE_LIMIT ? nowMs + senmlTime * 1000 : senmlTime * 1000;
}
