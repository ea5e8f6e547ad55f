/** Coded errors of the HJ 212 codec (pollution-source data acquisition, 2017 envelope). */
import { defineErrors } from '../../../common/errors.js';

export const HJ212_ERRORS = defineErrors({
  HJ212_ERR_HEADER: {
    summary: 'An HJ 212 frame does not start with "##" (or bytes before a frame were discarded).',
    hint: 'The instrument is not speaking HJ 212 on this port, or the stream lost sync; the next "##" resynchronises.',
  },
  HJ212_ERR_LENGTH: {
    summary: 'The 4-digit length of an HJ 212 frame is not decimal or does not match the data segment.',
    hint: 'The length counts the bytes of the data segment only (UTF-8), not "##", the length, the CRC or CRLF; fix the instrument configuration or firmware.',
  },
  HJ212_ERR_TOO_LONG: {
    summary: 'An HJ 212 data segment is longer than the configured maximum (1024 bytes by the standard).',
    hint: 'Configure the instrument to split large uploads into packets (Flag D bit, PNUM/PNO) or raise the maximum for this port.',
  },
  HJ212_ERR_CRC: {
    summary: 'An HJ 212 frame failed its CRC16 check (or the CRC is not 4 hex digits).',
    hint: 'The frame was corrupted or the instrument computes another CRC; HJ 212 uses CRC16 poly 0xA001 init 0xFFFF over the data segment.',
  },
  HJ212_ERR_TRAILER: {
    summary: 'An HJ 212 frame does not end with CRLF where it should.',
    hint: 'The length field is probably wrong or the line was cut; check the instrument firmware.',
  },
  HJ212_ERR_SEGMENT: {
    summary: 'An HJ 212 data segment is malformed: bad field, duplicate or missing QN/ST/CN/Flag/PNO, or no CP=&&…&&.',
    hint: 'Fields are KEY=VALUE separated by ";" and CP=&&…&& comes last; the message names the offending field.',
  },
  HJ212_ERR_VALUE: {
    summary: 'A value in an HJ 212 CP field is malformed (number, DataTime or data flag).',
    hint: 'Check the instrument output for the named field; numbers are decimal, DataTime is YYYYMMDDhhmmss.',
  },
  HJ212_ERR_CN: {
    summary: 'An HJ 212 command code (CN) is not supported by this operation.',
    hint: 'Data uploads are CN 2011 (real-time), 2051 (minute), 2061 (hourly) and 2031 (daily); other commands are handled elsewhere.',
  },
  HJ212_ERR_PASSWORD: {
    summary: 'An HJ 212 frame carries a wrong access password (PW).',
    hint: 'Set the same PW on the instrument and in the device configuration.',
  },
  HJ212_ERR_MN: {
    summary: 'An HJ 212 frame comes from an unknown or unexpected device (MN).',
    hint: 'Register the instrument MN for this site, or correct the MN configured on the instrument.',
  },
  HJ212_ERR_REPLY: {
    summary: 'An HJ 212 reply cannot be built for this frame (no QN, or no Flag asking for one).',
    hint: 'HJ 212-2017 replies echo QN; an instrument that asks for a reply must send QN.',
  },
  HJ212_ERR_BINDING: {
    summary: 'An HJ 212 binding (the `hj212` slot of a profile or instrument entry) is invalid.',
    hint: 'The message names the profile or instrument and the key; factors maps HJ 212 codes (w01018 …) to metric names.',
  },
  HJ212_ERR_CONFIG: {
    summary: 'The HJ 212 instrument file is invalid (bad TOML, duplicate MN, unknown key, missing profile).',
    hint: 'Correct the entry named in the message; docs/reference/protocols.md describes the instrument file.',
  },
  HJ212_ERR_LIMIT: {
    summary:
      'An HJ 212 connection was refused or closed by a limit: too many connections (in all or from one address: a connection that never sent a valid frame is evicted for a new one), no valid frame within hj212.first_frame_timeout_ms, or idle for too long.',
    hint: 'An instrument is refused only when every slot holds a proven instrument: raise hj212.max_connections or hj212.max_connections_per_source (many instruments behind one NAT). Closed before its first frame: check its PW/MN and that it speaks HJ 212. Otherwise find the peer that opens connections without sending data.',
  },
});

export type Hj212ErrorCode = keyof typeof HJ212_ERRORS;
