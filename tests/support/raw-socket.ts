import WebSocket from 'ws';

/**
 * A Socket.IO connection spoken by hand over a WebSocket (Engine.IO 4 framing), for frames a real client
 * cannot produce: its encoder would overflow on a deeply nested message before sending it.
 */
export class RawSocket {
  private readonly frames: string[] = [];
  private readonly waiters: Array<() => void> = [];
  private nextAckId = 1;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = data.toString();
      if (frame === '2') ws.send('3'); // Engine.IO ping → pong
      else this.frames.push(frame);
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<RawSocket> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers });
    // Listening from the start: the open packet can arrive in the same tick as the 'open' event.
    const socket = new RawSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode ?? 0}`)));
    });
    await socket.frame((frame) => frame.startsWith('0{'));
    ws.send('40');
    await socket.frame((frame) => frame.startsWith('40'));
    return socket;
  }

  /** Sends `event` with its JSON-encoded arguments (written as given) and an ack id; resolves with the ack's value. */
  async request(event: string, argumentsJson: string): Promise<unknown> {
    const id = this.nextAckId++;
    this.ws.send(`42${id}[${JSON.stringify(event)},${argumentsJson}]`);
    const frame = await this.frame((candidate) => candidate.startsWith(`43${id}[`));
    const answers: unknown = JSON.parse(frame.slice(`43${id}`.length));
    return Array.isArray(answers) ? answers[0] : undefined;
  }

  close(): void {
    this.ws.close();
  }

  private async frame(matches: (frame: string) => boolean): Promise<string> {
    for (;;) {
      const index = this.frames.findIndex(matches);
      if (index >= 0) return this.frames.splice(index, 1)[0] ?? '';
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }
}
