import { JanusMediaServer } from '../../src/adapters/media/janus-media-server';
import type { MediaServerLoss } from '../../src/application/ports/media-server';
import { expectCode } from '../support/errors';
import { icePeer } from '../support/ice-peer';
import { freePort } from '../support/redis-process';
import { describeWithJanus } from '../support/janus-server';
import { LOUD, SILENT, sendAudio, type AudioSender } from '../support/rtp';
import { publisherOffer } from '../support/sdp';
import { mediaServerContract, type ContractPeer } from './media-server.contract';

const REQUEST_TIMEOUT_MS = 2_000;

describeWithJanus('JanusMediaServer', (janus) => {
  const adapters: JanusMediaServer[] = [];
  const adapter = (url = janus.url(), maxPublishers = 10) => {
    const opened = new JanusMediaServer({ url, requestTimeoutMs: REQUEST_TIMEOUT_MS, maxPublishers });
    adapters.push(opened);
    return opened;
  };
  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((opened) => opened.close()));
  });

  // Each `open` is another node: its own connection and session on the same Janus.
  mediaServerContract(async ({ maxPublishers }) => {
    const server = adapter(janus.url(), maxPublishers);
    const peer = async (): Promise<ContractPeer> => {
      const ice = await icePeer();
      const offer = publisherOffer(ice.credentials);
      let answered: string | undefined;
      let audio: AudioSender | undefined;
      return {
        offer,
        connect: async (answer, trickle) => {
          answered = answer;
          await ice.connect(answer, trickle);
        },
        talk: (talking) => {
          if (answered === undefined) throw new Error('talking before connecting');
          const level = talking ? LOUD : SILENT;
          // Janus says a voice stopped only on a second of quiet packets, not when packets stop: silence is sent.
          if (audio) audio.level(level);
          else audio = sendAudio(offer, answered, (packet) => ice.send(packet), level);
        },
        close: () => {
          audio?.stop();
          ice.close();
        },
      };
    };
    return { server, peer, kill: () => janus.kill(), close: () => server.close() };
  });

  it('answers SERVICE_UNAVAILABLE within its deadline when Janus stalls, and takes the stalled Janus for lost', async () => {
    const server = adapter();
    const room = { callId: 'c1', key: server.newRoomKey() };
    await server.openRoom(room);
    const losses: MediaServerLoss[] = [];
    server.onLost((loss) => losses.push(loss));
    janus.freeze();
    const started = Date.now();
    await expectCode(server.publishers(room), 'SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS + 1_000);
    const deadline = Date.now() + 2 * REQUEST_TIMEOUT_MS + 1_000;
    while (losses.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(losses).toEqual([{ reason: expect.stringContaining('did not answer') }]);
    expect(await server.isHealthy()).toBe(false);
  });

  it('answers SERVICE_UNAVAILABLE at once, and is not healthy, where no Janus listens', async () => {
    const server = adapter(`ws://127.0.0.1:${await freePort()}`);
    const started = Date.now();
    await expectCode(server.openRoom({ callId: 'c1', key: server.newRoomKey() }), 'SERVICE_UNAVAILABLE');
    expect(await server.isHealthy()).toBe(false);
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  it('answers SERVICE_UNAVAILABLE once closed', async () => {
    const server = adapter();
    await server.openRoom({ callId: 'c1', key: server.newRoomKey() });
    await server.close();
    await expectCode(server.openRoom({ callId: 'c1', key: server.newRoomKey() }), 'SERVICE_UNAVAILABLE');
  });
});
