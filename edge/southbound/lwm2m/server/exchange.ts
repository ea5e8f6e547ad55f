/**
 * What the LwM2M server core sees of CoAP: requests, replies, notifications and answers as plain
 * data, and the interfaces of the transport it runs on. The core (server.ts, device routes, registrar,
 * registration, reporting, observations, queue, device management, limits) imports these and no CoAP
 * transport; the CoAP binding implements them on the agent's CoAP socket: coap-dispatcher.ts (the
 * socket dispatcher, with coap-retransmission-cache.ts, coap-block1-uploads.ts and
 * coap-con-requests.ts), coap-client.ts (server-initiated requests) and coap-transport.ts (all, for the server).
 */
import type { CoapCall } from './requests.js';

export interface Peer {
  address: string;
  port: number;
}

/** A CoAP option as the core reads it (name as in RFC 7252, e.g. 'Block2', or its number). */
export interface WireOption {
  name: string | number;
  value: Buffer;
}

export interface WireRequest {
  method: string;
  path: string[];
  query: string[];
  payload: Buffer;
  contentFormat: number | undefined;
  peer: Peer;
  confirmable: boolean;
  messageId: number;
  token: Buffer;
}

export interface WireReply {
  code: string;
  payload?: Buffer | string;
  options?: { name: string; value: Buffer }[];
}

/** A message from a device that is not a request: a notification of an observation. */
export interface WireMessage {
  code: string;
  token: Buffer;
  messageId: number;
  confirmable: boolean;
  payload: Buffer;
  options: readonly WireOption[];
}

/** What the transport calls in the core. */
export interface WireHandlers {
  /** A complete (reassembled) request to /rd or /dp; resolves with the answer. */
  request(req: WireRequest): Promise<WireReply>;
  /** True when `token` (hex) is an established observation. */
  isObservation(tokenHex: string): boolean;
  /** A notification; 'ack' once its readings are durable, 'reset' for an unknown one, 'none' to stay silent (store failure: the device retransmits). */
  notification(message: WireMessage, peer: Peer): Promise<'ack' | 'reset' | 'none'>;
}

/** CoapAnswer.code of a request the device answered with a Reset (RFC 7252 §4.2: it could not process it). */
export const RESET_ANSWER = 'reset';

/** A device's answer to a server-initiated request. */
export interface CoapAnswer {
  /** The response code ("2.05", "4.04", …), or RESET_ANSWER. */
  code: string;
  payload: Buffer;
  contentFormat: number | undefined;
  locationPath: string[];
  /** The answer came in blocks (Block2); the transport fetched and joined them from the first block asked for. */
  blockwise: boolean;
}

/** Sends server-initiated requests to devices. */
export interface DeviceRequester {
  /** Sends `call` to `peer` (`rootPath`: the device's alternate root, '' normally; `token` fixes the token). Rejects with LWM2M_ERR_TIMEOUT when no answer comes in time. */
  send(peer: Peer, rootPath: string, call: CoapCall, token?: Buffer): Promise<CoapAnswer>;
}

/** Figures of the transport's Block1 reassembly, for the server's stats. */
export interface UploadFigures {
  uploadStats(): { uploads: number; uploadBytes: number };
  readonly counters: { readonly uploadsRefused: number };
}

export interface TransportLimits {
  /** Largest Block1 upload reassembled. */
  maxUploadBytes: number;
  /** Unfinished Block1 uploads at once. */
  maxUploads: number;
  /** Bytes of all unfinished Block1 uploads together. */
  maxUploadTotalBytes: number;
  /** Deadline of a server-initiated request. */
  requestTimeoutMs: number;
}

/** The transport the LwM2M server runs on (coap-transport.ts on the agent's CoAP socket). */
export interface Lwm2mTransport {
  /** Starts taking the server's traffic; returns the requester for server-initiated requests. */
  start(handlers: WireHandlers, limits: TransportLimits): DeviceRequester;
  /** Block1 figures, once started. */
  uploads(): UploadFigures | undefined;
  /** Aborts requests in flight and gives the traffic back. */
  stop(): void;
}

export function optionBuffer(message: { readonly options: readonly WireOption[] }, name: string): Buffer | undefined {
  return message.options.find((o) => o.name === name)?.value;
}

export function optionUint(buf: Buffer | undefined): number | undefined {
  if (!buf) return undefined;
  let v = 0;
  for (const b of buf) v = v * 256 + b;
  return v;
}

export function uintBuffer(v: number): Buffer {
  if (v === 0) return Buffer.alloc(0);
  const bytes: number[] = [];
  while (v > 0) {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Buffer.from(bytes);
}
