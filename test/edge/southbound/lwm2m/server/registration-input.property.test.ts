/**
 * Property tests (fast-check) of what a Register or Update brings from outside: the query
 * parameters (parseRegisterQuery, parseUpdateQuery) and the object links (parseLinks over
 * parseRegistrationLinks). Any input parses into values that hold the documented invariants or
 * fails with a coded LWM2M_ERR_REGISTRATION whose diagnostic is short and free of control
 * characters; well-formed inputs come back as written. And the admission structures keep their
 * bounds under any sequence of events: the per-source rate limiter and the registration table.
 */
import t from 'tap';
import fc from 'fast-check';
import { isYiwangError } from '../../../../../common/errors.js';
import { SourceRateLimiter } from '../../../../../edge/southbound/lwm2m/server/admission.js';
import {
  DEFAULT_LIFETIME_S,
  ENDPOINT_RE,
  parseLinks,
  parseRegisterQuery,
  parseUpdateQuery,
  type Registration,
} from '../../../../../edge/southbound/lwm2m/server/registration.js';
import {
  RegistrationTable,
  registrationBytes,
} from '../../../../../edge/southbound/lwm2m/server/registration-table.js';

const RUNS = Number(process.env.LWM2M_PROPERTY_RUNS ?? 1000);
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Runs `f`; a throw must be a coded LWM2M_ERR_REGISTRATION with a clean, short diagnostic. */
function parsesOrRefuses<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!isYiwangError(e, 'LWM2M_ERR_REGISTRATION')) throw new Error(`not a coded refusal: ${String(e)}`);
    if (CONTROL.test(e.message)) throw new Error(`control character in the diagnostic: ${JSON.stringify(e.message)}`);
    if (e.message.length > 300) throw new Error(`diagnostic of ${e.message.length} characters`);
    return undefined;
  }
}

const EP_CHARS = fc.constantFrom(...'ABCXYZabcxyz0189_.:@+~-'.split(''));
const endpoint = (max: number): fc.Arbitrary<string> => fc.string({ unit: EP_CHARS, minLength: 1, maxLength: max });
/** Query parameters as devices send them, some well-formed, some not, some repeated. */
const param = fc.oneof(
  endpoint(140).map((e) => `ep=${e}`),
  fc.oneof(fc.integer({ min: -5, max: 2 ** 33 }).map(String), fc.string({ maxLength: 12 })).map((v) => `lt=${v}`),
  fc.constantFrom('1.0', '1.1', '1.2', '2.0', '', '1.1 ').map((v) => `lwm2m=${v}`),
  fc
    .oneof(fc.constantFrom('U', 'UQ', 'S', 'SQ', 'UQS', 'N', 'T', 'UU', 'X', ''), fc.string({ maxLength: 6 }))
    .map((v) => `b=${v}`),
  fc.constantFrom('Q', 'Q=1', 'sms=+8613800000000'),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

t.test('Register query: any parameters parse into valid values or are refused with a coded error', async (t) => {
  fc.assert(
    fc.property(fc.array(param, { maxLength: 8 }), fc.integer({ min: 16, max: 200 }), (query, max) => {
      const p = parsesOrRefuses(() => parseRegisterQuery(query, max));
      if (!p) return;
      if (!ENDPOINT_RE.test(p.endpoint) || p.endpoint.length > max)
        throw new Error(`endpoint ${JSON.stringify(p.endpoint)} accepted`);
      if (!Number.isInteger(p.lifetimeS) || p.lifetimeS < 1 || p.lifetimeS > 0xffffffff)
        throw new Error(`lifetime ${p.lifetimeS}`);
      if (!['1.0', '1.1', '1.2'].includes(p.version)) throw new Error(`version ${p.version}`);
      if (!/^[UQSNT]{1,5}$/.test(p.binding)) throw new Error(`binding ${p.binding}`);
      if (p.queueMode !== (p.binding.includes('Q') || query.includes('Q')))
        throw new Error('queue mode does not follow b and Q');
    }),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} runs`);
});

t.test('Register query: well-formed parameters come back as written; the endpoint length limit is exact', async (t) => {
  fc.assert(
    fc.property(
      endpoint(64),
      fc.option(fc.integer({ min: 1, max: 0xffffffff })),
      fc.constantFrom('1.0', '1.1', '1.2'),
      fc.constantFrom('U', 'UQ', 'N'),
      fc.integer({ min: 16, max: 64 }),
      (ep, lt, version, binding, max) => {
        const query = [`ep=${ep}`, ...(lt === null ? [] : [`lt=${lt}`]), `lwm2m=${version}`, `b=${binding}`];
        const p = parsesOrRefuses(() => parseRegisterQuery(query, max));
        if (ep.length > max) {
          if (p) throw new Error(`${ep.length} characters accepted over ${max}`);
          return;
        }
        if (!p) throw new Error(`refused: ${query.join('&')}`);
        if (
          p.endpoint !== ep ||
          p.lifetimeS !== (lt ?? DEFAULT_LIFETIME_S) ||
          p.version !== version ||
          p.binding !== binding ||
          p.queueMode !== binding.includes('Q')
        ) {
          throw new Error(`${JSON.stringify(p)} from ${query.join('&')}`);
        }
      },
    ),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} runs`);
});

t.test('Update query: any parameters parse or are refused with a coded error', async (t) => {
  fc.assert(
    fc.property(fc.array(param, { maxLength: 6 }), (query) => {
      const p = parsesOrRefuses(() => parseUpdateQuery(query));
      if (p?.lifetimeS !== undefined && (p.lifetimeS < 1 || p.lifetimeS > 0xffffffff))
        throw new Error(`lifetime ${p.lifetimeS}`);
    }),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} runs`);
});

/** Object links as devices write them: objects, instances, versions, a root link with ct; and broken pieces. */
const link = fc.oneof(
  fc.integer({ min: 0, max: 65534 }).map((o) => `</${o}>`),
  fc.tuple(fc.integer({ min: 0, max: 65534 }), fc.integer({ min: 0, max: 65534 })).map(([o, i]) => `</${o}/${i}>`),
  fc
    .tuple(fc.integer({ min: 0, max: 65534 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
    .map(([o, a, b]) => `</${o}>;ver=${a}.${b}`),
  fc.constantFrom(
    '</>;rt="oma.lwm2m";ct=110',
    '</>;rt="oma.lwm2m";ct="60 110 11542"',
    '</3/0/1>',
    '<',
    '</a>',
    '</1/0>;ver=x',
    '</1/0>;"',
    ';;',
    '</1/0>;rt="a,b"',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

t.test(
  'object links: any payload parses into object and instance paths or is refused with a coded error',
  async (t) => {
    fc.assert(
      fc.property(fc.array(link, { maxLength: 12 }), fc.constantFrom(',', ', ', ',,'), (links, sep) => {
        const r = parsesOrRefuses(() => parseLinks(Buffer.from(links.join(sep))));
        if (!r) return;
        for (const o of r.objects) {
          if (o.path.level !== 'object' && o.path.level !== 'instance')
            throw new Error(`${o.path.toString()} accepted`);
          if (o.version !== undefined && !/^[0-9]+\.[0-9]+$/.test(o.version)) throw new Error(`ver ${o.version}`);
        }
        for (const f of r.contentFormats) if (!Number.isInteger(f) || f < 0 || f > 65535) throw new Error(`ct ${f}`);
      }),
      { numRuns: RUNS },
    );
    t.pass(`${RUNS} runs`);
  },
);

t.test('object links: well-formed objects and instances come back in order', async (t) => {
  const objLink = fc.tuple(
    fc.integer({ min: 0, max: 65534 }),
    fc.option(fc.integer({ min: 0, max: 65534 })),
    fc.option(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }))),
  );
  fc.assert(
    fc.property(fc.array(objLink, { minLength: 1, maxLength: 30 }), (objs) => {
      const text = objs
        .map(([o, i, v]) => (i === null ? `</${o}>${v ? `;ver=${v[0]}.${v[1]}` : ''}` : `</${o}/${i}>`))
        .join(',');
      const r = parseLinks(text);
      const want = objs.map(([o, i]) => (i === null ? `/${o}` : `/${o}/${i}`));
      if (JSON.stringify(r.objects.map((x) => x.path.toString())) !== JSON.stringify(want))
        throw new Error(`${text} → ${r.objects.map(String).join(',')}`);
      if (r.text !== text) throw new Error('the text is kept as registered');
    }),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} runs`);
});

t.test(
  'rate limiter: per source, admissions never exceed burst + rate × elapsed; the source map stays bounded',
  async (t) => {
    const event = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 400 }));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(event, { maxLength: 300 }),
        (perSecond, burst, maxSources, events) => {
          const l = new SourceRateLimiter({ perSecond, burst, maxSources });
          let now = 1_000_000;
          const start = now;
          let admitted = 0;
          for (const [src, gap] of events) {
            now += gap;
            if (l.take(`10.0.0.${src}`, now).ok) admitted++;
            if (l.sources > maxSources) throw new Error(`${l.sources} sources tracked (max ${maxSources})`);
          }
          // every source (own bucket or the shared one) starts with `burst` and gains `perSecond` a second
          const bound = (Math.min(10, maxSources) + 1) * (burst + (perSecond * (now - start)) / 1000);
          if (admitted > bound + 1e-9) throw new Error(`${admitted} admitted, bound ${bound}`);
          if (l.counters.limited !== events.length - admitted) throw new Error('every refusal is counted');
        },
      ),
      { numRuns: RUNS },
    );
    t.pass(`${RUNS} runs`);
  },
);

t.test(
  'registration table: the budget holds, bytes are accounted exactly, only offline registrations make room',
  async (t) => {
    const op = fc.tuple(
      fc.constantFrom('put', 'offline', 'remove'),
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: 0, max: 6 }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 400, max: 4000 }),
        fc.array(op, { maxLength: 120 }),
        (maxCount, maxBytes, ops) => {
          const table = new RegistrationTable({ maxCount, maxBytes });
          for (const [kind, n, size] of ops) {
            const ep = `ep-${n}`;
            if (kind === 'put') {
              const links = '</1/0>,'.repeat(size).slice(0, -1);
              const r: Registration = {
                endpoint: ep,
                regId: `r${n}`,
                peer: { address: '10.0.0.1', port: n },
                lifetimeS: 60,
                version: '1.1',
                binding: 'U',
                queueMode: false,
                sms: undefined,
                links,
                rootPath: '',
                objects: parseLinks(links).objects,
                contentFormat: 11542,
                registeredMs: 0,
                updatedMs: 0,
                online: true,
              };
              const known = table.get(ep) !== undefined;
              const room = table.room(r);
              if (room === undefined) continue; // refused
              for (const x of room) {
                if (table.get(x)?.online !== false) throw new Error(`${x} evicted while online`);
                table.remove(x);
              }
              table.put(r);
              if (!known && (table.size > maxCount || table.bytes > maxBytes))
                throw new Error(`over the budget: ${table.size}, ${table.bytes}`);
            } else if (kind === 'offline') {
              const r = table.get(ep);
              if (r) table.setOnline(r, false);
            } else {
              table.remove(ep);
            }
            let sum = 0;
            for (const r of table.values()) sum += registrationBytes(r);
            if (sum !== table.bytes) throw new Error(`accounted ${table.bytes}, actual ${sum}`);
          }
        },
      ),
      { numRuns: RUNS },
    );
    t.pass(`${RUNS} runs`);
  },
);
