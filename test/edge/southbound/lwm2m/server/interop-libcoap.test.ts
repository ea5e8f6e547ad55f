/** LwM2M registration interface with a real client: libcoap's coap-client-notls (Debian libcoap3-bin). */
import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../helpers/fleet.js';
import { until } from '../../../../helpers/wait.js';
import { startLwm2mEdge } from './helpers.js';

const exec = promisify(execFile);
const dir = tempDir('yw-lwm2m-payload-');

/** Runs coap-client-notls with -v 7 and returns its log (options of every message are printed). */
async function coapClient(args: string[]): Promise<string> {
  const r = await exec('coap-client-notls', ['-v', '7', '-B', '10', ...args]).catch(
    (e: { stdout: string; stderr: string }) => e,
  );
  return r.stdout + r.stderr;
}

t.test(
  'coap-client-notls registers, uploads 20 KB of object links with Block1, updates and de-registers',
  async (t) => {
    // 1,700 instances: far over the default lwm2m.max_link_bytes (4096), raised as for such a device
    const e = await startLwm2mEdge({ lwm2m: { max_link_bytes: 32_768 } });
    t.teardown(() => e.agent.stop());
    const base = `coap://127.0.0.1:${e.port}`;

    const small = await coapClient([
      '-m',
      'post',
      '-t',
      '40',
      '-e',
      '</>;rt="oma.lwm2m";ct=110,</1/0>,</3/0>;ver=1.1,</3303/0>',
      `${base}/rd?ep=urn:imei:861234567890001&lt=120&lwm2m=1.1&b=U&Q`,
    ]);
    t.match(small, /c:2\.01 .*Location-Path:rd, Location-Path:[0-9a-f]{12}/, 'answered 2.01 with the location');
    const dev = e.lwm2m.devices().find((d) => d.endpoint === 'urn:imei:861234567890001')!;
    t.ok(dev, 'registered');
    t.same(
      [dev.lwm2m, dev.binding, dev.queueMode, dev.lifetimeS, dev.contentFormat],
      ['1.1', 'U', true, 120, 110],
      'Q parameter = queue mode; ct=110 chosen',
    );
    t.same(dev.objects, ['/1/0', '/3/0;ver=1.1', '/3303/0']);

    // 20 KB of links (1,700 temperature instances) in 64-byte blocks: libcoap sends a new token per block.
    const links = ['</>;rt="oma.lwm2m"', ...Array.from({ length: 1700 }, (_, i) => `</3303/${i}>`)].join(',');
    t.ok(links.length > 20_000, `payload is ${links.length} bytes`);
    const file = join(dir, 'links.txt');
    writeFileSync(file, links);
    const big = await coapClient([
      '-m',
      'post',
      '-t',
      '40',
      '-b',
      '64',
      '-f',
      file,
      `${base}/rd?ep=urn:imei:861234567890002&lt=300&b=UQ`,
    ]);
    const tokens = new Set([...big.matchAll(/t:CON c:POST i:[0-9a-f]+ \{([0-9a-f]+)\}/g)].map((m) => m[1]));
    t.ok(tokens.size > 1, `libcoap used ${tokens.size} tokens for the blocks`);
    t.match(big, /c:2\.31/, 'intermediate blocks answered 2.31 Continue');
    t.match(big, /c:2\.01 .*Location-Path:rd/, 'final block answered 2.01');
    const bigDev = e.lwm2m.devices().find((d) => d.endpoint === 'urn:imei:861234567890002')!;
    t.equal((bigDev.objects as string[]).length, 1700, 'all links reassembled in order');
    t.equal((bigDev.objects as string[])[1699], '/3303/1699');
    t.equal(bigDev.queueMode, true, 'b=UQ is queue mode');

    const loc = /Location-Path:rd, Location-Path:([0-9a-f]{12})/.exec(small)![1];
    const upd = await coapClient(['-m', 'post', `${base}/rd/${loc}?lt=600`]);
    t.match(upd, /c:2\.04/, 'update answered 2.04');
    t.equal(e.lwm2m.device('urn:imei:861234567890001')!.lifetimeS, 600, 'lifetime updated');

    const del = await coapClient(['-m', 'delete', `${base}/rd/${loc}`]);
    t.match(del, /c:2\.02/, 'de-register answered 2.02');
    t.equal(e.lwm2m.device('urn:imei:861234567890001')!.online, false, 'device offline after de-register');
    t.match(
      await coapClient(['-m', 'post', `${base}/rd/${loc}?lt=600`]),
      /c:4\.04.*LWM2M_ERR_NOT_REGISTERED/s,
      'update after de-register: 4.04',
    );
    await until('deregistered event', () =>
      e.lwm2m.events('urn:imei:861234567890001').some((ev) => ev.kind === 'deregistered'),
    );
  },
);
