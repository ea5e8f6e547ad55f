/**
 * Conformance, CoAP message layer of the LwM2M server's port (OMA-TS-LightweightM2M_Transport
 * 1.1.1 §6 binds LwM2M to CoAP, RFC 7252): message-format errors in a CON are answered with a
 * Reset, in a NON or ACK silently ignored (raw datagrams; issue 20 item 7).
 */
import { RawDevice, edge, table } from './table.js';

interface Ctx {
  dev: RawDevice;
}

/** A datagram, what the server must do with it (Reset or nothing), and why. */
const cases: { section: string; name: string; bytes: number[]; expect: 'reset' | 'silent' }[] = [];
const rd = [0xb2, 0x72, 0x64]; // Uri-Path "rd"
const reset = (section: string, name: string, bytes: number[]): void => {
  cases.push({ section, name, bytes, expect: 'reset' });
};
const silent = (section: string, name: string, bytes: number[]): void => {
  cases.push({ section, name, bytes, expect: 'silent' });
};
reset('RFC 7252 §3, §3.1, §4.2', 'CON with option delta 15', [0x40, 0x02, 0x10, 0x01, 0xf1, 0x41]);
reset('RFC 7252 §3.1, §4.2', 'CON with option length 15', [0x40, 0x02, 0x10, 0x02, ...rd, 0x4f, 0x41]);
reset('RFC 7252 §3, §4.2', 'CON with token length 9', [0x49, 0x02, 0x10, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...rd]);
reset('RFC 7252 §3, §4.2', 'CON with token length 15', [0x4f, 0x01, 0x10, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]);
reset('RFC 7252 §3', 'CON with a payload marker and no payload', [0x40, 0x02, 0x10, 0x05, ...rd, 0xff]);
reset('RFC 7252 §4.1', 'CON Empty message with options', [0x40, 0x00, 0x10, 0x06, 0xb2, 0x72, 0x64]);
silent('RFC 7252 §4.3', 'NON with option delta 15', [0x50, 0x02, 0x10, 0x07, 0xf1, 0x41]);
silent('RFC 7252 §4.3', 'NON with token length 9', [0x59, 0x02, 0x10, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...rd]);
silent('RFC 7252 §4.2', 'ACK with a format error', [0x60, 0x00, 0x10, 0x09, 0xf1]);
silent('RFC 7252 §3: unknown versions are ignored', 'version 2', [0x80, 0x02, 0x10, 0x0a, 0xf1]);

table<Ctx>(
  'conformance: CoAP message layer (raw datagrams)',
  async (t) => {
    const e = await edge(t);
    return { dev: await RawDevice.open(t, e.port) };
  },
  cases.map(({ section, name, bytes, expect }) => ({
    section,
    name: `${name}: ${expect === 'reset' ? 'a Reset' : 'silently ignored'}`,
    run: async (t, { dev }) => {
      const messageId = (bytes[2]! << 8) | bytes[3]!;
      dev.sendRaw(Buffer.from(bytes));
      if (expect === 'reset') {
        const p = await dev.next((x) => x.messageId === messageId, 2000);
        t.ok(p, `${name}: answered (${section})`);
        t.match(p, { reset: true, ack: false, code: '0.00' }, `${name}: a Reset, not a response (${section})`);
      } else {
        t.equal(
          await dev.next((x) => x.messageId === messageId, 400),
          undefined,
          `${name}: silently ignored (${section})`,
        );
      }
    },
  })),
);
