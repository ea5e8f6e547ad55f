/**
 * A dead cluster node's will, fired by a surviving node minutes later (Aedes' will sweep), for a
 * gateway that has reconnected meanwhile: it goes out unretained (the gateway's retained online
 * Presence stays) and ends no session; for a gateway that did not come back it is the will as sent.
 * Driven through the broker's authorizePublish as Aedes' sweep calls it (client = null or the
 * gateway's current client).
 */
import t from 'tap';
import { promisify } from 'node:util';
import { startCloud } from '../../helpers/fleet.js';
import { connectGateway } from '../../helpers/gateway-client.js';
import { topics } from '../../../proto/topics.js';
import { pb } from '../../../proto/index.js';
import { until } from '../../helpers/wait.js';

t.test('stale wills of a dead node', async (t) => {
  const c = await startCloud(undefined, { health: { flush_ms: 50 } });
  t.teardown(() => c.cloud.stop());
  const gw = await connectGateway(c, 'gw-back');
  await until('session up', () => c.cloud.health.gateway('gw-back')?.sessionUp === true, 5000);
  const aedes = c.cloud.broker.aedes as unknown as {
    authorizePublish: (client: unknown, packet: object, cb: (e?: Error | null) => void) => void;
  };
  const authorize = promisify(aedes.authorizePublish).bind(aedes) as (client: unknown, p: object) => Promise<void>;
  const will = (clientId: string) => ({
    cmd: 'publish',
    topic: topics.state(clientId),
    payload: Buffer.from(pb.Presence.encode({ online: false }).finish()),
    qos: 1,
    retain: true,
    brokerId: 'dead-node',
    clientId,
  });
  const back = will('gw-back');
  await authorize(null, back);
  t.equal(back.retain, false, 'the will of a gateway that is back goes out unretained');
  t.equal(c.cloud.broker.counters.staleWillsIgnored, 1);
  t.equal(c.cloud.health.gateway('gw-back')?.sessionUp, true, 'its session did not end');
  const gone = will('gw-gone');
  await authorize(null, gone);
  t.equal(gone.retain, true, 'a gateway that did not come back: the will as it was sent');
  const own = { ...will('gw-back'), brokerId: c.cloud.broker.aedes.id };
  await authorize(null, own);
  t.equal(own.retain, true, "this node's own wills are not touched");
  t.equal(c.cloud.broker.counters.staleWillsIgnored, 1);
  gw.client.end(true);
});
