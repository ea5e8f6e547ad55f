/**
 * The LwM2M dispatcher's Block1 uploads (coap-block1-uploads.ts): what a peer can make it hold is
 * counted — the payloads it keeps (copied out of their datagrams) and the keys (a Register's query).
 */
import t from 'tap';
import { blockValue } from '../../../../../edge/southbound/coap/block1.js';
import { Block1Uploads } from '../../../../../edge/southbound/lwm2m/server/coap-block1-uploads.js';

const first = blockValue({ num: 0, more: true, szx: 0 }); // 16-byte blocks
const last = blockValue({ num: 1, more: false, szx: 0 });

t.test('a block is copied out of its datagram: the upload holds its payload, not the datagram', async (t) => {
  const uploads = new Block1Uploads({ maxUploadBytes: 1024 }, { uploadsRefused: 0 });
  // a datagram of 60,000 bytes whose payload is the last 16 (the rest: options a peer chose)
  const datagram = Buffer.alloc(60_000, 0x41);
  const payload = datagram.subarray(datagram.length - 16);
  t.match(uploads.take('k', '10.0.0.1', first, payload, 0), { answer: { code: '2.31' } });
  datagram.fill(0x42); // had the upload kept a view, its bytes would change with the datagram
  const done = uploads.take('k', '10.0.0.1', last, Buffer.from('end'), 1);
  t.ok('payload' in done && done.payload.equals(Buffer.concat([Buffer.alloc(16, 0x41), Buffer.from('end')])));
});

t.test('the keys count in the budget: long Register queries cannot hold memory outside it', async (t) => {
  const counters = { uploadsRefused: 0 };
  const uploads = new Block1Uploads({ maxUploadBytes: 1024, maxUploadTotalBytes: 8_000 }, counters);
  const key = (i: number): string => `POST|ep=${String(i).padStart(3_000, 'x')}|rd`;
  t.match(uploads.take(key(1), '10.0.0.1', first, Buffer.alloc(16), 0), { answer: { code: '2.31' } });
  t.equal(uploads.stats().uploadBytes, key(1).length + 16, 'the key and the payload');
  t.match(uploads.take(key(2), '10.0.0.2', first, Buffer.alloc(16), 0), { answer: { code: '2.31' } });
  t.match(
    uploads.take(key(3), '10.0.0.3', first, Buffer.alloc(16), 0),
    { answer: { code: '5.03' } },
    'the third long key does not fit the 8,000-byte budget',
  );
  t.equal(counters.uploadsRefused, 1);
  t.equal(uploads.stats().uploads, 2, 'the refused upload holds nothing');
  t.equal(uploads.stats().uploadBytes, 2 * (key(1).length + 16));
});
