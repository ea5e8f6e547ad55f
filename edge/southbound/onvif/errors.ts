import { defineErrors } from '../../../common/errors.js';

/** Coded errors of the camera adapter (ONVIF + RTSP), documented in docs/reference/errors.md. */
export const CAMERA_ERRORS = defineErrors({
  CAMERA_ERR_UNREACHABLE: {
    summary:
      'The camera does not accept TCP connections on its ONVIF port (down, unplugged, wrong address or blocked).',
    hint: 'Check power, cabling, the address and port given when it was added, and any firewall between gateway and camera.',
  },
  CAMERA_ERR_NO_ANSWER: {
    summary:
      'The camera accepts TCP connections but its ONVIF service does not answer in time (hung web server, wrong port, overloaded).',
    hint: 'Reboot the camera; check that the port is its ONVIF (HTTP) port, not RTSP. cameras.request_timeout_ms sets the patience.',
  },
  CAMERA_ERR_AUTH: {
    summary:
      'The camera rejected the credentials (WS-Security or HTTP digest). The agent backs off so the account is not locked out.',
    hint: 'Correct the user name and password (`yiwang-edge` API POST /v1/cameras with the same id, or [cameras] in the config). Also check clock drift: a camera clock far off breaks WS-Security.',
  },
  CAMERA_ERR_SOAP: {
    summary: 'The camera answered with a SOAP fault or an answer that is not ONVIF.',
    hint: 'The message names the operation and the fault; check the camera firmware supports ONVIF Profile S.',
  },
  CAMERA_ERR_STREAM: {
    summary:
      'The camera stream could not be read: no frames within the probe timeout (frozen encoder, RTSP server hung, wrong stream URI).',
    hint: 'Open the stream in a player; reboot the camera if it stays frozen. cameras.stream_probe_timeout_ms sets the patience.',
  },
  CAMERA_ERR_CLOCK_DRIFT: {
    summary: 'The camera clock differs from the gateway clock by more than cameras.clock_drift_max_ms.',
    hint: 'Enable NTP on the camera. The agent compensates for WS-Security, but event times from the camera are off by the drift.',
  },
  CAMERA_ERR_SNAPSHOT: {
    summary: 'A snapshot could not be fetched or stored for an alarm event.',
    hint: 'Check the snapshot URI and credentials and free space in cameras.snapshot_dir; the event is still reported, without a snapshot.',
  },
  CAMERA_ERR_LIVE: {
    summary: 'The live-view restream (ffmpeg) failed, stalled or is not installed.',
    hint: 'Install ffmpeg (Debian package ffmpeg); the agent reconnects by itself while a viewer is watching.',
  },
  CAMERA_ERR_NOT_FOUND: {
    http: 404,
    summary: 'No camera with that id is managed by this gateway.',
    hint: 'List cameras with GET /v1/cameras on the local API.',
  },
  CAMERA_ERR_BAD_ADDRESS: {
    summary: 'A camera address is not a usable ONVIF device-service URL or host[:port].',
    hint: 'Give http://host[:port]/onvif/device_service or host[:port].',
  },
  CAMERA_ERR_CREDENTIALS_SEALED: {
    summary:
      'The stored password of an API-added camera no longer opens: cameras.json was sealed under an earlier gateway secret (the gateway was re-keyed or re-provisioned). The camera is kept, not monitored; other cameras are not affected.',
    hint: 'Enter its credentials again: `yiwang-edge cameras add <address> --id <id> --password-file FILE` (same id replaces it). `yiwang-edge cameras list` shows which cameras need it.',
  },
  CAMERA_ERR_REGISTRY: {
    summary:
      'cameras.json (API-added cameras) or one of its entries could not be read; the file was kept aside as cameras.json.unreadable-<time>, or the entry is kept and flagged.',
    hint: 'Add the cameras again with `yiwang-edge cameras add`; the kept file shows what was there (passwords sealed).',
  },
  CAMERA_ERR_EVENTS: {
    summary: 'The ONVIF PullPoint event subscription failed; it is retried with backoff.',
    hint: 'Check that the camera supports the ONVIF event service; the message names the failing step.',
  },
});
