/** ACL matrix over every topic class for two gateways and a provisioning session. */
import t from 'tap';
import { mayProvPublish, mayProvSubscribe, mayPublish, maySubscribe } from '../../../cloud/broker/acl.js';

const A = 'gw-a',
  B = 'gw-b',
  P = 'prov-0123456789abcdef0123';
const classes = (gw: string): Record<string, string> => ({
  [`${gw} up/batch`]: `yw/v1/gw/${gw}/up/batch`,
  [`${gw} up/health`]: `yw/v1/gw/${gw}/up/health`,
  [`${gw} up/config-status`]: `yw/v1/gw/${gw}/up/config-status`,
  [`${gw} up/cmd-result`]: `yw/v1/gw/${gw}/up/cmd-result`,
  [`${gw} down/ack`]: `yw/v1/gw/${gw}/down/ack`,
  [`${gw} down/config`]: `yw/v1/gw/${gw}/down/config`,
  [`${gw} down/cmd`]: `yw/v1/gw/${gw}/down/cmd`,
  [`${gw} state`]: `yw/v1/gw/${gw}/state`,
});
const topicsAll: Record<string, string> = {
  ...classes(A),
  ...classes(B),
  'prov req': `yw/v1/prov/${P}/req`,
  'prov res': `yw/v1/prov/${P}/res`,
  'other prov req': 'yw/v1/prov/prov-ffffffffffffffff/req',
  $SYS: '$SYS/broker/clients',
  root: 'yw/v1',
  other: 'x/y',
};

t.test('gateway A: writes only its uplinks and state, reads only its downlinks', async (t) => {
  for (const [name, topic] of Object.entries(topicsAll)) {
    const pub = name === `${A} state` || name.startsWith(`${A} up/`);
    t.equal(mayPublish(A, topic, false), pub, `publish ${name}`);
    t.equal(mayPublish(A, topic, true), name === `${A} state`, `publish retained ${name}`);
    t.equal(maySubscribe(A, topic), name.startsWith(`${A} down/`), `subscribe ${name}`);
  }
  for (const f of [
    '#',
    '+/#',
    'yw/v1/prov/#',
    'yw/v1/prov/+/res',
    'yw/v1/gw/+/down/config',
    `yw/v1/gw/${B}/down/#`,
    '$SYS/#',
  ])
    t.notOk(maySubscribe(A, f), `A subscribe ${f}`);
});

t.test('provisioning session: one request topic, one response topic, nothing else', async (t) => {
  for (const [name, topic] of Object.entries(topicsAll)) {
    t.equal(mayProvPublish(P, topic, false), name === 'prov req', `publish ${name}`);
    t.notOk(mayProvPublish(P, topic, true), `publish retained ${name}`);
    t.equal(mayProvSubscribe(P, topic), name === 'prov res', `subscribe ${name}`);
  }
  for (const f of ['#', 'yw/v1/prov/#', 'yw/v1/prov/+/res', `yw/v1/prov/${P}/#`, `yw/v1/prov/${P}/+`])
    t.notOk(mayProvSubscribe(P, f), `subscribe ${f}`);
});
