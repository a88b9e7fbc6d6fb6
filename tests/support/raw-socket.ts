import WebSocket from 'ws';

/**
 * Socket.IO spoken by hand over a WebSocket (Engine.IO 4 framing), for frames a real client will not send: reserved
 * or non-string event names, nesting that overflows its encoder, broken packets. Shared by the tests and the fuzz
 * (tsconfig.bench.json compiles it from tests/): no Jest in here.
 */
export class RawSocket {
  /** Takes the frames that come after the namespace's CONNECT answer, pings excepted; unset, they wait for `request`. */
  onFrame: ((frame: string) => void) | null = null;
  closed = false;
  /** The WebSocket close code and reason, once closed. */
  closedWith = '';
  readonly done: Promise<void>;
  private readonly frames: string[] = [];
  private readonly waiters: Array<() => void> = [];
  private nextAckId = 1;

  private constructor(private readonly ws: WebSocket) {
    this.done = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = true;
      this.closedWith = `${code} ${reason.toString()}`.trim();
      this.wake();
    });
    // A refused or broken connection shows as `closed`; an unhandled 'error' would throw instead.
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer, binary: boolean) => {
      const frame = binary ? `<binary ${data.length}>` : data.toString();
      if (frame === '2') ws.send('3'); // Engine.IO ping → pong
      else if (this.onFrame) this.onFrame(frame);
      else this.frames.push(frame);
      this.wake();
    });
  }

  /**
   * Opens the transport and sends `40<connectPayload>`; resolves with the socket and the namespace's answer: `40{sid}`,
   * `44{message}`, `closed` when the server dropped the connection, or `HTTP <status>` when it refused the upgrade.
   */
  static async connect(url: string, { connectPayload = '', headers = {} }: { connectPayload?: string; headers?: Record<string, string> } = {}): Promise<{ socket: RawSocket; answer: string }> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers });
    // Listening from the start: the open packet can arrive in the same tick as the 'open' event.
    const socket = new RawSocket(ws);
    const refused = new Promise<string>((resolve) => ws.once('unexpected-response', (_request, response) => resolve(`HTTP ${response.statusCode ?? 0}`)));
    const answered = (async () => {
      if ((await socket.frame((frame) => frame.startsWith('0{'))) === null) return 'closed';
      ws.send(`40${connectPayload}`);
      return (await socket.frame((frame) => frame.startsWith('4'))) ?? 'closed';
    })();
    return { socket, answer: await Promise.race([refused, answered]) };
  }

  /** Connects without a token; rejects, naming the answer, unless the namespace lets it in. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<RawSocket> {
    const { socket, answer } = await RawSocket.connect(url, { headers });
    if (answer.startsWith('40')) return socket;
    socket.close();
    throw new Error(answer);
  }

  /** Sends `event` with its JSON-encoded arguments (written as given) and an ack id; resolves with the ack's value. */
  async request(event: string, argumentsJson: string): Promise<unknown> {
    const id = this.nextAckId++;
    this.ws.send(`42${id}[${JSON.stringify(event)},${argumentsJson}]`);
    const frame = await this.frame((candidate) => candidate.startsWith(`43${id}[`));
    if (frame === null) throw new Error(`closed (${this.closedWith}) before the ack of ${event}`);
    const answers: unknown = JSON.parse(frame.slice(`43${id}`.length));
    return Array.isArray(answers) ? answers[0] : undefined;
  }

  send(frame: string | Buffer): void {
    if (!this.closed && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  close(): void {
    this.ws.terminate();
  }

  /** The first waiting frame that `matches`, taken off the queue; null once the connection has closed without one. */
  private async frame(matches: (frame: string) => boolean): Promise<string | null> {
    for (;;) {
      const index = this.frames.findIndex(matches);
      if (index >= 0) return this.frames.splice(index, 1)[0] ?? null;
      if (this.closed) return null;
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  private wake(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }
}
