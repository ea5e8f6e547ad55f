/**
 * Coded errors of the DTLS 1.2 server core (edge/southbound/dtls). Documented in
 * docs/reference/errors.md ("DTLS"). Errors caused by a peer's datagrams are never thrown out of
 * `DtlsServer#handle`: they end the handshake with an alert and are counted; the codes reach the
 * `onHandshakeFailed` callback and the logs.
 */
import { defineErrors } from '../../../common/errors.js';

export const DTLS_ERRORS = defineErrors({
  DTLS_ERR_CONFIG: {
    summary:
      'The DTLS server options are invalid (no pskFor callback, a cookie secret shorter than 16 bytes, limits that are not positive integers, an unknown cipher suite).',
    hint: 'Fix the options given to new DtlsServer(…); docs/reference/dtls.md lists them with their defaults.',
  },
  DTLS_ERR_HANDSHAKE: {
    summary:
      'A DTLS handshake failed: a malformed or unexpected handshake message, no common PSK cipher suite, a bad record MAC or a wrong Finished (usually a wrong key), or a handshake message over the size limits.',
    hint: 'The device got a fatal alert and no session was kept; check that its PSK and identity match the registry and that it offers TLS_PSK_WITH_AES_128_CCM_8. Counters handshakesFailed and the alert name the step.',
  },
  DTLS_ERR_UNKNOWN_IDENTITY: {
    summary: 'A DTLS client named a PSK identity the server has no key for.',
    hint: 'The device got the fatal alert unknown_psk_identity and no session was kept; enrol the identity with its key, or fix the identity configured on the device.',
  },
  DTLS_ERR_SEND: {
    summary:
      'Application data could not be sent over a DTLS session: the session is closed or evicted, or the plaintext is larger than one record may carry (2^14 bytes).',
    hint: 'Send smaller messages (CoAP blockwise does this) and check session.closed before sending; a device whose session was evicted must handshake again.',
  },
  DTLS_ERR_IDENTITY_MISMATCH: {
    summary:
      'Over a DTLS session a device posted an uplink, or sent an LwM2M Register, for a device id other than the one its PSK identity belongs to (or its identity belongs to no device any more); refused 4.03.',
    hint: 'A device may post and register only as itself: fix the device id or endpoint name configured on the device, or enrol its identity for that device id. Counted in status coaps.refused and coap.rejectedBy.',
  },
  DTLS_ERR_NOSEC_REFUSED: {
    summary:
      'A plain (unencrypted) CoAP uplink or LwM2M Register was refused by coap.nosec: plain CoAP is off, or the device has a PSK (it must use coaps), or it is not in the device registry (known-devices).',
    hint: 'Configure the device for coaps (port coap.dtls_port) with its PSK, or add it to the registry without a key, or set coap.nosec = "open" to accept plain CoAP from anyone as before.',
  },
});
