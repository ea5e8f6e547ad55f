/** A node-coap server configured as the agent's (exchange cache, piggybacked replies) and a raw UDP peer that speaks CoAP bytes to it. */
import coap from 'coap';
import { createSocket, type Socket } from 'node:dgram';
import { generate, parse, type ParsedPacket } from 'coap-packet';
import { serverSocket } from '../../edge/southbound/coap/node-coap-internals.js';

export type CoapHandler = (req: coap.IncomingMessage, res: coap.OutgoingMessage) => void;

/** A node-coap server on a free loopback port with the agent's cache and reply settings. */
export async function listenCoap(handler: CoapHandler): Promise<{ server: coap.Server; port: number }> {
  const server = coap.createServer(
    { cacheSize: 16_384, piggybackReplyMs: 60_000, sendAcksForNonConfirmablePackets: true },
    handler,
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: serverSocket(server)!.address().port };
}

/** A bound UDP socket to send hand-made CoAP packets from. */
export async function udpPeer(): Promise<Socket> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return sock;
}

/** Sends one packet and resolves with the first datagram that comes back, raw and parsed. */
export function rawExchange(
  sock: Socket,
  port: number,
  packet: Parameters<typeof generate>[0],
): Promise<{ raw: Buffer; packet: ParsedPacket }> {
  return new Promise((resolve) => {
    sock.once('message', (raw) => resolve({ raw, packet: parse(raw) }));
    sock.send(generate(packet), port, '127.0.0.1');
  });
}
