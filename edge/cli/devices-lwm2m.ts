/**
 * `yiwang-edge devices read|write|exec|observe|discover <endpoint> <path>`: LwM2M requests to one
 * device through the agent's LwM2M server (edge/cli/lwm2m-request.ts has the flow and the errors).
 */
import type { Command } from 'commander';
import { checkPath, lwm2mRequest, printResult, writeValue, type RequestOptions } from './lwm2m-request.js';
import type { RequestSpec } from '../southbound/lwm2m/server/requests.js';

const WAIT = [
  '--wait <seconds>',
  'how long to wait for the answer (default: 30 s when the device is reachable, none when it sleeps or is offline; the request stays queued either way)',
] as const;
const NO_WAIT = [
  '--no-wait',
  'queue the request and return at once (exit 0); the answer shows in yiwang-edge devices show',
] as const;

async function run(cmd: Command, ep: string, spec: RequestSpec, o: RequestOptions): Promise<void> {
  printResult(cmd, ep, spec, await lwm2mRequest(cmd, ep, spec, o));
}

export function register(devices: Command): void {
  devices
    .command('read <endpoint> <path>')
    .description(
      'LwM2M Read of an object, instance or resource (e.g. /3/0, /3303/0/5700) from a registered LwM2M device',
    )
    .option(...WAIT)
    .option(...NO_WAIT)
    .action(async (ep: string, path: string, o: RequestOptions, cmd: Command) => {
      await run(cmd, ep, { op: 'read', path: checkPath('read', path).toString() }, o);
    });
  devices
    .command('write <endpoint> <path> <value>')
    .description(
      'LwM2M Write of a resource (typed by the object model: text, number, true/false, hex for opaque) or, with JSON, of an instance or multiple resource',
    )
    .option('--update', 'partial update (POST) of an instance instead of replacing it')
    .option(...WAIT)
    .option(...NO_WAIT)
    .action(async (ep: string, path: string, value: string, o: RequestOptions & { update?: boolean }, cmd: Command) => {
      const p = checkPath('write', path);
      await run(
        cmd,
        ep,
        {
          op: 'write',
          path: p.toString(),
          value: writeValue(p, value) as Exclude<RequestSpec['value'], undefined>,
          ...(o.update ? { mode: 'update' } : {}),
        },
        o,
      );
    });
  devices
    .command('exec <endpoint> <path> [args]')
    .alias('execute')
    .description('LwM2M Execute of a resource (e.g. /3/0/4 reboot), with optional arguments text such as "0=\'3\',1"')
    .option(...WAIT)
    .option(...NO_WAIT)
    .action(async (ep: string, path: string, args: string | undefined, o: RequestOptions, cmd: Command) => {
      await run(
        cmd,
        ep,
        { op: 'execute', path: checkPath('execute', path).toString(), ...(args === undefined ? {} : { args }) },
        o,
      );
    });
  devices
    .command('observe <endpoint> <path>')
    .description(
      'LwM2M Observe: the device then notifies changes, stored as readings; prints the current value (--cancel stops observing)',
    )
    .option('--cancel', 'cancel the observation instead')
    .option(...WAIT)
    .option(...NO_WAIT)
    .action(async (ep: string, path: string, o: RequestOptions & { cancel?: boolean }, cmd: Command) => {
      const op = o.cancel ? 'cancel-observe' : 'observe';
      await run(cmd, ep, { op, path: checkPath(op, path).toString() }, o);
    });
  devices
    .command('discover <endpoint> <path>')
    .description(
      'LwM2M Discover: the instances, resources and attributes the device has under an object, instance or resource (e.g. /3)',
    )
    .option(...WAIT)
    .option(...NO_WAIT)
    .action(async (ep: string, path: string, o: RequestOptions, cmd: Command) => {
      await run(cmd, ep, { op: 'discover', path: checkPath('discover', path).toString() }, o);
    });
}
