/**
 * Stream probe and live view against the real GStreamer RTSP server: SIGSTOP → stream down within
 * 15 s; SIGKILL + restart → health and live view recover without restarting anything; no ffmpeg
 * left once the viewer leaves.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FakeOnvifCamera } from '../../../../scripts/sim/onvif-camera.js';
import { Secret } from '../../../../edge/southbound/onvif/secret.js';
import { until } from '../../../helpers/wait.js';
import { RtspTestServer, processesMatching } from '../../../helpers/rtsp-server.js';
import { makeManager } from './setup.js';
import { probeStream } from '../../../../edge/southbound/onvif/stream-probe.js';

const exec = promisify(execFile);

/** A minimal HLS viewer: fetches the playlist and returns the newest segment names. */
async function playlist(base: string): Promise<string[]> {
  const r = await fetch(`${base}index.m3u8`);
  if (r.status !== 200) return [];
  return (await r.text()).split('\n').filter((l) => l.endsWith('.ts'));
}

t.test(
  'stream probe: frozen → down within 15 s; killed and restarted → ok; live view resumes; no ffmpeg left',
  async (t) => {
    const rtsp = await RtspTestServer.start(undefined, { user: 'admin', password: 'pw' }); // RTSP Digest, like a real camera
    const cam = await new FakeOnvifCamera({ password: 'pw', rtspUrl: rtsp.url }).start();
    const { manager, dir, logs } = makeManager({
      stream_probe: true,
      events: false,
      health_interval_ms: 300,
      stream_probe_interval_ms: 500,
      stream_probe_timeout_ms: 3000,
    });
    t.teardown(async () => {
      await manager.stop();
      await cam.stop();
      rtsp.signal('SIGCONT');
      await rtsp.kill();
    });
    await manager.start();
    await manager.add(cam.deviceServiceUrl, 'admin', new Secret('pw'), 'cam1');
    const m = manager.get('cam1');
    await until('stream ok', () => m.state === 'up_auth' && m.stream === 'ok', 20_000);

    // live view: a viewer gets H.264 segments
    const base = manager.list()[0]!.live.url;
    try {
      await until('segments', async () => (await playlist(base)).length >= 2, 20_000, 200);
    } catch (e) {
      console.error(JSON.stringify(logs.lines.slice(-15), null, 1));
      throw e;
    }
    const seg = (await playlist(base)).pop()!;
    const probe = await exec('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,width',
      '-of',
      'csv=p=0',
      `${base}${seg}`,
    ]);
    t.match(probe.stdout, /^h264,320$/m, 'the viewer receives the camera video, remuxed (not transcoded)');
    // the viewer keeps watching (polls the playlist like a player) until it leaves
    let watching = true;
    const viewer = (async () => {
      while (watching) {
        await playlist(base).catch(() => []);
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    const live = manager.liveView('cam1')!;
    t.equal((await processesMatching('ffmpeg', dir, 'hls')).length, 1, 'one upstream pull for the camera');

    // frozen stream
    rtsp.signal('SIGSTOP');
    const stoppedAt = Date.now();
    await until('stream down', () => m.stream === 'down', 15_000, 100);
    t.ok(Date.now() - stoppedAt <= 15_000, `stream down after ${Date.now() - stoppedAt} ms`);
    t.equal(m.status().online, false);
    t.ok(
      manager.events!.list().some((e) => e.type === 'camera_stream_down' && e.active),
      'camera_stream_down raised',
    );

    // killed and restarted on the same port
    rtsp.signal('SIGCONT');
    await rtsp.kill();
    const before = new Set(await playlist(base).catch(() => []));
    await rtsp.start();
    const restartedAt = Date.now();
    try {
      await until('stream ok again', () => m.stream === 'ok', 20_000, 100);
    } catch (e) {
      console.error(JSON.stringify(logs.lines.slice(-12), null, 1));
      throw e;
    }
    await until(
      'new segments',
      async () => {
        try {
          return (await playlist(base)).some((s) => !before.has(s));
        } catch {
          return false;
        }
      },
      15_000,
      200,
    );
    t.ok(Date.now() - restartedAt <= 15_000, `live video resumed ${Date.now() - restartedAt} ms after the restart`);
    t.ok(live.restarts + live.stalls >= 1, 'the supervisor reconnected');
    t.ok(
      manager.events!.list().some((e) => e.type === 'camera_stream_down' && !e.active),
      'camera_stream_down cleared',
    );

    // the viewer leaves
    watching = false;
    await viewer;
    await until('restream stopped', () => live.state === 'idle', 10_000, 100);
    await until('no ffmpeg left', async () => (await processesMatching('ffmpeg', dir, 'hls')).length === 0, 5_000);
    t.same(
      await processesMatching('ffmpeg', `127.0.0.1:${rtsp.port}`),
      [],
      'no ffmpeg process of this camera is left (the stream probe runs in-process)',
    );
  },
);

t.test('stream probe: RTSP Digest auth, wrong password and missing path refused, no child process', async (t) => {
  const rtsp = await RtspTestServer.start(undefined, { user: 'admin', password: 'pw' });
  t.teardown(() => rtsp.kill());
  const withCreds = (user: string, pw: string, path = 'test'): string =>
    `rtsp://${user}:${encodeURIComponent(pw)}@127.0.0.1:${rtsp.port}/${path}`;
  const ok = await probeStream(withCreds('admin', 'pw'), 10_000);
  t.equal(ok.ok, true, `two frames read (${ok.ms} ms)`);
  const bad = await probeStream(withCreds('admin', 'wrong'), 10_000);
  t.equal(bad.ok, false);
  t.equal(bad.error?.code, 'CAMERA_ERR_STREAM');
  t.match(bad.error?.message, /DESCRIBE: 401/);
  t.notMatch(bad.error?.message, /wrong/, 'no password in the error');
  const none = await probeStream(`rtsp://127.0.0.1:${rtsp.port}/test`, 10_000);
  t.match(none.error?.message, /401/, 'no credentials: refused');
  const missing = await probeStream(withCreds('admin', 'pw', 'nope'), 10_000);
  t.match(missing.error?.message, /404/);
  t.same(await processesMatching('ffmpeg', `127.0.0.1:${rtsp.port}`), [], 'no ffmpeg spawned by the probes');
  rtsp.signal('SIGSTOP');
  const frozen = await probeStream(withCreds('admin', 'pw'), 1500);
  rtsp.signal('SIGCONT');
  t.equal(frozen.ok, false, 'a frozen server fails the probe');
  t.match(frozen.error?.message, /no video frames within 1500 ms/);
  t.ok(frozen.ms < 5000, `within the timeout (${frozen.ms} ms)`);
});
