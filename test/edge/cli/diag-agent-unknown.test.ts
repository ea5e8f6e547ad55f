/**
 * diag when the agent's local API does not answer but an agent holds the store (another
 * api.socket in this config, issue 17): it says the agent runs, with its PID, and does not open
 * a broker session of its own in the gateway's name (that would knock the running agent off).
 */
import t from 'tap';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fleet.js';
import { cli, startAgent, writeConfig } from './harness.js';

t.test('an agent holds the store, its socket is elsewhere: named by PID, no second broker session', async (t) => {
  const dir = tempDir('yw-diag-held-');
  const agent = await startAgent(dir, writeConfig(dir));
  t.teardown(() => agent.stop());
  // a fake broker that records every byte a client sends it (an MQTT CONNECT starts with 0x10)
  const received: Buffer[] = [];
  const sockets = new Set<Socket>();
  const broker = createServer((s) => {
    sockets.add(s);
    s.on('data', (b) => received.push(b));
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    broker.close();
  });
  const port = (broker.address() as { port: number }).port;
  const otherDir = tempDir('yw-diag-other-');
  const config = writeConfig(otherDir, {
    mqttUrl: `mqtt://127.0.0.1:${port}`,
    extra: `[api]\nsocket = "${join(otherDir, 'none.sock')}"`,
  });
  // the same store as the running agent
  const { readFileSync, writeFileSync } = await import('node:fs');
  writeFileSync(config, readFileSync(config, 'utf8').replace(join(otherDir, 'edge.db'), join(dir, 'edge.db')));

  const r = await cli(['--config', config, '--json', 'diag']);
  t.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out) as {
    checks: { name: string; ok: boolean; detail: string; hint: string; skipped?: boolean }[];
  };
  const a = j.checks.find((c) => c.name === 'agent');
  t.match(a, {
    ok: false,
    detail: new RegExp(`^running \\(PID ${agent.proc.pid}, .*\\) but its local API does not answer`),
  });
  t.notMatch(a?.hint ?? '', /systemctl start/, 'not told to start a second agent');
  t.match(
    j.checks.find((c) => c.name === 'cloud-auth'),
    { skipped: true, ok: false, detail: /an agent may be running/ },
  );
  t.equal(Buffer.concat(received).length, 0, 'diag sent the broker nothing (no MQTT CONNECT)');
});
