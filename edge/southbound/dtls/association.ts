/**
 * One DTLS association of the server (server.ts): a handshake in progress, then an established
 * session. Kept small for the idle case (docs/reference/dtls.md, "Memory"): the keys, salts,
 * sequence numbers, replay window, our CID, the server's Finished and the last-use time are bytes
 * in a slot of the server's slab (slab.ts); records are protected with ciphers made per record from
 * those raw bytes; the peer address is kept only as the server's map key (`address|port`); the
 * handshake-only state (`hs`) is dropped when the handshake ends.
 */
import { YiwangError } from '../../../common/errors.js';
import { type CipherSuiteInfo, openRecord, sealRecord } from './cipher.js';
import type { Reassembler } from './reassembly.js';
import type { Transcript } from './prf.js';
import {
  ContentType,
  DTLS_1_2,
  type DtlsRecord,
  encodeCidRecord,
  encodeRecord,
  MAX_PLAINTEXT,
  MAX_SEQ,
} from './record.js';
import { replayCheck, replayHighest, replayInit, replayMark } from './replay-window.js';
import type { Slab } from './slab.js';
import type { DtlsSession, Peer, SendDatagram, SessionEndReason } from './server-types.js';

/** Layout of an association's slab slot. */
export const SLOT = {
  readKey: 0, // 16: the client's write key
  readSalt: 16, // 4
  writeKey: 20, // 16: the server's write key
  writeSalt: 36, // 4
  lastUsed: 40, // 8: ms, double
  writeSeq: 48, // 8: next epoch-1 sequence number, double
  replay: 56, // 16: replay-window.ts
  verify: 72, // 12: the server Finished's verify_data (to send the last flight again)
  tag: 84, // 4: DtlsSession.tag
  clientFinishedSeq: 88, // 2: message_seq + 1 (0: none yet)
  serverFinishedSeq: 90, // 2: message_seq + 1
  writeSeq0: 92, // 8: next epoch-0 sequence number, double
  cid: 100, // up to 32: our CID
  size: 132,
} as const;

/** `Association.flags`: small fields packed into one number (each field of an object costs 8 bytes). */
const STATE_MASK = 0b11;
const STATES = ['handshake', 'established', 'closed'] as const;
const HAS_KEYS = 1 << 2;
const FLIGHT_PENDING = 1 << 3;
const RETRANSMITS_SHIFT = 4; // 5 bits
const CID_SHIFT = 9; // 6 bits

export type FlightItem = { readonly epoch: number; readonly type: number; readonly payload: Buffer };

export interface HandshakeState {
  readonly startedAt: number;
  readonly clientRandom: Buffer;
  readonly serverRandom: Buffer;
  readonly ems: boolean;
  readonly transcript: Transcript;
  readonly reassembler: Reassembler;
  /** The session ID this server gave (empty: none); for a resumption, the resumed one. */
  readonly sessionId: Buffer;
  /** An abbreviated handshake (RFC 5246 §7.3): the server's Finished went first. */
  readonly resumed: boolean;
  nextSendSeq: number;
  expecting: 'clientKeyExchange' | 'finished';
  master?: Buffer;
  /** The PSK of a full handshake, kept until the session is cached for resumption. */
  psk?: Buffer;
  retransmits: number;
  /** The server's last flight while handshaking. */
  flight: FlightItem[];
}

/** What an association needs of its server. */
export interface AssociationOwner {
  readonly slab: Slab;
  endSession(a: Association, reason: SessionEndReason, notify: boolean): void;
}

export class Association implements DtlsSession {
  bytes: number;
  identity = '';
  hs: HandshakeState | undefined;
  /** state, hasKeys, flightPending, retransmits and cidLength (see the constants above). */
  private flags: number;

  constructor(
    private readonly owner: AssociationOwner,
    /** `address|port`: the server's map key and the only copy of the peer address. */
    public key: string,
    public sendFn: SendDatagram,
    readonly suiteInfo: CipherSuiteInfo,
    /** Our slab slot (-1 once released). */
    public slot: number,
    /** Length of our CID (0: CID not negotiated). */
    cidLength: number,
    /** The client's CID (what we put in our records); undefined: plain records. */
    readonly peerCid: Buffer | undefined,
    firstWriteSeq: number,
    bytes: number,
  ) {
    this.bytes = bytes;
    this.flags = cidLength << CID_SHIFT;
    replayInit(this.buf, this.at + SLOT.replay);
    this.writeSeq0 = firstWriteSeq;
  }

  get state(): 'handshake' | 'established' | 'closed' {
    return STATES[this.flags & STATE_MASK]!;
  }

  set state(v: 'handshake' | 'established' | 'closed') {
    this.flags = (this.flags & ~STATE_MASK) | STATES.indexOf(v);
  }

  /** Keys are in the slot (after ClientKeyExchange, or from the start of a resumption). */
  get hasKeys(): boolean {
    return (this.flags & HAS_KEYS) !== 0;
  }

  /** Established after a full handshake and no data from the client yet: it may lack our Finished. */
  get flightPending(): boolean {
    return (this.flags & FLIGHT_PENDING) !== 0;
  }

  set flightPending(v: boolean) {
    this.flags = v ? this.flags | FLIGHT_PENDING : this.flags & ~FLIGHT_PENDING;
  }

  /** Flights sent again after the session was established. */
  get retransmits(): number {
    return (this.flags >> RETRANSMITS_SHIFT) & 31;
  }

  set retransmits(n: number) {
    this.flags = (this.flags & ~(31 << RETRANSMITS_SHIFT)) | (Math.min(n, 31) << RETRANSMITS_SHIFT);
  }

  get cidLength(): number {
    return (this.flags >> CID_SHIFT) & 63;
  }

  get tag(): number {
    return this.slot < 0 ? 0 : this.buf.readUInt32LE(this.at + SLOT.tag);
  }

  set tag(n: number) {
    if (this.slot >= 0) this.buf.writeUInt32LE(n >>> 0, this.at + SLOT.tag);
  }

  /** message_seq of the client's Finished (-1: none yet). */
  get clientFinishedSeq(): number {
    return this.buf.readUInt16LE(this.at + SLOT.clientFinishedSeq) - 1;
  }

  set clientFinishedSeq(n: number) {
    this.buf.writeUInt16LE(n + 1, this.at + SLOT.clientFinishedSeq);
  }

  /** message_seq of the server's Finished of a full handshake. */
  get serverFinishedSeq(): number {
    return this.buf.readUInt16LE(this.at + SLOT.serverFinishedSeq) - 1;
  }

  set serverFinishedSeq(n: number) {
    this.buf.writeUInt16LE(n + 1, this.at + SLOT.serverFinishedSeq);
  }

  private get writeSeq0(): number {
    return this.buf.readDoubleLE(this.at + SLOT.writeSeq0);
  }

  private set writeSeq0(n: number) {
    this.buf.writeDoubleLE(n, this.at + SLOT.writeSeq0);
  }

  private get buf(): Buffer {
    return this.owner.slab.chunk(this.slot);
  }

  private get at(): number {
    return this.owner.slab.offset(this.slot);
  }

  get peer(): Peer {
    // a key starting with NUL is `\0<n>|address|port`: a session pushed off its address (server.ts move)
    const k = this.key;
    const bar = k.lastIndexOf('|');
    const start = k.charCodeAt(0) === 0 ? k.indexOf('|') + 1 : 0;
    return { address: k.slice(start, bar), port: Number(k.slice(bar + 1)) };
  }

  get cid(): Buffer | undefined {
    if (this.cidLength === 0 || this.slot < 0) return undefined;
    const o = this.at + SLOT.cid;
    return Buffer.from(this.buf.subarray(o, o + this.cidLength));
  }

  get suite(): string {
    return this.suiteInfo.name;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get lastUsed(): number {
    return this.slot < 0 ? 0 : this.buf.readDoubleLE(this.at + SLOT.lastUsed);
  }

  set lastUsed(ms: number) {
    if (this.slot >= 0) this.buf.writeDoubleLE(ms, this.at + SLOT.lastUsed);
  }

  /** Wipes and frees the slot (the server, when it forgets the association; state is closed). */
  release(): void {
    if (this.slot < 0) return;
    this.flags &= ~HAS_KEYS;
    this.owner.slab.release(this.slot);
    this.slot = -1;
  }

  /** True if `cid` is our CID. */
  hasCid(cid: Buffer): boolean {
    if (this.cidLength === 0 || this.slot < 0 || cid.length !== this.cidLength) return false;
    const o = this.at + SLOT.cid;
    return this.buf.compare(cid, 0, cid.length, o, o + cid.length) === 0;
  }

  writeCid(cid: Buffer): void {
    cid.copy(this.buf, this.at + SLOT.cid);
  }

  /** Stores the key block's keys and salts. */
  setKeys(kb: { clientKey: Buffer; serverKey: Buffer; clientSalt: Buffer; serverSalt: Buffer }): void {
    const b = this.buf;
    const o = this.at;
    kb.clientKey.copy(b, o + SLOT.readKey, 0, 16);
    kb.clientSalt.copy(b, o + SLOT.readSalt, 0, 4);
    kb.serverKey.copy(b, o + SLOT.writeKey, 0, 16);
    kb.serverSalt.copy(b, o + SLOT.writeSalt, 0, 4);
    this.flags |= HAS_KEYS;
  }

  setVerifyData(verify: Buffer): void {
    verify.copy(this.buf, this.at + SLOT.verify, 0, 12);
  }

  verifyData(): Buffer {
    const o = this.at + SLOT.verify;
    return Buffer.from(this.buf.subarray(o, o + 12));
  }

  replayCheck(seq: number): boolean {
    return replayCheck(this.buf, this.at + SLOT.replay, seq);
  }

  replayMark(seq: number): void {
    replayMark(this.buf, this.at + SLOT.replay, seq);
  }

  get highestSeq(): number {
    return replayHighest(this.buf, this.at + SLOT.replay);
  }

  send(plaintext: Buffer): void {
    if (this.state !== 'established') throw new YiwangError('DTLS_ERR_SEND', 'the DTLS session is closed');
    if (plaintext.length > MAX_PLAINTEXT)
      throw new YiwangError('DTLS_ERR_SEND', `plaintext of ${plaintext.length} bytes is over ${MAX_PLAINTEXT}`);
    const record = this.protect(ContentType.applicationData, plaintext);
    if (record === undefined) throw new YiwangError('DTLS_ERR_SEND', 'the record sequence numbers are used up');
    this.sendFn(record, this.peer);
  }

  close(): void {
    this.owner.endSession(this, 'closed', true);
  }

  /** Opens an epoch-1 record with the client's key; undefined if it does not authenticate. */
  open(record: DtlsRecord): { type: number; plaintext: Buffer } | undefined {
    if (!this.hasKeys) return undefined;
    const b = this.buf;
    const o = this.at;
    return openRecord(
      this.suiteInfo,
      b.subarray(o + SLOT.readKey, o + SLOT.readKey + 16),
      b.readUInt32BE(o + SLOT.readSalt),
      { type: record.type, version: record.version, epoch: record.epoch, seq: record.seq, cid: record.cid },
      record.fragment,
    );
  }

  /** An epoch-1 record of `type` around `plaintext` (CID record if the client asked for one). */
  protect(type: number, plaintext: Buffer): Buffer | undefined {
    if (!this.hasKeys || this.state === 'closed') return undefined;
    const b = this.buf;
    const o = this.at;
    const seq = b.readDoubleLE(o + SLOT.writeSeq);
    if (seq > MAX_SEQ) return undefined;
    b.writeDoubleLE(seq + 1, o + SLOT.writeSeq);
    const cid = this.peerCid;
    const sealed = sealRecord(
      this.suiteInfo,
      b.subarray(o + SLOT.writeKey, o + SLOT.writeKey + 16),
      b.readUInt32BE(o + SLOT.writeSalt),
      { type, version: DTLS_1_2, epoch: 1, seq, cid },
      plaintext,
    );
    return cid !== undefined
      ? encodeCidRecord(DTLS_1_2, 1, seq, cid, sealed)
      : encodeRecord(type, DTLS_1_2, 1, seq, sealed);
  }

  plain(type: number, payload: Buffer): Buffer {
    const seq = this.writeSeq0;
    this.writeSeq0 = seq + 1;
    return encodeRecord(type, DTLS_1_2, 0, seq, payload);
  }
}
