/** 20,000 mutated handshake and record datagrams: nothing escapes `handle`, sessions keep working. */
import t from 'tap';
import { runDtlsFuzz } from './fuzz.js';

t.test('fuzz: 20,000 mutated datagrams', async (t) => {
  const res = runDtlsFuzz(20_000, 0x5eed);
  t.equal(res.escaped, 0, 'no exception escaped handle');
  t.equal(res.stats.internalErrors, 0, 'no exception inside handle either');
  t.equal(res.working, res.sessions, 'every established session still answers');
  t.ok(res.stats.tableBytes <= 1 << 20 && res.stats.handshakes <= 16, 'table within its bounds');
  t.ok(res.ms < 20_000, `ran in ${Math.round(res.ms)} ms`);
  const dropped = Object.values(res.stats.recordsDropped).reduce((a, b) => a + b, 0);
  t.ok(dropped > 1000, `mutations were dropped and counted (${dropped})`);
});
