import { defineErrors } from '../common/errors.js';

/** Coded errors of the edge agent (documented in docs/reference/errors.md). */
export const EDGE_ERRORS = defineErrors({
  EDGE_ERR_SENML: { summary: 'A SenML uplink is malformed (not JSON, not a SenML pack, bad names, values or times).', hint: 'Fix the device firmware or its profile; the message names the record and field. Other devices are not affected.' },
  EDGE_ERR_PAYLOAD: { summary: 'A raw uplink could not be decoded by its binary layout.', hint: 'Check that the device uses the layout named in its URI path; the cause names the failing field or checksum.' },
  EDGE_ERR_UNKNOWN_LAYOUT: { summary: 'A raw uplink names a binary layout the agent does not have.', hint: 'Use one of the layouts listed in docs/reference/coap-uplink.md, or add a device profile.' },
  EDGE_ERR_CONTENT_FORMAT: { summary: 'An uplink used a CoAP Content-Format the path does not accept.', hint: 'POST SenML JSON (110) or JSON (50) to /senml, bytes (42) to /raw.' },
  EDGE_ERR_STORE: { summary: 'The local SQLite store failed (disk full, I/O error, corruption).', hint: 'Run `yiwang-edge diag`; free disk space under the data directory. Devices get 5.03 until it recovers.' },
  EDGE_ERR_BATCH_REJECTED: { summary: 'The cloud rejected a batch as malformed; it was moved to the dead-letter table.', hint: 'Report the error code from the log with the agent version; the batch is kept in the dead_letters table for inspection.' },
  EDGE_ERR_CLOUD_CONNECT: { summary: 'The agent cannot connect or authenticate to the cloud broker.', hint: 'Check cloud.url, gateway.id and gateway.secret; readings are kept locally meanwhile.' },
  EDGE_ERR_NOT_FOUND: { summary: 'The local API has no such resource.', hint: 'The CLI and the agent are of different versions; run the CLI that came with the agent.' },
  EDGE_ERR_AGENT_NOT_RUNNING: { summary: 'The command needs the running agent and could not reach its local API.', hint: 'Start it with `yiwang-edge run` (or `systemctl start yiwang-edge`) and retry.' },
});
