/**
 * Issue 20 item 1: one owner per source address. When carrier NAT gives an address a live
 * registration holds to another device, the endpoint that registered or updated from it last
 * owns it: Sends from it are credited to that endpoint, before and after a restart (ownership is
 * stored, not inferred from times), and requests to the endpoint that lost the address are not
 * sent there (they wait until it registers or updates again from its own address). Raw datagrams
 * from sockets whose source address stays fixed, against a real server on loopback.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { tempDir } from '../../../../helpers/fleet.js';
import { until } from '../../../../helpers/wait.js';
import { decodeBatch } from '../../../../../proto/batch-codec.js';
import { startLwm2mEdge } from './helpers.js';
import { WireDevice } from './wire-device.js';

type Edge = Awaited<ReturnType<typeof startLwm2mEdge>>;
const OVERRIDES = { lwm2m: { request_timeout_ms: 1000 } };

/** Readings seen in sealed batches so far, per test edge: temperature value → device id. */
const seen = new WeakMap<Edge, Map<number, string>>();

/** The device a Send of temperature `v` was credited to (waits for its reading). */
async function creditedTo(e: Edge, v: number): Promise<string> {
  const got = seen.get(e) ?? new Map<number, string>();
  seen.set(e, got);
  await until(`reading ${v} stored`, () => {
    const b = e.agent.store.sealBatch('gw-lwm2m', 1000);
    if (b)
      for (const r of decodeBatch(b.payload).readings)
        if (r.metric === 'temperature') got.set(Number(r.value), r.deviceId);
    return got.has(v);
  });
  return got.get(v)!;
}

/** The log lines that report a takeover. */
const takeovers = (e: Edge) => e.logs.lines.filter((l) => String(l.msg).startsWith('lwm2m address taken over'));

/** A read that answers 2.05 with the manufacturer in SenML JSON. */
const answerReads = (d: WireDevice, name: string): void => {
  d.respond = (req) =>
    req.code === '0.01'
      ? { code: '2.05', contentFormat: 110, payload: JSON.stringify([{ bn: '/3/0/0', vs: name }]) }
      : undefined;
};

/** The result, or undefined when it does not come within 5 s. */
const within = <T>(p: Promise<T>): Promise<T | undefined> =>
  Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000).unref())]);

/** Whether the log says request `id` was held back because its device lost its address (waits up to 5 s). */
const heldBack = (e: Edge, id: number): Promise<boolean> =>
  until(
    `request ${id} held back`,
    () => e.logs.lines.some((l) => l.id === id && l.code === 'LWM2M_ERR_ADDRESS_TAKEN'),
    5000,
  ).then(
    () => true,
    () => false,
  );

t.test(
  'Core 1.1.1 §6.2.1 Register from an address a live registration holds: the newcomer owns it; Send (/dp) credited to it, also after a restart',
  async (t) => {
    const dir = tempDir('yw-lwm2m-addr-');
    let e = await startLwm2mEdge(OVERRIDES, dir);
    t.teardown(() => e.agent.stop()); // the edge running at the end
    const nat = await WireDevice.open(e.port); // one source address, two devices behind it in turn
    t.teardown(() => nat.close());
    const first = 'urn:dev:addr-first';
    const second = 'urn:dev:addr-second';

    t.equal((await nat.register(first)).code, '2.01');
    t.equal(await nat.sendTemperature(20.5), '2.04');
    t.equal(await creditedTo(e, 20.5), first, 'alone at the address: its Send is its own');
    t.equal((await nat.register(second)).code, '2.01', 'the second endpoint registers from the same IP:port');
    t.equal(e.lwm2m.stats().counters.addressTakenOver, 1, 'the takeover is counted');
    t.match(
      takeovers(e),
      [{ level: 40, deviceId: first, takenBy: second, address: `127.0.0.1:${nat.sourcePort}`, wasOnline: true }],
      'logged once, at warn, with both endpoint names',
    );
    const view = new Map(e.lwm2m.devices().map((d) => [d.endpoint, d]));
    t.match(
      view.get(first),
      { online: true, addressTakenOver: true },
      'the first stays registered, without its address',
    );
    t.notOk(view.get(second)?.addressTakenOver, 'the second owns the address');

    t.equal(await nat.sendTemperature(21.5), '2.04');
    t.equal(await creditedTo(e, 21.5), second, 'a Send from the address is the second endpoint’s');

    // Restart on the same store. The wall clock stepped back between the two Registers (NTP):
    // the second endpoint's registration looks older; ownership must not depend on times.
    await e.agent.stop();
    const db = new Database(`${dir}/edge.db`);
    const { updated_ms } = db
      .prepare<[string], { updated_ms: number }>('SELECT updated_ms FROM lwm2m_registrations WHERE endpoint = ?')
      .get(first)!;
    db.prepare('UPDATE lwm2m_registrations SET updated_ms = ?, registered_ms = ? WHERE endpoint = ?').run(
      updated_ms - 60_000,
      updated_ms - 60_000,
      second,
    );
    db.close();
    e = await startLwm2mEdge(OVERRIDES, dir);
    nat.port = e.port;
    t.equal(await nat.sendTemperature(22.5), '2.04');
    t.equal(await creditedTo(e, 22.5), second, 'after the restart the address is still the second endpoint’s');
    t.match(
      new Map(e.lwm2m.devices().map((d) => [d.endpoint, d])).get(first),
      { addressTakenOver: true },
      'and the first endpoint still has no address',
    );

    // A request to the first endpoint must not go to the address, where another device is now.
    const before = nat.received.length;
    const read = await e.lwm2m.submit(first, { op: 'read', path: '/3/0/0' });
    t.ok(await heldBack(e, read.id), 'the request is held back (logged LWM2M_ERR_ADDRESS_TAKEN)');
    t.equal(nat.received.length, before, 'nothing was sent to the address the first endpoint lost');
    t.match(
      e.lwm2m.requests(first).open,
      [{ id: read.id, state: 'pending', attempts: 0 }],
      'it waits, no attempt used',
    );

    // The first device re-registers from a new port: its address, its Sends and its requests again.
    const moved = await WireDevice.open(e.port);
    t.teardown(() => moved.close());
    answerReads(moved, 'first-device');
    t.equal((await moved.register(first)).code, '2.01');
    t.match(
      await within(e.lwm2m.result(read.id)),
      { ok: true, records: [{ path: '/3/0/0', value: 'first-device' }] },
      'the held-back read reaches the first device at its new address',
    );
    t.equal(moved.received.length, 1, 'sent once, to the new address');
    t.equal(await moved.sendTemperature(23.5), '2.04');
    t.equal(await creditedTo(e, 23.5), first, 'the first endpoint gets its own Sends again');
    t.equal(await nat.sendTemperature(24.5), '2.04');
    t.equal(await creditedTo(e, 24.5), second, 'and the second keeps the shared address');
    t.equal(e.lwm2m.stats().counters.addressTakenOver, 0, 'a move to a free address is no takeover');
  },
);

t.test(
  'Core 1.1.1 §6.2.2 Update from another registration’s address: the updating endpoint takes it, also after a restart',
  async (t) => {
    const dir = tempDir('yw-lwm2m-addr-upd-');
    let e = await startLwm2mEdge(OVERRIDES, dir);
    t.teardown(() => e.agent.stop()); // the edge running at the end
    const a = await WireDevice.open(e.port);
    const b = await WireDevice.open(e.port);
    t.teardown(() => {
      a.close();
      b.close();
    });
    const epA = 'urn:dev:upd-a';
    const epB = 'urn:dev:upd-b';
    const regA = await a.register(epA);
    t.equal(regA.code, '2.01');
    t.equal((await b.register(epB)).code, '2.01');
    t.equal(e.lwm2m.stats().counters.addressTakenOver, 0, 'two addresses, two owners');

    // A's NAT mapping changes to the address B held: A's next Update comes from there.
    t.equal(await b.update(regA.regId), '2.04', 'Update of A from B’s address');
    t.equal(e.lwm2m.stats().counters.addressTakenOver, 1);
    t.match(takeovers(e), [{ level: 40, deviceId: epB, takenBy: epA }], 'logged once with both endpoint names');
    t.equal(await b.sendTemperature(30.5), '2.04');
    t.equal(await creditedTo(e, 30.5), epA, 'a Send from the address is A’s now');
    t.equal(await a.sendTemperature(31.5), '4.04', 'A’s old address is nobody’s');

    const before = b.received.length;
    const read = await e.lwm2m.submit(epB, { op: 'read', path: '/3/0/0' });
    t.ok(await heldBack(e, read.id), 'the request is held back (logged LWM2M_ERR_ADDRESS_TAKEN)');
    t.equal(b.received.length, before, 'a request to B is not sent to the address A took');

    await e.agent.stop();
    e = await startLwm2mEdge(OVERRIDES, dir);
    b.port = e.port;
    a.port = e.port;
    t.equal(await b.sendTemperature(32.5), '2.04');
    t.equal(await creditedTo(e, 32.5), epA, 'still A’s after the restart');

    // B's device comes back from a new port and updates: its own address again.
    const b2 = await WireDevice.open(e.port);
    t.teardown(() => b2.close());
    answerReads(b2, 'device-b');
    const regB = e.lwm2m.device(epB)!.regId;
    t.equal(await b2.update(regB), '2.04', 'B updates from its new address');
    t.match(
      await within(e.lwm2m.result(read.id)),
      { ok: true, records: [{ value: 'device-b' }] },
      'the held-back read reaches B there',
    );
    t.equal(await b2.sendTemperature(33.5), '2.04');
    t.equal(await creditedTo(e, 33.5), epB, 'B gets its own Sends again');
  },
);
