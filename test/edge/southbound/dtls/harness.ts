/**
 * A small UDP harness for the DTLS server tests: binds a DtlsServer on 127.0.0.1 port 0, answers
 * CoAP requests minimally (2.04 with the same token and message id, echoing the payload) and
 * records what arrived.
 */
import { createSocket, type Socket } from 'node:dgram';
import { execFile } from 'node:child_process';
import { generate, parse } from 'coap-packet';
import { DtlsServer, type DtlsServerOptions, type DtlsSession } from '../../../../edge/southbound/dtls/server.js';

export interface Harness {
  readonly server: DtlsServer;
  readonly socket: Socket;
  readonly port: number;
  /** Application payloads received (raw plaintext), with their session. */
  readonly received: { plaintext: Buffer; session: DtlsSession }[];
  /** CoAP payloads of requests received. */
  readonly coap: string[];
  close(): Promise<void>;
}

export type HarnessOptions = Omit<DtlsServerOptions, 'maxSessions' | 'maxSessionBytes' | 'cid'> &
  Partial<Pick<DtlsServerOptions, 'maxSessions' | 'maxSessionBytes' | 'cid'>> & {
    /** Answer CoAP requests (default true); false echoes the plaintext back as is. */
    coap?: boolean;
  };

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const socket = createSocket('udp4');
  const received: Harness['received'] = [];
  const coap: string[] = [];
  const answerCoap = options.coap ?? true;
  const server = new DtlsServer({
    maxSessions: 100,
    maxSessionBytes: 1 << 20,
    cid: false,
    ...options,
    onData: (plaintext, session) => {
      received.push({ plaintext, session });
      options.onData?.(plaintext, session);
      if (!answerCoap) return session.send(plaintext);
      let req: ReturnType<typeof parse>;
      try {
        req = parse(plaintext);
      } catch {
        return;
      }
      if (req.ack || req.reset) return;
      coap.push(req.payload.toString('utf8'));
      session.send(
        generate({
          code: '2.04',
          messageId: req.messageId,
          token: req.token,
          ack: req.confirmable,
          confirmable: false,
        }),
      );
    },
  });
  socket.on('message', (msg, rinfo) => server.handle(msg, rinfo, (d, p) => socket.send(d, p.port, p.address)));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server,
    socket,
    port: socket.address().port,
    received,
    coap,
    close: () =>
      new Promise<void>((resolve) => {
        server.close();
        socket.close(() => resolve());
      }),
  };
}

/** Runs a libcoap client (POST with PSK); resolves with its exit code and output, never rejects. */
export function coapClient(
  binary: string,
  port: number,
  identity: string,
  key: string,
  payload: string,
  extra: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['-m', 'post', '-B', '4', '-u', identity, '-k', key, '-e', payload, ...extra, `coaps://127.0.0.1:${port}/x`],
      { timeout: 15_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
