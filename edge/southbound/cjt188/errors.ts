/**
 * Coded errors of the CJ/T 188-2004 codec (household water, heat and gas meters).
 * `CJT188_ERR_REMOTE` is the meter's own abnormal reply (control code bit D6).
 */
import { defineErrors } from '../../../common/errors.js';

export const CJT188_ERRORS = defineErrors({
  CJT188_ERR_FRAME: {
    summary: 'A CJ/T 188 frame is malformed: no 0x68 start, wrong length, no 0x16 end, or truncated.',
    hint: 'Check the line settings (usually 2400 baud 8E1, M-Bus or RS-485) and the wiring; one frame per request is expected.',
  },
  CJT188_ERR_CHECKSUM: {
    summary: 'A CJ/T 188 frame failed its checksum (byte sum from 0x68 through the data).',
    hint: 'Line noise or a collision corrupted the frame; the poller retries. Persistent failures point at wiring or the M-Bus level converter.',
  },
  CJT188_ERR_ADDRESS: {
    summary: 'A CJ/T 188 meter address is not 14 BCD digits (AA allowed as wildcard bytes).',
    hint: 'Write the address as printed on the meter, 14 digits, most significant first (e.g. 00201510270588).',
  },
  CJT188_ERR_METER_TYPE: {
    summary: 'A CJ/T 188 meter type byte is outside 0x10..0x49.',
    hint: 'Use 10 (cold water), 11 (hot water), 20 (heat), 30 (gas) etc. as in docs/reference/protocols.md; the meter replies only to its own type.',
  },
  CJT188_ERR_CONTROL: {
    summary: 'A CJ/T 188 frame has a control code that does not fit here (wrong direction or function).',
    hint: 'Another master may share the bus, or the device speaks another protocol (DL/T 645 meters use a different frame).',
  },
  CJT188_ERR_DATA: {
    summary: 'The data of a CJ/T 188 frame does not match its data identifier (length, BCD digits or date).',
    hint: 'The meter may use a vendor variant of this identifier; capture the frame and compare with data-ids.ts.',
  },
  CJT188_ERR_DATA_ID: {
    summary: 'A CJ/T 188 data identifier is not 4 hex digits or has no known layout.',
    hint: 'Use 901F (meter data), D120..D12B (monthly history) or 810A (address); see docs/reference/protocols.md.',
  },
  CJT188_ERR_UNIT: {
    summary: 'A CJ/T 188 unit code is unknown or does not fit the quantity (e.g. a volume unit on a heat field).',
    hint: 'Capture the frame; a vendor-specific unit code needs an entry in the unit table of data-ids.ts.',
  },
  CJT188_ERR_MISMATCH: {
    summary: 'A CJ/T 188 reply answers another meter, identifier or sequence number than the request.',
    hint: 'A late reply or a second master on the bus; raise the reply timeout or the inter-frame gap.',
  },
  CJT188_ERR_REMOTE: {
    summary: 'The meter replied abnormally: it could not carry out the request.',
    hint: 'The message carries the meter status (valve, battery); check the command and the meter state, then retry.',
  },
});

export type Cjt188ErrorCode = keyof typeof CJT188_ERRORS;
