import WebSocket from 'ws';

/**
 * Socket.IO spoken by hand over a WebSocket (Engine.IO 4 framing), for frames a real client will not send: reserved
 * or non-string event names, nesting that overflows its encoder, broken packets. Same idea as
 * tests/support/raw-socket.ts (benches do not compile tests/), with any frame and any CONNECT payload allowed.
 */
export class RawSocket {
  /** Frames received after the namespace CONNECT answer, pings excepted. */
  onFrame: (frame: string) => void = () => undefined;
  closed = false;
  /** The WebSocket close code and reason, once closed. */
  closedWith = '';
  readonly done: Promise<void>;

  private constructor(private readonly ws: WebSocket) {
    this.done = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = true;
      this.closedWith = `${code} ${reason.toString()}`.trim();
    });
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer, binary: boolean) => {
      const frame = binary ? `<binary ${data.length}>` : data.toString();
      if (frame === '2') ws.send('3');
      else this.onFrame(frame);
    });
  }

  /**
   * Opens the transport and sends `40<connectPayload>`; resolves with the socket and the namespace's answer
   * (`40{sid}` or `44{message}`), or with the socket closed when the server dropped it.
   */
  static async open(url: string, connectPayload = ''): Promise<{ socket: RawSocket; answer: string }> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const socket = new RawSocket(ws);
    const answer = await new Promise<string>((resolve) => {
      socket.onFrame = (frame) => {
        if (frame.startsWith('0{')) ws.send(`40${connectPayload}`);
        else if (frame.startsWith('4')) resolve(frame);
      };
      ws.once('close', () => resolve('closed'));
      ws.once('unexpected-response', (_request, response) => resolve(`HTTP ${response.statusCode ?? 0}`));
    });
    socket.onFrame = () => undefined;
    return { socket, answer };
  }

  send(frame: string | Buffer): void {
    if (!this.closed && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  close(): void {
    this.ws.terminate();
  }
}
