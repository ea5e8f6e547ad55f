/**
 * Everything of Aedes' internals that the cloud broker relies on, in one place. Aedes' typings
 * (types/instance.d.ts) declare neither the instance's `clients` nor its `persistence` (only the
 * `persistence` option, as any); what follows is read from aedes.js and lib/handlers/subscribe.js
 * and checked against aedes 1.2.0 (package.json: "aedes": "1.2", i.e. 1.2.x) with its default
 * persistence, aedes-persistence 11.0.0 (the in-memory one). The broker uses the functions below
 * instead of casting, and test/cloud/broker/aedes-internals.test.ts checks every item on a real
 * broker with real MQTT clients: an upgrade that moves one of them fails that test.
 *
 * What is relied on, and why:
 *  1. `aedes.clients`: an object keyed by client id holding the Client of every connected session.
 *     Aedes adds a client once its CONNECT is authenticated (registerClient, before CONNACK) and
 *     deletes it when the connection ends. The broker closes a revoked gateway's session
 *     (disconnect()) and refuses a provisioning session whose client id is connected already, which
 *     it must judge in `authenticate`, before Aedes' own take-over of the older session:
 *     connectedClient().
 *  2. `aedes.persistence`: the persistence instance, with `storeRetained(packet)` (Aedes 1.2 calls it
 *     without a callback and waits on the promise it returns), `createRetainedStream(pattern)` and
 *     `createRetainedStreamCombi(patterns)` (Readable streams of retained packets; Aedes' SUBSCRIBE
 *     handler asks the latter for the retained messages of a SUBSCRIBE's filters). retained-index.ts
 *     wraps those three to answer gateway filters from an index: retainedPersistenceOf().
 *     With cluster.redis_url the persistence is aedes-persistence-redis (through aedes-persistence
 *     10's CallBackPersistence, which has the same three methods); cluster-backends.ts indexes it
 *     before handing it to Aedes, so the broker does not reach into it.
 *  3. A client's `_disconnected` flag (lib/client.js close(): set by a DISCONNECT packet; when set,
 *     close() deletes the client's stored will instead of publishing it). A gateway whose session
 *     is taken over by another cluster node is alive: its old connection is closed without
 *     publishing its will (Presence offline): suppressWill().
 *  4. The instance's 'error' event (not in the typings' event list): Aedes emits it when its
 *     persistence fails outside a client's request (enqueueing for offline sessions, clearing wills
 *     of dead nodes); an EventEmitter without a listener for it throws: onBrokerError().
 */
import type { Aedes, Client } from 'aedes';
import type { RetainedPersistence } from './retained-index.js';

interface AedesInternals {
  clients?: unknown;
  persistence?: unknown;
}
const internals = (aedes: Aedes): AedesInternals => aedes as AedesInternals;

const PERSISTENCE_METHODS = ['storeRetained', 'createRetainedStream', 'createRetainedStreamCombi'] as const;

/** 1. The Client of the connected session with this client id, if any. */
export function connectedClient(aedes: Aedes, clientId: string): Client | undefined {
  const clients = internals(aedes).clients as Record<string, Client | undefined> | undefined;
  return clients !== undefined && Object.hasOwn(clients, clientId) ? clients[clientId] : undefined;
}

const missingMethods = (p: unknown): string[] =>
  PERSISTENCE_METHODS.filter(
    (m) => typeof (p as Partial<Record<string, unknown>> | null | undefined)?.[m] !== 'function',
  );
const isRetainedPersistence = (p: unknown): p is RetainedPersistence =>
  typeof p === 'object' && p !== null && missingMethods(p).length === 0;

/** 2. The broker's persistence, as far as the retained index wraps it; throws when it is not as expected. */
export function retainedPersistenceOf(aedes: Aedes): RetainedPersistence {
  const p = internals(aedes).persistence;
  if (!isRetainedPersistence(p))
    throw new Error(
      `Aedes internals changed (checked against aedes 1.2.x): persistence without ${missingMethods(p).join(', ') || 'an object'}`,
    );
  return p;
}

/** 3. The will of this client is deleted, not published, when its connection closes. */
export function suppressWill(client: Client): void {
  (client as Client & { _disconnected?: boolean })._disconnected = true;
}

/** 4. Listens to the errors Aedes emits on the instance. */
export function onBrokerError(aedes: Aedes, listener: (err: Error) => void): void {
  (aedes as unknown as NodeJS.EventEmitter).on('error', listener);
}

/** Which of the internals above are missing ([] when all are there). */
export function aedesProblems(aedes: Aedes): string[] {
  const s = internals(aedes);
  const problems: string[] = [];
  if (typeof s.clients !== 'object' || s.clients === null) problems.push('clients object');
  if (!isRetainedPersistence(s.persistence)) problems.push(`persistence with ${PERSISTENCE_METHODS.join(', ')}`);
  return problems;
}

/** Throws when the Aedes internals relied on here are missing (an Aedes upgrade changed them). */
export function assertAedesInternals(aedes: Aedes): void {
  const problems = aedesProblems(aedes);
  if (problems.length) throw new Error(`Aedes internals changed (checked against aedes 1.2.x): ${problems.join('; ')}`);
}
