/**
 * ONVIF notification → our event type. Topics differ between vendors (and may carry whitespace
 * and namespace prefixes), so matching is by the last meaningful topic parts; the state comes from
 * the first boolean-looking data item (IsMotion, IsTamper, State, …).
 */
import type { Notification } from './onvif-client.js';
import type { Severity } from './event-builder.js';

export interface NormalisedEvent {
  type: 'camera_motion' | 'camera_tamper' | 'camera_video_loss';
  severity: Severity;
  active: boolean;
  topic: string;
  rule: string;
}

const RULES: { re: RegExp; type: NormalisedEvent['type']; severity: Severity }[] = [
  { re: /(MotionAlarm|MotionDetector|\/Motion$|MotionRegionDetector)/i, type: 'camera_motion', severity: 'warning' },
  {
    re: /(Tamper|GlobalSceneChange|Defocus|ImageTooBlurry|ImageTooDark|ImageTooBright)/i,
    type: 'camera_tamper',
    severity: 'critical',
  },
  { re: /(SignalLoss|VideoLoss|SignalStandardMismatch)/i, type: 'camera_video_loss', severity: 'critical' },
];

const TRUE = new Set(['true', '1', 'on', 'active']);
const FALSE = new Set(['false', '0', 'off', 'inactive']);

export function normalise(n: Notification): NormalisedEvent | undefined {
  const topic = n.topic
    .replace(/\s+/g, '')
    .split('/')
    .map((p) => p.replace(/^[\w-]+:/, ''))
    .join('/');
  const rule = RULES.find((r) => r.re.test(topic));
  if (!rule) return undefined;
  const values = Object.values(n.data).map((v) => v.trim().toLowerCase());
  const v = values.find((x) => TRUE.has(x) || FALSE.has(x));
  // video loss "State=true" means the signal is lost; a missing state counts as raised
  const active = v === undefined ? true : TRUE.has(v);
  return { type: rule.type, severity: rule.severity, active, topic, rule: n.source.Rule ?? '' };
}
