/**
 * Replies an instrument (or a platform) expects when the Flag A bit asks for one:
 *   CN 9014 data reply, 9011 request reply (QnRtn), 9012 execution result (ExeRtn), 9013 notification reply.
 * HJ 212-2017 (Flag version ≥ 1): QN=<echo>;ST=91;CN=…;PW=<echo>;MN=<echo>;Flag=<version bits>;CP=&&…&&
 * HJ/T 212-2005 (no version bits): ST=91;CN=…;PW;MN;CP=&&QN=<echo>;…&& (QN travels inside CP).
 */
import { YiwangError } from '../../../common/errors.js';
import { encodeFrame, type Hj212EncodeOptions } from './frame.js';
import { buildSegment, flagBits, type Hj212CpGroup, type Hj212Packet } from './segment.js';

/** QnRtn of CN 9011. */
export const QN_RTN = {
  READY: 1,
  REJECTED: 2,
  PW_ERROR: 3,
  MN_ERROR: 4,
  ST_ERROR: 5,
  FLAG_ERROR: 6,
  QN_ERROR: 7,
  CN_ERROR: 8,
  CRC_ERROR: 9,
  UNKNOWN: 100,
} as const;

/** ExeRtn of CN 9012. */
export const EXE_RTN = {
  SUCCESS: 1,
  FAILED: 2,
  CONDITION_ERROR: 3,
  TIMEOUT: 4,
  BUSY: 5,
  FAULT: 6,
  NO_DATA: 100,
} as const;

export interface Hj212ReplyOptions extends Hj212EncodeOptions {
  /** Echo the request's ST instead of 91 (system interaction), for platforms that expect it. */
  echoSt?: boolean;
}

/** Whether the packet's Flag asks for a reply. */
export function replyWanted(p: Pick<Hj212Packet, 'flag'>): boolean {
  return flagBits(p.flag).needsReply;
}

/** The data segment of a reply with command `cn` and CP items `items`. */
export function replySegment(
  p: Hj212Packet,
  cn: string,
  items: readonly (readonly [string, string])[],
  opts: Hj212ReplyOptions = {},
): string {
  const { version } = flagBits(p.flag);
  const st = opts.echoSt && p.st ? p.st : '91';
  if (version >= 1) {
    if (!p.qn)
      throw new YiwangError(
        'HJ212_ERR_REPLY',
        `HJ 212: CN ${p.cn} from MN ${p.mn ?? '?'} asks for a reply but has no QN`,
      );
    const cp: Hj212CpGroup[] = items.length ? [items] : [];
    return buildSegment({ qn: p.qn, st, cn, pw: p.pw, mn: p.mn, flag: version << 2, cp });
  }
  const cp: Hj212CpGroup[] = [];
  if (p.qn) cp.push([['QN', p.qn]]);
  if (items.length) cp.push(items);
  return buildSegment({ st, cn, pw: p.pw, mn: p.mn, cp });
}

/** CN 9014: confirms a data upload (send it after the readings are durably stored). */
export function buildDataReply(p: Hj212Packet, opts: Hj212ReplyOptions = {}): Buffer {
  const items: [string, string][] = flagBits(p.flag).version >= 1 ? [] : [['CN', p.cn]];
  return encodeFrame(replySegment(p, '9014', items, opts), opts);
}

/** CN 9011: answers a request with QnRtn (1 = ready to execute). */
export function buildRequestReply(p: Hj212Packet, qnRtn: number = QN_RTN.READY, opts: Hj212ReplyOptions = {}): Buffer {
  return encodeFrame(replySegment(p, '9011', [['QnRtn', String(qnRtn)]], opts), opts);
}

/** CN 9012: reports the execution result with ExeRtn (1 = success). */
export function buildExecutionResult(
  p: Hj212Packet,
  exeRtn: number = EXE_RTN.SUCCESS,
  opts: Hj212ReplyOptions = {},
): Buffer {
  return encodeFrame(replySegment(p, '9012', [['ExeRtn', String(exeRtn)]], opts), opts);
}

/** CN 9013: acknowledges a notification. */
export function buildNotificationReply(p: Hj212Packet, opts: Hj212ReplyOptions = {}): Buffer {
  return encodeFrame(replySegment(p, '9013', [], opts), opts);
}
