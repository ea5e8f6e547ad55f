import t from 'tap';
import { decodeFrame, encodeFrame } from '../../../../edge/southbound/hj212/frame.js';
import { decodePacket, parseSegment } from '../../../../edge/southbound/hj212/segment.js';
import {
  buildDataReply,
  buildExecutionResult,
  buildNotificationReply,
  buildRequestReply,
  EXE_RTN,
  QN_RTN,
  replyWanted,
} from '../../../../edge/southbound/hj212/replies.js';
import { throwsCode } from '../../../helpers/errors.js';
import { byId, wire } from './fixtures/vectors.js';

const text = (b: Buffer): string => decodeFrame(b, { requireCrlf: true }).segment;

t.test('replies to the Annex C 1062 request: 9011 then 9012', async (t) => {
  const p = decodePacket(wire(byId('hj212-annexC-1062')));
  t.ok(replyWanted(p));
  const r = buildRequestReply(p);
  t.equal(text(r), 'QN=20160801085857223;ST=91;CN=9011;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&');
  t.same(r, encodeFrame(text(r)), 'a complete frame with CRC and CRLF');
  t.equal(
    text(buildExecutionResult(p)),
    'QN=20160801085857223;ST=91;CN=9012;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&&ExeRtn=1&&',
  );
  t.match(text(buildRequestReply(p, QN_RTN.PW_ERROR)), /CP=&&QnRtn=3&&$/);
  t.match(text(buildExecutionResult(p, EXE_RTN.NO_DATA)), /CP=&&ExeRtn=100&&$/);
  t.match(text(buildNotificationReply(p)), /CN=9013;.*CP=&&&&$/);
});

t.test('data reply (9014) echoes QN, PW and MN and keeps the version bits', async (t) => {
  const up = parseSegment(
    'QN=20240501103000123;ST=32;CN=2051;PW=123456;MN=MN0001;Flag=5;CP=&&DataTime=20240501100000;w01018-Avg=1&&',
  );
  t.equal(text(buildDataReply(up)), 'QN=20240501103000123;ST=91;CN=9014;PW=123456;MN=MN0001;Flag=4;CP=&&&&');
  t.equal(
    text(buildDataReply(up, { echoSt: true })),
    'QN=20240501103000123;ST=32;CN=9014;PW=123456;MN=MN0001;Flag=4;CP=&&&&',
  );
  const v2025 = parseSegment(
    'QN=20240501103000123;ST=32;CN=2011;PW=123456;MN=MN0001;Flag=9;CP=&&DataTime=20240501100000&&',
  );
  t.match(text(buildDataReply(v2025)), /;Flag=8;CP=&&&&$/);
  const split = parseSegment(
    'QN=20240501103000123;ST=32;CN=2061;PW=123456;MN=MN0001;Flag=7;PNUM=2;PNO=1;CP=&&DataTime=20240501100000&&',
  );
  t.match(text(buildDataReply(split)), /;Flag=4;CP=&&&&$/, 'D bit cleared in the reply');
  t.equal(
    buildDataReply(up, { lowercaseCrc: true, crlf: false }).toString().slice(-4),
    buildDataReply(up).toString().slice(-6, -2).toLowerCase(),
  );
});

t.test('HJ/T 212-2005 style replies carry QN inside CP', async (t) => {
  const old = parseSegment(
    'QN=20040516010101001;ST=32;CN=2011;PW=123456;MN=88888880000001;Flag=1;CP=&&DataTime=20040516010101&&',
  );
  t.equal(text(buildDataReply(old)), 'ST=91;CN=9014;PW=123456;MN=88888880000001;CP=&&QN=20040516010101001;CN=2011&&');
  t.equal(
    text(buildRequestReply(old)),
    'ST=91;CN=9011;PW=123456;MN=88888880000001;CP=&&QN=20040516010101001;QnRtn=1&&',
  );
  const noQn = decodePacket(wire(byId('hj212-2011-junit')));
  t.notOk(replyWanted(noQn), 'no Flag, no reply wanted');
  t.equal(text(buildDataReply(noQn)), 'ST=91;CN=9014;PW=123456;MN=0873HHMZWSLH02;CP=&&CN=2011&&');
});

t.test('a 2017 packet without QN cannot be answered', async (t) => {
  const p = parseSegment('ST=32;CN=2011;PW=123456;MN=MN0001;Flag=5;CP=&&DataTime=20240501100000&&');
  throwsCode(t, () => buildDataReply(p), 'HJ212_ERR_REPLY', /no QN/);
});
