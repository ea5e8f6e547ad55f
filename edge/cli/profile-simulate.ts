/**
 * `yiwang-edge profile simulate <profile>`: a simulated device using the profile sends its vectors'
 * payloads to the local agent (raw CoAP; LwM2M Register + Send for LwM2M profiles), then the agent is
 * asked (local API) for the device's last readings, so the integrator sees them arrive end to end. Exit code 1 when an answer or a reading
 * differs from what the vectors expect.
 */
import { PROFILE_BINDINGS } from '../profile-bindings.js';
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { YiwangError } from '../../common/errors.js';
import type { DeviceDetail } from '../devices/view.js';
import {
  arrivedProblems,
  expectedArrivals,
  notLoadedAnswer,
  notLoadedError,
  simulateUplinks,
  simulationPlan,
  type AgentProfileDirs,
  type SimAnswer,
} from '../profiles/simulate.js';
import { findProfile, LIBRARY_DIR } from '../profiles/tooling.js';
import { localApiGet } from './local-api-client.js';
import { c, configAndSocket, table } from './output.js';

function target(
  spec: string | undefined,
  host: string,
  status: () => Promise<{ coap: { port: number } }>,
): Promise<{ host: string; port: number }> | { host: string; port: number } {
  if (spec !== undefined) {
    const m = /^(.+):(\d+)$/.exec(spec);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)
      throw new YiwangError('PROFILE_ERR_SIMULATE', `--coap must be host:port (got "${spec}")`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  }
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return status().then((s) => ({ host: h, port: s.coap.port }));
}

const slug = (id: string): string => `sim-${id.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The profile file simulated, absolute: the argument, or `<dir>/<id>.toml` of the last directory holding it. */
function profileSource(arg: string, dirs: readonly string[], id: string): string | undefined {
  if (existsSync(arg) && statSync(arg).isFile()) return resolve(arg);
  return [...dirs]
    .reverse()
    .map((d) => resolve(d, `${id}.toml`))
    .find((f) => existsSync(f));
}

export function register(program: Command, parent: Command): void {
  parent
    .command('simulate')
    .argument('<profile>', 'a profile file, or a vendor/model id in the profile directories')
    .option('--device <id>', 'the simulated device id (default: sim-<vendor>-<model>)')
    .option(
      '--coap <host:port>',
      "the agent's CoAP address (default: the configured host, the port the running agent reports)",
    )
    .option('--count <n>', 'send the vectors this many times', '1')
    .option('--interval <ms>', 'pause between uplinks', '200')
    .option('--wait <ms>', 'how long to wait for each answer and for the readings', '10000')
    .option('--dir <dir...>', 'profile directories for an id (default: the bundled firmware-profiles/)')
    .description(
      "a simulated device (raw CoAP, or an LwM2M client for LwM2M profiles) sends the profile's vector payloads to the running agent; shows the answers and the readings that arrived",
    )
    .action(
      async (
        arg: string,
        o: { device?: string; coap?: string; count: string; interval: string; wait: string; dir?: string[] },
        cmd: Command,
      ) => {
        const { json } = program.opts<{ json?: boolean }>();
        const num = (name: string, v: string, min: number): number => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < min)
            throw new YiwangError('PROFILE_ERR_SIMULATE', `--${name} must be an integer ≥ ${min} (got "${v}")`);
          return n;
        };
        const rounds = num('count', o.count, 1);
        const intervalMs = num('interval', o.interval, 0);
        const waitMs = num('wait', o.wait, 1);
        const p = await findProfile(arg, o.dir ?? [LIBRARY_DIR], PROFILE_BINDINGS);
        const plan = simulationPlan(p); // fails early (PROFILE_ERR_SIMULATE) for a profile a simulated device cannot reach
        const { config, socket, file } = configAndSocket(cmd);
        const to = await target(o.coap, config.coap.host, () => localApiGet(socket, '/v1/status'));
        const deviceId = o.device ?? (plan.kind === 'lwm2m' ? plan.endpoint : undefined) ?? slug(p.id);
        const host = to.host.includes(':') ? `[${to.host}]` : to.host;
        if (!json) {
          console.log(
            plan.kind === 'coap'
              ? `${p.id}: device ${deviceId} → coap://${host}:${to.port}/raw/${plan.path}/${deviceId}`
              : `${p.id}: LwM2M client ${deviceId} (objects ${plan.objects.join(', ')}) → coap://${host}:${to.port}/rd, values by Send (/dp)`,
          );
        }
        const show = (a: SimAnswer): void => {
          if (json) return;
          console.log(
            `  ${a.ok ? c.green('ok  ') : c.red('FAIL')} ${a.code}  ${a.vector}${a.answer && !a.ok ? '' : a.answer ? `  (${a.answer})` : ''}${a.problem ? `\n       ${a.problem}` : ''}`,
          );
        };
        // An agent without the profile refuses every uplink alike: stop at the first and say so once.
        const answers = await simulateUplinks(p, {
          target: to,
          deviceId,
          rounds,
          intervalMs,
          timeoutMs: waitMs,
          onAnswer: (a) => {
            if (!notLoadedAnswer(a)) show(a);
          },
          stopAfter: notLoadedAnswer,
        });
        const refused = answers.find(notLoadedAnswer);
        const agentDirs: AgentProfileDirs = {
          library: config.profiles.library ? LIBRARY_DIR : undefined,
          dirs: config.profiles.dirs,
          reloadMs: config.profiles.reload_ms,
          configFile: file ?? 'edge.toml',
        };
        if (refused) {
          const err = notLoadedError(
            p,
            profileSource(arg, o.dir ?? [LIBRARY_DIR], p.id),
            agentDirs,
            `it answered the first uplink ${refused.code} ${refused.answer}`,
          );
          if (!json) throw err;
          process.exitCode = 1;
          console.log(
            JSON.stringify(
              {
                profile: p.id,
                device: deviceId,
                target: to,
                ok: false,
                error: { code: err.code, message: err.message, hint: err.hint },
                answers,
                agentProfile: null,
                lastReadings: [],
                missing: [],
              },
              null,
              2,
            ),
          );
          return;
        }
        // The agent answers after the commit; poll briefly anyway (another writer may lag the API view).
        let detail: DeviceDetail | undefined;
        let missing: string[] = [];
        const until = Date.now() + waitMs;
        for (;;) {
          detail = await localApiGet<DeviceDetail>(socket, `/v1/devices/${encodeURIComponent(deviceId)}`).catch(
            (e: unknown) => {
              if (e instanceof YiwangError && e.code === 'EDGE_ERR_UNKNOWN_DEVICE') return undefined;
              throw e;
            },
          );
          missing = arrivedProblems(p, detail?.lastReadings ?? []);
          if (missing.length === 0 || Date.now() > until) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const failed = answers.filter((a) => !a.ok);
        // The device got another profile (or none): the agent has not loaded this one (an LwM2M client is stored all the same).
        const other =
          detail && detail.profile !== p.id
            ? notLoadedError(
                p,
                profileSource(arg, o.dir ?? [LIBRARY_DIR], p.id),
                agentDirs,
                `it gave device ${deviceId} ${detail.profile ? `profile ${detail.profile}` : 'no profile'}`,
              )
            : undefined;
        const ok = failed.length === 0 && missing.length === 0 && other === undefined;
        process.exitCode = ok ? 0 : 1;
        if (json) {
          console.log(
            JSON.stringify(
              {
                profile: p.id,
                device: deviceId,
                target: to,
                ok,
                ...(other ? { error: { code: other.code, message: other.message, hint: other.hint } } : {}),
                answers,
                agentProfile: detail?.profile ?? null,
                lastReadings: detail?.lastReadings ?? [],
                missing,
              },
              null,
              2,
            ),
          );
          return;
        }
        console.log(
          `agent: device ${deviceId}${detail ? `, profile ${detail.profile || c.yellow('none')}, ${detail.uplinks} uplink(s)` : c.red(' unknown to the agent')}`,
        );
        if (detail?.lastReadings.length)
          console.log(
            table(
              ['metric', 'value', 'unit', 'at'],
              detail.lastReadings.map((r) => [r.metric, JSON.stringify(r.value), r.unit, new Date(r.ts).toISOString()]),
            ),
          );
        for (const m of missing) console.log(`  ${c.red('FAIL')} ${m}`);
        if (other) console.log(`${c.red('error')} ${other.code}: ${other.message}`);
        console.log(
          `profile simulate: ${answers.length - failed.length}/${answers.length} answers as expected, ${expectedArrivals(p) - missing.length}/${expectedArrivals(p)} readings of the last good vector at the agent`,
        );
      },
    );
}
