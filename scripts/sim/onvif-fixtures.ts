/**
 * Renders the SOAP responses of ../shared/fixtures/onvif-responses for the test camera: fills the
 * doT-style placeholders ({{=it.hostname}}, {{=new Date().toISOString()}} …), the camera's own
 * clock and addresses, and replaces the random notification blocks of PullMessages with the
 * events the test raised.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DIR } from '../../common/paths.js';

export const FIXTURE_DIR = join(SHARED_DIR, 'fixtures', 'onvif-responses');

export interface RenderContext {
  hostname: string;
  port: number;
  pullPointUrl: string;
  /** Camera clock (ms since the epoch, skew included). */
  now: number;
  rtspUrl: string;
  snapshotUrl: string;
}

export interface CameraNotification {
  topic: string;
  items: Record<string, string>;
  source: Record<string, string>;
  utcMs: number;
}

const cache = new Map<string, string>();
function load(file: string): string | undefined {
  if (!cache.has(file)) {
    const path = join(FIXTURE_DIR, file);
    if (!existsSync(path)) return undefined;
    cache.set(file, readFileSync(path, 'utf8'));
  }
  return cache.get(file);
}

/** The fixture for an operation: `<Op>.xml`, else `<service>.<Op>.xml`. */
export function fixtureFor(op: string, service: string): string | undefined {
  return (
    (service ? load(`${service}.${op}.xml`) : undefined) ??
    load(`${op}.xml`) ??
    load(`device.${op}.xml`) ??
    load(`media.${op}.xml`) ??
    load(`events.${op}.xml`)
  );
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function render(xml: string, ctx: RenderContext): string {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return xml
    .replace(/\{\{=it\.hostname\}\}/g, ctx.hostname)
    .replace(/\{\{=it\.port\}\}/g, String(ctx.port))
    .replace(/\{\{=it\.pullPointUrl\}\}/g, ctx.pullPointUrl)
    .replace(/\{\{=new Date\(Date\.now\(\)\s*\+\s*(\d+)\)\.toISOString\(\)\}\}/g, (_m, d: string) =>
      iso(ctx.now + Number(d)),
    )
    .replace(/\{\{=new Date\(\)\.toISOString\(\)\}\}/g, iso(ctx.now))
    .replace(/http:\/\/192\.168\.68\.111\/onvif-cgi\/jpg\/image\.cgi\?[^<]*/g, xmlEscape(ctx.snapshotUrl))
    .replace(/rtsp:\/\/192\.168\.68\.111\/h264main/g, xmlEscape(ctx.rtspUrl))
    .replace(/http:\/\/192\.168\.68\.111/g, `http://${ctx.hostname}:${ctx.port}`);
}

/** GetSystemDateAndTime with the camera's clock in UTCDateTime. */
export function renderDateTime(xml: string, ctx: RenderContext): string {
  const d = new Date(ctx.now);
  const set = (s: string, name: string, v: number): string =>
    s.replace(new RegExp(`<tt:${name}>\\d+</tt:${name}>`), `<tt:${name}>${v}</tt:${name}>`);
  const [head, rest] = xml.split('<tt:UTCDateTime>');
  if (rest === undefined) throw new Error('the GetSystemDateAndTime fixture has no <tt:UTCDateTime>');
  let utc = rest;
  utc = set(utc, 'Hour', d.getUTCHours());
  utc = set(utc, 'Minute', d.getUTCMinutes());
  utc = set(utc, 'Second', d.getUTCSeconds());
  utc = set(utc, 'Year', d.getUTCFullYear());
  utc = set(utc, 'Month', d.getUTCMonth() + 1);
  utc = set(utc, 'Day', d.getUTCDate());
  return `${head}<tt:UTCDateTime>${utc}`;
}

/** PullMessages: the fixture's notification block once per raised event (none when idle). */
export function renderPull(xml: string, ctx: RenderContext, events: CameraNotification[]): string {
  const block = /\{\{\?[^}]*\}\}([\s\S]*?)\{\{\?\}\}/.exec(xml)?.[1] ?? '';
  const withoutBlocks = xml.replace(/\{\{\?[^}]*\}\}[\s\S]*?\{\{\?\}\}/g, '');
  const iso = (ms: number): string => new Date(ms).toISOString();
  const items = (tagName: string, kv: Record<string, string>): string =>
    `<tt:${tagName}>${Object.entries(kv)
      .map(([k, v]) => `<tt:SimpleItem Name="${xmlEscape(k)}" Value="${xmlEscape(v)}"/>`)
      .join('')}</tt:${tagName}>`;
  const messages = events
    .map((e) =>
      block
        .replace(/tns1:RuleEngine\/CellMotionDetector\/Motion/, `\n                    ${e.topic}\n                `)
        .replace(/<tt:Source>[\s\S]*?<\/tt:Source>/, items('Source', e.source))
        .replace(/<tt:Data>[\s\S]*?<\/tt:Data>/, items('Data', e.items))
        .replace(/\{\{=new Date\(\)\.toISOString\(\)\}\}/g, iso(e.utcMs)),
    )
    .join('');
  const body = render(withoutBlocks, ctx)
    .replace(/<tev:CurrentTime>[^<]*<\/tev:CurrentTime>/, `<tev:CurrentTime>${iso(ctx.now)}</tev:CurrentTime>`)
    .replace(
      /<tev:TerminationTime>[^<]*<\/tev:TerminationTime>/,
      `<tev:TerminationTime>${iso(ctx.now + 60_000)}</tev:TerminationTime>`,
    );
  return body.replace('</tev:PullMessagesResponse>', `${render(messages, ctx)}</tev:PullMessagesResponse>`);
}

/** A SOAP 1.2 fault as cameras send it (ter:NotAuthorized and friends). */
export function soapFault(subcode: string, reason: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">' +
    '<SOAP-ENV:Body><SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value>' +
    `<SOAP-ENV:Subcode><SOAP-ENV:Value>${subcode}</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code>` +
    `<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">${xmlEscape(reason)}</SOAP-ENV:Text></SOAP-ENV:Reason>` +
    '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}

export function soapResponse(inner: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tev="http://www.onvif.org/ver10/events/wsdl"><SOAP-ENV:Body>' +
    inner +
    '</SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}
