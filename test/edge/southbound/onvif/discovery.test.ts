/** WS-Discovery answers come from anyone on the LAN: a malformed or unrelated one costs only itself. */
import t from 'tap';
import { createSocket } from 'node:dgram';
import { parseProbeMatches, probe, MAX_DISCOVERED } from '../../../../edge/southbound/onvif/discovery.js';

const match = (relates: string | undefined, scopes: string, addr = 'http://10.0.0.9/onvif/device_service'): string =>
  `<e:Envelope><e:Header>${relates === undefined ? '' : `<a:RelatesTo>${relates}</a:RelatesTo>`}</e:Header><e:Body><d:ProbeMatches><d:ProbeMatch>` +
  `<a:EndpointReference><a:Address>urn:uuid:${addr}</a:Address></a:EndpointReference><d:Scopes>${scopes}</d:Scopes><d:XAddrs>${addr}</d:XAddrs>` +
  '</d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>';

t.test('a malformed %-escape in a scope is kept as it is, not thrown', async (t) => {
  const got = parseProbeMatches(
    match('urn:uuid:m1', 'onvif://www.onvif.org/name/Cam%E0%A4%A onvif://www.onvif.org/hardware/X%20Y'),
    'm1',
  );
  t.equal(got.length, 1);
  t.equal(got[0]!.name, 'Cam%E0%A4%A');
  t.equal(got[0]!.hardware, 'X Y');
});

t.test('a ProbeMatch without RelatesTo, or for another probe, is ignored', async (t) => {
  t.same(parseProbeMatches(match(undefined, ''), 'm1'), []);
  t.same(parseProbeMatches(match('urn:uuid:other', ''), 'm1'), []);
});

t.test('a flood of answers during a probe: the probe survives and keeps at most MAX_DISCOVERED cameras', async (t) => {
  const responder = createSocket('udp4');
  await new Promise<void>((r) => responder.bind(0, '127.0.0.1', () => r()));
  responder.on('message', (msg, rinfo) => {
    const id = /MessageID>urn:uuid:([^<]+)</.exec(msg.toString())?.[1] ?? '';
    responder.send(match(`urn:uuid:${id}`, 'onvif://www.onvif.org/name/%ZZ'), rinfo.port, rinfo.address); // malformed escape first
    for (let i = 0; i < MAX_DISCOVERED + 200; i++)
      responder.send(
        match(`urn:uuid:${id}`, '', `http://10.1.${i >> 8}.${i & 255}/onvif/device_service`),
        rinfo.port,
        rinfo.address,
      );
  });
  t.teardown(() => responder.close());
  const found = await probe(`127.0.0.1:${responder.address().port}`, 1500);
  t.ok(found.length > 0, `${found.length} cameras found`);
  t.ok(found.length <= MAX_DISCOVERED, 'capped');
});
