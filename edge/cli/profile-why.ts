/** `yiwang-edge profile why --device …`: which profile a device with these facts gets, rule by rule. */
import { PROFILE_BINDINGS } from '../profile-bindings.js';
import type { Command } from 'commander';
import { ProfileIndex, type DeviceFacts } from '../profiles/index-match.js';
import { loadProfileDirs } from '../profiles/load.js';
import { LIBRARY_DIR } from '../profiles/tooling.js';

export function register(program: Command, parent: Command): void {
  parent
    .command('why')
    .requiredOption('--device <id>', 'device id (LwM2M endpoint name, CoAP device id …)')
    .option('--endpoint <name>', 'LwM2M endpoint name (default: the device id)')
    .option('--objects <ids>', 'LwM2M objects the device registered, comma-separated')
    .option('--coap-path <segment>', 'the {layout} segment of a raw CoAP uplink')
    .option('--manufacturer <s>')
    .option('--model <s>')
    .option('--firmware <version>')
    .option('--mn <mn>', 'HJ 212 MN')
    .option('--serial-address <a>')
    .option('--dir <dir...>', 'profile directories (default: the bundled firmware-profiles/)')
    .description('explain which profile a device gets and why (every candidate, every rule)')
    .action(async (o: Record<string, string | string[] | undefined>) => {
      const { json } = program.opts<{ json?: boolean }>();
      const s = (k: string): string | undefined => o[k] as string | undefined;
      const facts: DeviceFacts = {
        deviceId: s('device')!,
        lwm2mEndpoint: s('endpoint') ?? s('device')!,
        ...(s('objects')
          ? {
              lwm2mObjects: s('objects')!
                .split(',')
                .map((x) => Number(x.trim())),
            }
          : {}),
        ...(s('coapPath') ? { coapPath: s('coapPath')! } : {}),
        ...(s('manufacturer') ? { manufacturer: s('manufacturer')! } : {}),
        ...(s('model') ? { model: s('model')! } : {}),
        ...(s('firmware') ? { firmware: s('firmware')! } : {}),
        ...(s('mn') ? { hj212Mn: s('mn')! } : {}),
        ...(s('serialAddress') ? { serialAddress: s('serialAddress')! } : {}),
      };
      const set = await loadProfileDirs((o.dir as string[] | undefined) ?? [LIBRARY_DIR], PROFILE_BINDINGS);
      const ex = new ProfileIndex(set.profiles).explain(facts);
      if (json) {
        console.log(JSON.stringify(ex, null, 2));
        return;
      }
      console.log(ex.chosen ? `${ex.deviceId} → ${ex.chosen}` : `${ex.deviceId} → no profile`);
      if (ex.note) console.log(`note: ${ex.note}`);
      for (const c of ex.candidates.filter((x) => x.rules.some((r) => r.ok !== undefined))) {
        const rules = [...c.rules, c.firmware].map(
          (r) =>
            `${r.rule} ${r.ok === undefined ? '?' : r.ok ? '✓' : '✗'} (${r.want}${r.have !== undefined ? ` vs ${r.have}` : ''})`,
        );
        console.log(`  ${c.matched ? 'match' : 'no   '} ${c.profile}: ${rules.join(', ')}`);
      }
    });
}
