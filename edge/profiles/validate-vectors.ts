/** The [[vectors]] of a profile: input bytes (or LwM2M values, or a command) → expected readings, events or a named error. */
import { isEdgeErrorCode } from '../error-catalog.js';
import type { Reader } from './reader.js';
import type { ExpectedEvent, Profile, ScalarValue, SeverityName, Vector } from './types.js';

export function parseVectors(r: Reader, p: Profile): Vector[] {
  const list = r.list('vectors') ?? [];
  return list.map((_, i) => {
    const v = r.item('vectors', i);
    v.allow([
      'name',
      'hex',
      'text',
      'lwm2m',
      'readings',
      'events',
      'error',
      'error_match',
      'command',
      'params',
      'reset',
      'source',
    ]);
    // `text`: the input bytes as text (HJ 212 frames are ASCII); TOML escapes give \r\n.
    const text = v.str('text');
    if (text !== undefined && v.has('hex')) v.fail('text', 'cannot be combined with hex');
    const hex = text !== undefined ? Buffer.from(text, 'utf8').toString('hex') : v.str('hex')?.replace(/\s+/g, '');
    if (hex !== undefined && !/^([0-9a-fA-F]{2})*$/.test(hex)) v.fail('hex', 'must be an even number of hex digits');
    const lwm2m = v.scalars('lwm2m');
    const command = v.str('command');
    const error = v.str('error');
    if (error !== undefined && !isEdgeErrorCode(error))
      v.fail('error', `is not a known error code (see docs/reference/errors.md)`);
    const inputs = [hex !== undefined && command === undefined, lwm2m !== undefined, command !== undefined].filter(
      Boolean,
    ).length;
    if (inputs !== 1)
      v.fail(
        undefined,
        'needs exactly one input: hex (an uplink), lwm2m (observed values) or command (+ hex, the expected downlink)',
      );
    if (command !== undefined && !p.commands.has(command))
      v.fail('command', `names no command of [commands] (have: ${[...p.commands.keys()].join(', ') || 'none'})`);
    if (hex !== undefined && command === undefined && !p.layout && !p.script && !p.wire)
      v.fail(
        text !== undefined ? 'text' : 'hex',
        'needs a [layout], a [script] or a [transport.serial] / [transport.hj212] binding to decode it',
      );
    const readings = v.scalars('readings');
    // A transport binding names its own readings (flags, statistics) beyond the [metrics] it checks.
    if (readings && p.metrics.size > 0 && !p.wire)
      for (const k of Object.keys(readings))
        if (!p.metrics.has(k)) v.fail('readings', `names "${k}", which is no metric of [metrics]`);
    if (error === undefined && command === undefined && readings === undefined)
      v.fail(undefined, 'expects nothing: give readings (and events) or error');
    const events = (v.list('events') ?? []).map((_, j): ExpectedEvent => {
      const e = v.item('events', j);
      e.allow(['type', 'active', 'severity']);
      const sev = e.str('severity', ['info', 'warning', 'critical']) as SeverityName | undefined;
      const active = e.bool('active');
      return { type: e.reqStr('type'), ...(active !== undefined ? { active } : {}), ...(sev ? { severity: sev } : {}) };
    });
    const params = v.scalars('params');
    const errorMatch = v.str('error_match');
    const name = v.str('name') ?? `#${i + 1}`;
    const out: Vector = {
      index: i,
      name,
      reset: v.bool('reset') ?? false,
      ...(hex !== undefined ? { hex: hex.toUpperCase() } : {}),
      ...(lwm2m ? { lwm2m: lwm2m as Record<string, ScalarValue> } : {}),
      ...(readings ? { readings } : {}),
      ...(v.has('events') ? { events } : {}),
      ...(error ? { error } : {}),
      ...(errorMatch ? { errorMatch } : {}),
      ...(command ? { command } : {}),
      ...(params ? { params } : {}),
    };
    return out;
  });
}
