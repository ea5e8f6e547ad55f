/**
 * Runs attacks of scripts/sim/attackers.ts in a worker thread, so that a flood's send loop never
 * holds up the event loop of the honest devices beside it (scripts/sim/attack-lab.ts). Started
 * with the attacks to run in `workerData`; answers 'running' once they run; the message 'stop' stops
 * them and answers what each sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  block1Flood,
  coapGarbage,
  oversizedConnects,
  registrationFlood,
  rogueGateway,
  slowHj212,
  type Attack,
} from './attackers.js';

export interface AttackSpec {
  name: 'coap-garbage' | 'block1-flood' | 'registration-flood' | 'slow-hj212' | 'rogue-gateway' | 'oversized-connect';
  host: string;
  port: number;
  perS: number;
  /** rogue-gateway: broker URL, credentials and the devices of other gateways to write into. */
  mqttUrl?: string;
  gatewayId?: string;
  secret?: string;
  victims?: string[];
}

function launch(s: AttackSpec): Attack {
  const t = { host: s.host, port: s.port };
  switch (s.name) {
    case 'coap-garbage':
      return coapGarbage(t, s.perS);
    case 'block1-flood':
      return block1Flood(t, s.perS);
    case 'registration-flood':
      return registrationFlood(t, s.perS);
    case 'slow-hj212':
      return slowHj212(t);
    case 'rogue-gateway':
      return rogueGateway(s.mqttUrl!, s.gatewayId!, s.secret!, s.victims ?? []);
    case 'oversized-connect':
      return oversizedConnects(t);
  }
}

if (parentPort) {
  const port = parentPort;
  const running = (workerData as AttackSpec[]).map(launch);
  port.postMessage('running'); // the lab starts the round's clock on this (loading this worker can take seconds)
  port.on('message', (m) => {
    if (m !== 'stop') return;
    void Promise.all(running.map((a) => a.stop())).then(() => {
      port.postMessage(Object.fromEntries(running.map((a) => [a.name, a.sent])));
      port.close();
    });
  });
}
