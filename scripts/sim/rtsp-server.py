#!/usr/bin/python3
# Test camera stream: GStreamer's RTSP server (Debian gstreamer1.0-rtsp) on 127.0.0.1 serving a
# live H.264 test pattern at rtsp://127.0.0.1:PORT/test, one pipeline per client (a shared one
# stalled the other clients when one tore down).
# Usage: /usr/bin/python3 rtsp-server.py PORT [--mounts N] [--user U --password P]
#   --mounts N   also serve /cam0 … /cam<N-1> (one server for many test cameras, e.g. the bench)
#   --user/--password   require RTSP Digest authentication, as real cameras do
# Prints "ready PORT" once listening.
import sys, gi
gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0'); gi.require_version('GstRtsp', '1.0')
from gi.repository import Gst, GstRtspServer, GstRtsp, GLib

def arg(flag, default=None):
    return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else default

Gst.init(None)
port = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith('--') else '8554'
mounts = int(arg('--mounts', '0'))
user, password = arg('--user'), arg('--password')

server = GstRtspServer.RTSPServer(); server.set_address('127.0.0.1'); server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory(); factory.set_shared(False)
factory.set_launch('( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=10/1 '
                   '! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10 bitrate=256 ! rtph264pay name=pay0 pt=96 config-interval=1 )')
if user:
    auth = GstRtspServer.RTSPAuth()
    auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
    token = GstRtspServer.RTSPToken(); token.set_string('media.factory.role', 'camera-user')
    auth.add_digest(user, password or '', token)
    server.set_auth(auth)
    factory.add_role_from_structure(Gst.Structure.new_from_string(
        'camera-user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true'))
points = server.get_mount_points()
points.add_factory('/test', factory)
for i in range(mounts):
    points.add_factory('/cam%d' % i, factory)
if server.attach(None) == 0: sys.exit('cannot bind RTSP port')
print('ready', server.get_bound_port(), flush=True)
GLib.MainLoop().run()
