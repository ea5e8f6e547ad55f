/**
 * A serial port for byte-oriented meter protocols (DL/T 645, CJ/T 188): write a request, then
 * collect reply bytes until the protocol's scanner says a frame is complete, or the response
 * timeout passes. Bytes that arrive while no exchange waits are dropped and counted.
 */
import { SerialPort } from 'serialport';
import { YiwangError } from '../../../common/errors.js';
import { portError, wireMs, type LineSettings } from './line.js';

/** What a scanner says about the bytes received so far. */
export type ScanVerdict<T> = { kind: 'done'; value: T } | { kind: 'more' } | { kind: 'error'; error: YiwangError };

export interface BusLink {
  readonly path: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  /** Called when the port closes without `close()` (adapter unplugged, I/O error). */
  onLost(cb: (err: YiwangError) => void): void;
}

export class RawSerialLink implements BusLink {
  strayBytes = 0;
  private port: SerialPort | undefined;
  private rx: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private lostCb: ((err: YiwangError) => void) | undefined;

  constructor(private readonly line: LineSettings) {}

  get path(): string {
    return this.line.path;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  onLost(cb: (err: YiwangError) => void): void {
    this.lostCb = cb;
  }

  async open(): Promise<void> {
    const l = this.line;
    const port = new SerialPort({
      path: l.path,
      baudRate: l.baudRate,
      dataBits: l.dataBits,
      parity: l.parity,
      stopBits: l.stopBits,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(portError(l.path, e)) : resolve())));
    this.port = port;
    port.on('data', (d: Buffer) => {
      if (!this.waiter) {
        this.strayBytes += d.length;
        return;
      }
      this.rx = this.rx.length ? Buffer.concat([this.rx, d]) : d;
      this.waiter();
    });
    port.on('error', () => {
      /* followed by close */
    });
    port.on('close', (e: Error | null) => {
      if (this.port !== port) return;
      this.port = undefined;
      this.lostCb?.(portError(l.path, e ?? new Error('closed'), 'keep open'));
    });
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = undefined;
    if (p?.isOpen) await new Promise<void>((r) => p.close(() => r()));
  }

  /**
   * Sends `request` and feeds every received chunk (accumulated) to `scan` until it is done or fails.
   * `collectMs` > 0: broadcast mode, keep collecting until then and return every verdict seen.
   */
  async exchange<T>(request: Buffer, scan: (rx: Buffer) => ScanVerdict<T>, what: string): Promise<T> {
    const port = this.port;
    if (!port) throw portError(this.line.path, new Error('port is closed'), 'write');
    this.rx = Buffer.alloc(0);
    const timeoutMs = this.line.responseTimeoutMs + wireMs(this.line, request.length);
    try {
      return await new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new YiwangError('SERIAL_ERR_TIMEOUT', `${what}: no reply within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = (): void => {
          const v = scan(this.rx);
          if (v.kind === 'more') return;
          clearTimeout(timer);
          if (v.kind === 'done') resolve(v.value);
          else reject(v.error);
        };
        this.waiter = check;
        port.write(request, (e) => {
          if (e) {
            clearTimeout(timer);
            reject(portError(this.line.path, e, 'write'));
          }
        });
      });
    } finally {
      this.waiter = undefined;
      this.rx = Buffer.alloc(0);
    }
  }

  /** Sends `request` and collects bytes for the whole response timeout (broadcasts: every answer counts). */
  async collect(request: Buffer): Promise<Buffer> {
    const port = this.port;
    if (!port) throw portError(this.line.path, new Error('port is closed'), 'write');
    this.rx = Buffer.alloc(0);
    this.waiter = () => {};
    try {
      await new Promise<void>((resolve, reject) =>
        port.write(request, (e) => (e ? reject(portError(this.line.path, e, 'write')) : resolve())),
      );
      await new Promise((r) => setTimeout(r, this.line.responseTimeoutMs + wireMs(this.line, request.length)));
      return this.rx;
    } finally {
      this.waiter = undefined;
      this.rx = Buffer.alloc(0);
    }
  }
}
