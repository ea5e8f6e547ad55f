/**
 * Wires the technician's local API routes (technician-routes.ts) to the agent's parts:
 * device registry, heard devices, last readings, LwM2M, profiles, log ring, cameras, and the
 * checks only the running agent can make for `yiwang-edge diag`.
 */
import type { DeviceRegistry } from '../devices/registry.js';
import type { LastReadings } from '../devices/last-readings.js';
import type { DeviceSeen } from '../devices/heard.js';
import type { LogRing } from '../log-ring.js';
import type { Check, TechnicianDeps } from './technician-routes.js';
import type { EventHistory } from '../store/event-history.js';

/** What the wiring needs of the agent (a structural view of EdgeAgent, read late). */
export interface TechnicianAgentView {
  store: { quickCheck(max?: number): string[]; eventHistory: Pick<EventHistory, 'list' | 'stats'> };
  devices: { list(): DeviceSeen[]; stats(): { held: number; cap: number; evicted: number } };
  uplink: {
    state: string;
    /** The broker in use (one of cloud.urls when several are configured). */
    url: string;
    lastError: { code: string; message: string } | null;
    roundTrip(timeoutMs: number): Promise<number>;
  };
  lwm2m?:
    | {
        devices(): Record<string, unknown>[];
        requests(endpoint: string): { open: unknown[]; recent: unknown[] };
        events(endpoint: string): { kind: string; detail: string; at: string }[];
      }
    | undefined;
  profiles?: { profileFor(deviceId: string): { id: string } | undefined };
  cameras?: { get(id: string): { check(): Promise<void>; status(): unknown } } | undefined;
  config: { cloud: { url: string } };
}

export function technicianDeps(
  agent: () => TechnicianAgentView,
  o: { registry: DeviceRegistry; last: LastReadings; logs: LogRing; onlineWindowMs: number },
): TechnicianDeps {
  return {
    registry: o.registry,
    last: o.last,
    logs: o.logs,
    onlineWindowMs: o.onlineWindowMs,
    seen: () => agent().devices.list(),
    heard: () => agent().devices.stats(),
    events: (q) => ({ events: agent().store.eventHistory.list(q), stats: agent().store.eventHistory.stats() }),
    lwm2mEvents: (ep) => agent().lwm2m?.events(ep) ?? [],
    lwm2mDevices: () => agent().lwm2m?.devices() ?? [],
    lwm2mRequests: (ep) => agent().lwm2m?.requests(ep) ?? { open: [], recent: [] },
    profileOf: (id) => {
      try {
        return agent().profiles?.profileFor(id)?.id;
      } catch {
        return undefined;
      }
    },
    cameraTest: async (id) => {
      const cams = agent().cameras;
      if (!cams) throw new Error('cameras adapter is off');
      const m = cams.get(id);
      await m.check();
      return m.status();
    },
    diag: () => agentChecks(agent()),
  };
}

/** Database integrity, cloud session (auth) and a broker round trip, as seen by the running agent. */
export async function agentChecks(a: TechnicianAgentView): Promise<Check[]> {
  const checks: Check[] = [];
  try {
    const bad = a.store.quickCheck(5);
    checks.push(
      bad.length === 0
        ? { name: 'database', ok: true, detail: 'SQLite quick_check: ok', hint: '' }
        : {
            name: 'database',
            ok: false,
            detail: `SQLite quick_check: ${bad.join('; ')}`,
            hint: 'Stop the agent, copy the store file aside and run `sqlite3 <store> .recover`; readings not yet sent may be lost. Check the storage medium.',
          },
    );
  } catch (err) {
    checks.push({
      name: 'database',
      ok: false,
      detail: (err as Error).message,
      hint: 'Check free disk space and permissions of the store directory (store.path).',
    });
  }
  const u = a.uplink;
  if (u.state === 'online') {
    checks.push({
      name: 'cloud-auth',
      ok: true,
      detail: `session to ${u.url} is up (credentials accepted)`,
      hint: '',
    });
    try {
      const ms = await u.roundTrip(5000);
      checks.push({ name: 'broker-round-trip', ok: true, detail: `PUBACK in ${ms} ms`, hint: '' });
    } catch (err) {
      checks.push({
        name: 'broker-round-trip',
        ok: false,
        detail: (err as Error).message,
        hint: "The broker accepts the session but does not confirm publishes; check the cloud's load and logs (CLOUD_ERR_*).",
      });
    }
  } else {
    const refused = /refused the gateway's credentials/.test(u.lastError?.message ?? '');
    checks.push({
      name: 'cloud-auth',
      ok: false,
      detail: `uplink is ${u.state}${u.lastError ? `: ${u.lastError.message}` : ''}`,
      hint: refused
        ? 'The cloud rejects gateway.id/gateway.secret: check them with the cloud operator (or provision again).'
        : 'The agent cannot reach the broker; see the cloud-dns/cloud-tcp/cloud-tls checks.',
    });
    checks.push({
      name: 'broker-round-trip',
      ok: false,
      skipped: true,
      detail: 'skipped: no cloud session',
      hint: 'Fix cloud-auth first.',
    });
  }
  return checks;
}
