import { defineErrors } from '../common/errors.js';

export const WIRE_ERRORS = defineErrors({
  WIRE_ERR_DECODE: {
    summary: 'A protobuf message (or its compressed body) could not be decoded.',
    hint: 'The sender wrote bytes that are not a yiwang.v1 message; check its agent version and proto/yiwang.proto.',
  },
  WIRE_ERR_INVALID: {
    summary:
      'A message decoded but breaks the contract (missing key, inconsistent columns, unknown enum value). In a batch, only what breaks it is quarantined — a series, a device block, an event — unless the envelope itself is wrong (no gateway id, a bad key, a reading_count other than the values the body holds).',
    hint: 'The message text names the field; upgrade the cloud before the edges when the contract grows.',
  },
  WIRE_ERR_LIMIT: {
    summary:
      'A batch, device block or event is over a decoding limit (readings per batch, body bytes, device blocks, events, series, id or string length; docs/reference/limits.md). Over a batch limit the batch is refused whole; a block or event over its limit is quarantined alone.',
    hint: "Keep the edge's sync.batch_max_readings at or below the cloud's ingest.max_readings_per_batch; anything else over a limit comes from a faulty or hostile sender.",
  },
  WIRE_ERR_READING_RANGE: {
    summary:
      "A reading's timestamp is outside the accepted range (not a whole number of ms within JavaScript's date range, or, at the cloud, before ingest.min_reading_ts_ms or more than ingest.max_future_ms ahead): the reading is quarantined, the rest of its batch stored.",
    hint: "The device's clock or firmware is wrong (e.g. SenML t in microseconds, a clock reset to 1970): fix the clock or the device profile; the count per gateway is in /api/v1/stats and GET /api/v1/gateways/{id}/quarantine.",
  },
  WIRE_ERR_READING_VALUE: {
    summary:
      "A reading's value cannot be stored as sent (NaN or infinite, an integer past 2^53, a string over the length limit): the reading is quarantined, the rest of its batch stored.",
    hint: "Check the device's profile (scale, type) and firmware; the count per gateway is in /api/v1/stats and GET /api/v1/gateways/{id}/quarantine.",
  },
});
