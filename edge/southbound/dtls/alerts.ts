/** TLS alerts (RFC 5246 §7.2) the DTLS server sends or reads. */
export const AlertLevel = { warning: 1, fatal: 2 } as const;

export const AlertDescription = {
  closeNotify: 0,
  unexpectedMessage: 10,
  badRecordMac: 20,
  handshakeFailure: 40,
  illegalParameter: 47,
  decodeError: 50,
  decryptError: 51,
  protocolVersion: 70,
  internalError: 80,
  noRenegotiation: 100,
  unknownPskIdentity: 115,
} as const;

export type AlertName = keyof typeof AlertDescription;

export function alertBody(level: number, description: number): Buffer {
  return Buffer.of(level, description);
}
