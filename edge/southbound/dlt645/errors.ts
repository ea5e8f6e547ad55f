/**
 * Coded errors of the DL/T 645-2007 codec. Framing and content errors come from bytes we
 * received; `DLT645_ERR_REMOTE_*` are the meter's own abnormal replies (control code bit D6).
 */
import { defineErrors } from '../../../common/errors.js';

export const DLT645_ERRORS = defineErrors({
  DLT645_ERR_FRAME: {
    summary:
      'A DL/T 645 frame is malformed: no 0x68 start, second 0x68 missing, wrong length, no 0x16 end, or truncated.',
    hint: 'Check the serial line settings (usually 2400 baud 8E1) and RS-485 wiring; a stray byte usually means two talkers on the bus.',
  },
  DLT645_ERR_CHECKSUM: {
    summary: 'A DL/T 645 frame failed its checksum (byte sum from the first 0x68 through the data).',
    hint: 'Line noise or a collision corrupted the frame; the poller retries. Persistent failures point at wiring, termination or baud rate.',
  },
  DLT645_ERR_ADDRESS: {
    summary: 'A DL/T 645 meter address is not 12 BCD digits (AA allowed as wildcard bytes).',
    hint: 'Write the address as printed on the meter nameplate, 12 digits, most significant first (e.g. 000000000161).',
  },
  DLT645_ERR_CONTROL: {
    summary: 'A DL/T 645 frame has a control code that does not fit here (wrong direction or function).',
    hint: 'Another master may be polling the same bus, or the device is not a DL/T 645-2007 meter (DL/T 645-1997 uses other codes).',
  },
  DLT645_ERR_DATA: {
    summary: 'The data of a DL/T 645 reply does not match its data identifier (length or BCD digits).',
    hint: 'The meter may implement this identifier differently; capture the frame and check the data identifier table in data-ids.ts.',
  },
  DLT645_ERR_DATA_ID: {
    summary: 'A DL/T 645 data identifier is not 8 hex digits or is unknown to the codec.',
    hint: 'Use one of the identifiers in docs/reference/protocols.md, written DI3..DI0 (e.g. 00010000).',
  },
  DLT645_ERR_MISMATCH: {
    summary: 'A DL/T 645 reply answers another meter or another data identifier than the request.',
    hint: 'A late reply from an earlier request or a second master on the bus; raise the reply timeout or the inter-frame gap.',
  },
  DLT645_ERR_REMOTE_NO_DATA: {
    summary: 'The meter replied abnormally: no requested data (it does not support this data identifier).',
    hint: 'Remove the identifier from the device profile or pick the one this meter model supports.',
  },
  DLT645_ERR_REMOTE_UNAUTHORIZED: {
    summary: 'The meter replied abnormally: password wrong or operation not authorised.',
    hint: 'Check the password and operator code in the profile; some operations need the programming key pressed on the meter.',
  },
  DLT645_ERR_REMOTE_RATE: {
    summary: 'The meter replied abnormally: the communication rate cannot be changed.',
    hint: 'Keep the current baud rate; the meter does not support the requested one.',
  },
  DLT645_ERR_REMOTE_LIMIT: {
    summary: 'The meter replied abnormally: too many year time zones, day time periods or tariffs.',
    hint: 'Reduce the number of zones, periods or tariffs in the write command to what the meter supports.',
  },
  DLT645_ERR_REMOTE_OTHER: {
    summary: 'The meter replied abnormally with "other error" or an unknown error byte.',
    hint: 'Read the error byte in the message; retry later, and check the command against the meter manual.',
  },
});

export type Dlt645ErrorCode = keyof typeof DLT645_ERRORS;
