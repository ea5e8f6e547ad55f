/**
 * What the LwM2M server keeps durably: registrations, the per-device downlink queue (requests and
 * their results), observations and device lifecycle events. The server core (registrar, queue,
 * observations) uses this interface; sqlite-store.ts implements it in the agent's store file.
 * Writes go through `write()`, which resolves once the work is committed (and durable).
 */
export interface RegistrationRow {
  endpoint: string;
  reg_id: string;
  address: string;
  port: number;
  lifetime_s: number;
  version: string;
  binding: string;
  queue_mode: number;
  sms: string | null;
  links: string;
  content_format: number;
  registered_ms: number;
  updated_ms: number;
  online: number;
  /** 1 when another registration took this one's address since (see Registration.addressLost). */
  address_lost: number;
}

export type RequestState = 'pending' | 'sent' | 'done' | 'failed' | 'expired' | 'superseded';

export interface QueueRow {
  id: number;
  endpoint: string;
  op: string;
  path: string;
  spec: string;
  coalesce_key: string | null;
  created_ms: number;
  expires_ms: number;
  state: RequestState;
  attempts: number;
  result: string | null;
  done_ms: number | null;
}

export interface ObservationRow {
  endpoint: string;
  paths: string;
  token: string;
  composite: number;
  created_ms: number;
}

export interface EventRow {
  id: number;
  endpoint: string;
  kind: string;
  detail: string;
  at_ms: number;
}

export interface Lwm2mStore {
  /** Runs `work` inside the next group transaction; resolves with its result once committed (and durable). */
  write<T>(work: () => T): Promise<T>;

  putRegistration(row: RegistrationRow): void;
  setOnline(endpoint: string, online: boolean): void;
  deleteRegistration(endpoint: string): void;
  /** `endpoint` registered or updated from `address`:`port`: every other registration there loses it. */
  takeAddress(endpoint: string, address: string, port: number): void;
  registrations(): RegistrationRow[];

  /** Inserts a pending request; returns its id and the ids of pending requests it superseded. */
  enqueue(
    endpoint: string,
    op: string,
    path: string,
    spec: string,
    coalesceKey: string | null,
    now: number,
    expiresMs: number,
  ): { id: number; superseded: { id: number; bytes: number }[] };
  finish(id: number, state: RequestState, result: unknown, now: number): void;
  markSent(id: number): void;
  /** Back to pending; `uncount`: the send did not happen (the attempt made by markSent is taken back). */
  markPending(id: number, uncount?: boolean): void;
  openRequests(endpoint: string): QueueRow[];
  recentRequests(endpoint: string, limit: number): QueueRow[];
  request(id: number): QueueRow | undefined;
  /** Pending requests of a device with this coalescing key (a new one supersedes them): count and bytes. */
  pendingSame(endpoint: string, coalesceKey: string): { n: number; bytes: number };
  /** Open requests per device: count and bytes (characters of their stored JSON). */
  openCounts(): Map<string, { n: number; bytes: number }>;
  /** Open requests whose time to live ran out, soonest first, at most `limit`. */
  expiredOpen(now: number, limit: number): { id: number; endpoint: string; bytes: number }[];
  /** Keeps the newest `maxRows` finished requests and the newest `maxRows` device events; returns the rows deleted. */
  pruneHistory(maxRows: number): number;

  putObservation(row: ObservationRow): void;
  deleteObservation(endpoint: string, paths: string): void;
  deleteObservations(endpoint: string): void;
  observations(): ObservationRow[];

  addEvent(endpoint: string, kind: string, detail: string, at: number): void;
  events(endpoint: string, limit?: number): EventRow[];

  close(): void;
}
