/** peekRequest routes datagrams on the shared CoAP socket without parsing them; it must agree with coap-packet. */
import t from 'tap';
import { generate, parse, type OptionName, type ParsedPacket } from 'coap-packet';
import { peekRequest, LWM2M_RESOURCES } from '../../../../../edge/southbound/lwm2m/server/coap-dispatcher.js';

const req = (
  path: string[],
  extra: { name: OptionName; value: Buffer }[] = [],
  payload = Buffer.alloc(0),
  code = '0.02',
): Buffer =>
  generate({
    code,
    confirmable: true,
    messageId: 7,
    token: Buffer.from([1, 2, 3, 4]),
    options: [...extra, ...path.map((p) => ({ name: 'Uri-Path' as OptionName, value: Buffer.from(p) }))],
    payload,
  });

t.test('LwM2M resources, other resources, non-requests', async (t) => {
  for (const r of LWM2M_RESOURCES) t.equal(peekRequest(req([r, 'x'])), 'lwm2m', `/${r}`);
  t.equal(
    peekRequest(
      req(
        ['rd'],
        [
          { name: 'Uri-Host', value: Buffer.from('gw.example') },
          { name: 'Content-Format', value: Buffer.from([40]) },
          { name: 'Uri-Query', value: Buffer.from('ep=a') },
        ],
        Buffer.from('</1/0>'),
      ),
    ),
    'lwm2m',
    'options before and after Uri-Path',
  );
  t.equal(
    peekRequest(
      req(['senml', 'dev-1'], [{ name: 'Content-Format', value: Buffer.from([110]) }], Buffer.from('[{"v":1}]')),
    ),
    'other',
  );
  t.equal(peekRequest(req(['raw', 'cjt188', 'm-1'], [], Buffer.alloc(300, 1))), 'other', 'long payload');
  t.equal(peekRequest(req(['r'])), 'other', 'a prefix of a resource is not one');
  t.equal(peekRequest(req(['rdx'])), 'other');
  t.equal(peekRequest(req([])), 'other', 'no Uri-Path');
  t.equal(peekRequest(req(['a'.repeat(300)])), 'other', 'a 2-byte extended option length');
  t.equal(
    peekRequest(generate({ code: '2.05', messageId: 1, token: Buffer.from([9]), payload: Buffer.from('x') })),
    undefined,
    'a response',
  );
  t.equal(peekRequest(generate({ code: '0.00', messageId: 1, ack: true })), undefined, 'an empty ACK');
});

t.test('whatever peekRequest forwards, coap-packet parses (random and mutated datagrams)', async (t) => {
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const base = [
    req(['senml', 'd']),
    req(['rd'], [{ name: 'Uri-Query', value: Buffer.from('ep=x') }], Buffer.from('</3/0>')),
    req(['raw', 'l', 'd'], [], Buffer.alloc(40, 7)),
  ];
  let forwarded = 0,
    lwm2m = 0;
  for (let i = 0; i < 50_000; i++) {
    const b = Buffer.from(base[i % base.length]!);
    const cut = rnd(4) === 0 ? b.subarray(0, rnd(b.length + 1)) : b;
    for (let m = rnd(4); m > 0; m--) if (cut.length) cut[rnd(cut.length)] = rnd(256);
    const route = peekRequest(cut);
    if (route === undefined) continue;
    if (route === 'lwm2m') lwm2m++;
    else forwarded++;
    let parsed: ParsedPacket;
    try {
      parsed = parse(cut);
    } catch (err) {
      t.fail(
        `peekRequest took ${cut.toString('hex')} for a request, coap-packet refuses it: ${(err as Error).message}`,
      );
      return;
    }
    const first = parsed.options.find((o) => o.name === 'Uri-Path')?.value.toString('utf8');
    if ((first !== undefined && LWM2M_RESOURCES.has(first)) !== (route === 'lwm2m')) {
      t.fail(`route ${route} for first Uri-Path ${first} (${cut.toString('hex')})`);
      return;
    }
    if (parsed.code[0] !== '0' || parsed.code === '0.00') {
      t.fail(`route ${route} for code ${parsed.code}`);
      return;
    }
  }
  t.ok(forwarded > 1000 && lwm2m > 1000, `both routes exercised (${forwarded} other, ${lwm2m} lwm2m)`);
});
