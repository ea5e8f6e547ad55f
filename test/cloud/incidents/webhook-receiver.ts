/** A real HTTP receiver of department webhooks for the tests (node:http on port 0): records, verifies, answers as told. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../../cloud/incidents/webhook.js';

export interface Received {
  body: Record<string, unknown>;
  raw: string;
  signature: string | undefined;
  timestamp: string | undefined;
  /** The signature checked out with the receiver's secret and clock. */
  verified: boolean;
  status: number;
}

export interface Receiver {
  url: string;
  got: Received[];
  /** Answers to give, in order (then 200). */
  answers: number[];
  /** Requests answered 2xx whose signature verified. */
  good(): Received[];
  close(): Promise<void>;
}

export async function startReceiver(secret: string, nowS: () => number = () => Date.now() / 1000): Promise<Receiver> {
  const got: Received[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers[SIGNATURE_HEADER] as string | undefined;
      const timestamp = req.headers[TIMESTAMP_HEADER] as string | undefined;
      const status = answers.shift() ?? 200;
      got.push({
        body: JSON.parse(raw) as Record<string, unknown>,
        raw,
        signature,
        timestamp,
        verified: verifySignature(secret, { signature, timestamp }, raw, Math.floor(nowS())),
        status,
      });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    answers,
    good: () => got.filter((g) => g.status < 300 && g.verified),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
