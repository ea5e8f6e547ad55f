/** Downlink commands of a profile: name + parameters → bytes, through the [downlink] layout or the script's encodeDownlink. */
import { YiwangError } from '../../common/errors.js';
import { encodePayload } from './layout/index.js';
import type { ScriptSandbox } from './sandbox.js';
import type { Profile, ScalarValue } from './types.js';

export function encodeCommand(
  profile: Profile,
  sandbox: ScriptSandbox | undefined,
  name: string,
  params: Readonly<Record<string, ScalarValue>>,
): Uint8Array {
  const c = profile.commands.get(name);
  if (!c)
    throw new YiwangError(
      'PROFILE_ERR_COMMAND',
      `${profile.id}: no command "${name}" (have: ${[...profile.commands.keys()].join(', ') || 'none'})`,
    );
  const missing = c.params.filter((p) => params[p] === undefined);
  if (missing.length)
    throw new YiwangError('PROFILE_ERR_COMMAND', `${profile.id}: command "${name}" needs ${missing.join(', ')}`);
  const extra = Object.keys(params).filter((p) => !c.params.includes(p));
  if (extra.length)
    throw new YiwangError(
      'PROFILE_ERR_COMMAND',
      `${profile.id}: command "${name}" takes no ${extra.join(', ')} (params: ${c.params.join(', ') || 'none'})`,
    );
  const values = { ...c.values, ...params };
  if (profile.downlink) return encodePayload(profile.downlink, values, c.message);
  if (!sandbox) throw new YiwangError('PROFILE_ERR_SCRIPT', `${profile.file}: the script sandbox is not running`);
  return sandbox.encodeDownlink(name, values);
}
