#!/usr/bin/python3
# Test camera stream: GStreamer's RTSP server (Debian gstreamer1.0-rtsp) on 127.0.0.1 serving a
# live H.264 test pattern at rtsp://127.0.0.1:PORT/test, one pipeline per client (a shared one
# stalled the other clients when one tore down).
# Usage: /usr/bin/python3 rtsp-server.py PORT   (prints "ready PORT" once listening)
import sys, gi
gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gst, GstRtspServer, GLib
Gst.init(None)
server = GstRtspServer.RTSPServer(); server.set_address('127.0.0.1'); server.set_service(sys.argv[1] if len(sys.argv) > 1 else '8554')
factory = GstRtspServer.RTSPMediaFactory(); factory.set_shared(False)
factory.set_launch('( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=10/1 '
                   '! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10 bitrate=256 ! rtph264pay name=pay0 pt=96 config-interval=1 )')
server.get_mount_points().add_factory('/test', factory)
if server.attach(None) == 0: sys.exit('cannot bind RTSP port')
print('ready', server.get_bound_port(), flush=True)
GLib.MainLoop().run()
