/**
 * Block1 uploads to the agent's CoAP uplink server (issue 16, finding 4): reassembled by the
 * agent, keyed by peer and target (libcoap draws a new token per block), under a byte budget and
 * count caps; node-coap's own unbounded, token-keyed cache never grows.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import type { Socket } from 'node:dgram';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, parse, type ParsedPacket, type NamedOption } from 'coap-packet';
import { coapAgent, udpPeer } from './coap-peer.js';
import { until } from '../../../helpers/wait.js';
import type { EdgeAgent } from '../../../../edge/agent.js';
import { EdgeMetrics } from '../../../../edge/api/metrics.js';

const exec = promisify(execFile);

/** Entries in node-coap's own Block1 cache (must stay 0: the agent reassembles). */
function nodeCoapBlock1Entries(agent: EdgeAgent): number {
  return (agent.coap as unknown as { server: { _block1Cache: { _cache: Map<string, unknown> } } }).server._block1Cache
    ._cache.size;
}

/** coap-client-notls POST with `-b` block size from a file; returns what it prints ('' for a 2.04 without payload). */
async function libcoapPost(
  port: number,
  path: string,
  payload: string,
  blockSize: number,
  dir: string,
): Promise<string> {
  const file = join(dir, `up-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, payload);
  const { stdout, stderr } = await exec('coap-client-notls', [
    '-B',
    '20',
    '-m',
    'post',
    '-b',
    String(blockSize),
    '-t',
    '110',
    '-f',
    file,
    `coap://127.0.0.1:${port}${path}`,
  ]);
  return (stdout + stderr).trim();
}

function senmlPack(records: number, prefix = 'metric'): string {
  return JSON.stringify(Array.from({ length: records }, (_, i) => ({ n: `${prefix}_${i}`, u: 'Cel', v: i + 0.5 })));
}

interface BlockSpec {
  mid: number;
  token?: Buffer;
  path: string[];
  num: number;
  more: boolean;
  szx: number;
  payload: Buffer;
  confirmable?: boolean;
  extra?: NamedOption[];
}
function blockDatagram(b: BlockSpec): Buffer {
  const v = b.num * 16 + (b.more ? 8 : 0) + b.szx;
  const value =
    v === 0
      ? Buffer.alloc(0)
      : v < 256
        ? Buffer.from([v])
        : v < 65536
          ? Buffer.from([v >> 8, v & 255])
          : Buffer.from([v >> 16, (v >> 8) & 255, v & 255]);
  return generate(
    {
      messageId: b.mid,
      token: b.token ?? Buffer.from([b.mid & 255, b.mid >> 8]),
      code: '0.02',
      confirmable: b.confirmable ?? true,
      payload: b.payload,
      options: [
        ...b.path.map((p) => ({ name: 'Uri-Path' as const, value: Buffer.from(p) })),
        { name: 'Content-Format', value: Buffer.from([110]) },
        { name: 'Block1', value },
        ...(b.extra ?? []),
      ],
    },
    4096,
  );
}

/** Sends one CON block and resolves with the answer carrying its message id. */
function exchange(sock: Socket, port: number, b: BlockSpec): Promise<ParsedPacket> {
  return new Promise((resolve) => {
    const on = (msg: Buffer): void => {
      const p = parse(msg);
      if (p.messageId !== b.mid) return;
      sock.off('message', on);
      resolve(p);
    };
    sock.on('message', on);
    sock.send(blockDatagram(b), port, '127.0.0.1');
  });
}

const opt = (p: ParsedPacket, name: string): Buffer | undefined => p.options.find((o) => o.name === name)?.value;
const uint = (b: Buffer | undefined): number | undefined =>
  b === undefined ? undefined : [...b].reduce((v, x) => v * 256 + x, 0);

t.test(
  'libcoap uploads with Block1 (a new token per block) are reassembled and stored; a too large one gets 4.13',
  async (t) => {
    const { agent, dir, port } = await coapAgent(t, { coap: { max_payload_bytes: 4096 } });
    const pack = senmlPack(60);
    t.ok(
      pack.length > 2000 && pack.length < 4096,
      `a ${pack.length}-byte pack: ${Math.ceil(pack.length / 64)} blocks of 64`,
    );
    t.equal(await libcoapPost(port, '/senml/dev-blk', pack, 64, dir), '', '2.04 for the last block');
    t.equal(agent.status().store.rows, 60, 'every reading of the assembled pack stored');
    t.equal(await libcoapPost(port, '/senml/dev-blk2', senmlPack(30, 'x'), 16, dir), '', 'also with 16-byte blocks');
    t.equal(agent.status().store.rows, 90);
    const big = senmlPack(200);
    t.ok(big.length > 4096);
    t.match(
      await libcoapPost(port, '/senml/dev-big', big, 1024, dir),
      /^4\.13 EDGE_ERR_COAP_TOO_LARGE/,
      'larger than coap.max_payload_bytes: 4.13',
    );
    const s = agent.status().coap;
    t.same([s.block1.completed, s.block1.transfers, s.block1.tooLarge], [2, 0, 1]);
    t.equal(nodeCoapBlock1Entries(agent), 0, "node-coap's Block1 cache is not used");
  },
);

t.test(
  'blocks out of order, of the wrong size or retransmitted; Size1; the last block is acknowledged with its Block1',
  async (t) => {
    const { agent, port } = await coapAgent(t, { coap: { max_payload_bytes: 1024 } });
    const sock = await udpPeer(t);
    const body = Buffer.from(senmlPack(5)); // ~150 bytes: 3 blocks of 64
    const path = ['senml', 'dev-a'];
    const part = (n: number): Buffer => body.subarray(n * 64, (n + 1) * 64);
    let r = await exchange(sock, port, { mid: 100, path, num: 0, more: true, szx: 2, payload: part(0) });
    t.same(
      [r.code, r.ack, uint(opt(r, 'Block1'))],
      ['2.31', true, 0 * 16 + 8 + 2],
      '2.31 Continue with the block echoed',
    );
    r = await exchange(sock, port, { mid: 100, path, num: 0, more: true, szx: 2, payload: part(0) });
    t.equal(r.code, '2.31', 'a retransmitted block 0 is acknowledged again');
    r = await exchange(sock, port, {
      mid: 101,
      token: Buffer.from([9, 9, 9]),
      path,
      num: 1,
      more: true,
      szx: 2,
      payload: part(1),
    });
    t.equal(r.code, '2.31', 'a new token for the next block is the same transfer');
    r = await exchange(sock, port, { mid: 102, path, num: 2, more: false, szx: 2, payload: part(2) });
    t.same(
      [r.code, uint(opt(r, 'Block1'))],
      ['2.04', 2 * 16 + 2],
      'stored; the answer carries Block1 of the last block',
    );
    t.equal(agent.status().store.rows, 5);
    r = await exchange(sock, port, { mid: 102, path, num: 2, more: false, szx: 2, payload: part(2) });
    t.equal(r.code, '2.04', 'a retransmitted last block is acknowledged again');
    t.equal(agent.status().store.rows, 5, 'and not stored twice');

    r = await exchange(sock, port, { mid: 200, path, num: 0, more: true, szx: 2, payload: part(0) });
    r = await exchange(sock, port, { mid: 201, path, num: 2, more: true, szx: 2, payload: part(1) });
    t.match(
      [r.code, r.payload.toString()],
      ['4.08', /^EDGE_ERR_COAP_BLOCK: block 2 of 64 bytes starts at byte 128, expected byte 64/],
      'a missing block: 4.08',
    );
    r = await exchange(sock, port, { mid: 202, path, num: 1, more: true, szx: 2, payload: part(1) });
    t.equal(r.code, '4.08', 'the transfer is gone after it');
    r = await exchange(sock, port, { mid: 203, path, num: 0, more: true, szx: 2, payload: part(0).subarray(0, 40) });
    t.match(
      [r.code, r.payload.toString()],
      ['4.00', /carries 40 bytes, its size is 64/],
      'a short intermediate block: 4.00',
    );
    r = await exchange(sock, port, {
      mid: 204,
      path,
      num: 0,
      more: true,
      szx: 2,
      payload: part(0),
      extra: [{ name: 'Size1', value: Buffer.from([0x10, 0x00]) }],
    });
    t.same(
      [r.code, uint(opt(r, 'Size1'))],
      ['4.13', 1024],
      'Size1 announcing 4096 bytes: 4.13 at once, with our Size1',
    );
    // a transfer that grows past coap.max_payload_bytes
    let mid = 300;
    for (let n = 0; n < 20; n++) {
      r = await exchange(sock, port, {
        mid: mid++,
        path: ['senml', 'dev-long'],
        num: n,
        more: true,
        szx: 2,
        payload: Buffer.alloc(64, 0x20),
      });
      if (r.code !== '2.31') break;
    }
    t.same([r.code, uint(opt(r, 'Size1'))], ['4.13', 1024], 'the block that passes 1024 bytes: 4.13');
    const b = agent.status().coap.block1;
    t.same([b.transfers, b.incomplete, b.badBlock, b.tooLarge, b.completed], [0, 2, 1, 2, 1]);
    t.equal(agent.status().coap.rejectedBy.EDGE_ERR_COAP_BLOCK, 3);
    t.equal(nodeCoapBlock1Entries(agent), 0);
  },
);

t.test(
  'a flood of unfinished uploads stays within the budget and the caps; an honest upload is told to retry',
  async (t) => {
    const budget = 256 * 1024;
    const { agent, dir, port } = await coapAgent(t, {
      coap: { block1_budget_bytes: budget, block1_max_transfers: 100_000, block1_max_per_address: 24 },
    });
    // 8 source addresses, one of them four times as busy: 3,300 NON block 0s of 1 KiB, a new token and path each (as in the finding)
    const socks = await Promise.all(Array.from({ length: 8 }, (_, i) => udpPeer(t, `127.0.0.${i + 2}`)));
    const answers = new Map<string, number>();
    const maxAges = new Set<number>();
    let answered = 0;
    for (const s of socks) {
      s.on('message', (m) => {
        const p = parse(m);
        answered++;
        answers.set(p.code, (answers.get(p.code) ?? 0) + 1);
        const ma = uint(opt(p, 'Max-Age'));
        if (ma !== undefined) maxAges.add(ma);
      });
    }
    const kib = Buffer.alloc(1024, 0x20);
    let sent = 0;
    let peakBytes = 0,
      peakTransfers = 0;
    for (let round = 0; round < 300; round++) {
      [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7].forEach((i) => {
        const s = socks[i]!;
        const n = sent;
        s.send(
          blockDatagram({
            mid: n & 0xffff,
            token: Buffer.from([n >> 16, n >> 8, n & 255, 7]),
            path: ['senml', `blk-${n}`],
            num: 0,
            more: true,
            szx: 6,
            payload: kib,
            confirmable: false,
          }),
          port,
          '127.0.0.1',
        );
        sent++;
      });
      if (round % 10 === 9) {
        await until('flood answered', () => answered === sent, 10_000, 2);
        const b = agent.status().coap.block1;
        peakBytes = Math.max(peakBytes, b.bytes);
        peakTransfers = Math.max(peakTransfers, b.transfers);
      }
    }
    await until('flood answered', () => answered === sent, 10_000);
    const b = agent.status().coap.block1;
    t.ok(
      peakBytes <= budget && b.bytes <= budget,
      `bytes held stay within the budget (peak ${peakBytes} of ${budget})`,
    );
    t.ok(peakTransfers > 50, `the budget was used (${peakTransfers} transfers at the peak)`);
    t.ok(
      b.budgetFull > 0 && b.perAddressFull > 0,
      `budget (${b.budgetFull}) and per-address cap (${b.perAddressFull}) hit and counted`,
    );
    t.equal(answers.get('2.31'), b.started, 'each transfer taken was answered 2.31');
    t.ok(
      (answers.get('5.03') ?? 0) > 0 && (answers.get('4.29') ?? 0) > 0,
      `refused with 5.03 (${answers.get('5.03')}) and 4.29 (${answers.get('4.29')})`,
    );
    t.ok(
      maxAges.size > 0 && [...maxAges].every((s) => s >= 1 && s <= 60),
      `Max-Age says when to retry: ${[...maxAges]}`,
    );
    t.equal(agent.status().coap.rejectedBy.EDGE_ERR_COAP_BUSY, b.budgetFull + b.perAddressFull);
    t.equal(nodeCoapBlock1Entries(agent), 0, "node-coap's Block1 cache did not grow");
    const metrics = await new EdgeMetrics(() => agent.status()).render();
    t.match(
      metrics,
      new RegExp(`^yiwang_edge_coap_block1_refused_total\\{reason="budgetFull"\\} ${b.budgetFull}$`, 'm'),
    );
    t.match(
      metrics,
      new RegExp(`^yiwang_edge_coap_block1_refused_total\\{reason="perAddressFull"\\} ${b.perAddressFull}$`, 'm'),
    );
    t.match(metrics, new RegExp(`^yiwang_edge_coap_block1_bytes ${agent.status().coap.block1.bytes}$`, 'm'));
    t.match(metrics, /^yiwang_edge_coap_refused_total\{code="EDGE_ERR_COAP_BUSY"\} \d+$/m);

    // while full, an honest upload is told to come back later, not crashed or lost silently
    t.match(await libcoapPost(port, '/senml/honest', senmlPack(40), 64, dir), /^5\.03 EDGE_ERR_COAP_BUSY/);
    t.equal(agent.status().store.rows, 0);
  },
);

t.test(
  'unfinished uploads expire after block1_idle_ms: their memory is freed, a late block gets 4.08, new uploads go through',
  async (t) => {
    const { agent, dir, port } = await coapAgent(t, { coap: { block1_idle_ms: 1000, block1_max_transfers: 5 } });
    const sock = await udpPeer(t);
    for (let i = 0; i < 5; i++) {
      const r = await exchange(sock, port, {
        mid: 700 + i,
        path: ['senml', `gone-${i}`],
        num: 0,
        more: true,
        szx: 2,
        payload: Buffer.alloc(64, 0x20),
      });
      t.equal(r.code, '2.31');
    }
    await until('the uploads expire', () => agent.status().coap.block1.transfers === 0, 20_000);
    const b = agent.status().coap.block1;
    t.same([b.bytes, b.expired, b.started], [0, 5, 5], 'all memory released, every one counted as expired');
    const r = await exchange(sock, port, {
      mid: 710,
      path: ['senml', 'gone-0'],
      num: 1,
      more: true,
      szx: 2,
      payload: Buffer.alloc(64, 0x20),
    });
    t.equal(r.code, '4.08', 'a block of an expired upload: 4.08');
    t.equal(await libcoapPost(port, '/senml/honest', senmlPack(40), 64, dir), '', 'a new upload goes through');
    t.equal(agent.status().store.rows, 40);
  },
);

t.test('the transfer count cap: 5.03 with Max-Age beyond block1_max_transfers', async (t) => {
  const { agent } = await coapAgent(t, { coap: { block1_max_transfers: 3, block1_max_per_address: 16 } });
  const sock = await udpPeer(t);
  const codes: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await exchange(sock, agent.coap.port, {
      mid: 500 + i,
      path: ['senml', `d${i}`],
      num: 0,
      more: true,
      szx: 2,
      payload: Buffer.alloc(64, 0x20),
    });
    codes.push(r.code);
    if (r.code === '5.03') t.ok((uint(opt(r, 'Max-Age')) ?? 0) >= 1, 'Max-Age set');
  }
  t.same(codes, ['2.31', '2.31', '2.31', '5.03', '5.03']);
  t.same([agent.status().coap.block1.transfers, agent.status().coap.block1.transfersFull], [3, 2]);
});
