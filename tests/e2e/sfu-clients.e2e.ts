import { describeWithJanus } from '../support/janus-server';
import { closeAll, connect, next, record, type CallClient } from '../support/socket-client';
import { describeWithChromium } from './chromium';
import { decodingFromAll, joinAsGuest, nameOf, selfId } from './page';
import { useSfuBench } from './sfu-bench';
import { decodingOverSfu, mediaPath, recordEvents, serverEvents } from './sfu-page';
import { until } from './wait';

/*
 * The tutorial's front end next to the web app: it joins with `join-call(window.location.href)`, positional and
 * without an ack, and speaks peer to peer only. Here it is a socket.io-client in Node that sends exactly that.
 */
describeWithChromium('front ends without acks next to calls on the SFU', () => {
  describeWithJanus(
    'with a real Janus, MEDIA_MODE=auto, SFU_FROM=3',
    (janus) => {
      const bench = useSfuBench(janus, { MEDIA_MODE: 'auto', SFU_FROM: '3' });
      const sockets: CallClient[] = [];
      const tutorial = async () => {
        const socket = await connect(bench.server.url);
        sockets.push(socket);
        return socket;
      };
      afterEach(() => closeAll(sockets.splice(0)));

      it('a call holding the tutorial front end stays peer to peer when a third participant joins', async () => {
        const client = await tutorial();
        const joined = next(client, 'user-joined');
        client.emit('join-call', `${bench.server.url}/e2e-sfu-tutorial`);
        await joined;
        const ann = await bench.open();
        await joinAsGuest(ann, bench.server.url, 'e2e-sfu-tutorial', 'Ann');
        await recordEvents(ann);
        const bob = await bench.open();
        await joinAsGuest(bob, bench.server.url, 'e2e-sfu-tutorial', 'Bob');
        await recordEvents(bob);

        // Three in the call, past SFU_FROM: still a mesh, and Ann and Bob see each other over it.
        expect(await decodingFromAll(ann, 1)).toEqual([await selfId(bob)]);
        expect(await decodingFromAll(bob, 1)).toEqual([await selfId(ann)]);
        for (const page of [ann, bob]) {
          expect({ page: nameOf(page), path: await mediaPath(page) }).toEqual({ page: nameOf(page), path: 'mesh' });
          expect(await serverEvents(page)).not.toContain('media-path');
          expect(await page.evaluate(() => window.__meet?.sfu.publisher ?? null)).toBeNull();
        }
      }, 120_000);

      it('the tutorial front end joining a call already on the SFU is told in words to open the link in a web browser', async () => {
        const pages = [];
        for (const name of ['Ann', 'Bob', 'Cat']) {
          const page = await bench.open();
          await joinAsGuest(page, bench.server.url, 'e2e-sfu-refused', name);
          pages.push(page);
        }
        for (const page of pages) await until(`${nameOf(page)} on the SFU`, () => mediaPath(page), (path) => path === 'sfu');
        const [ann] = pages;
        if (!ann) throw new Error('pages expected');
        const others = await Promise.all(pages.slice(1).map((page) => selfId(page)));
        await decodingOverSfu(ann, others);

        const client = await tutorial();
        const seen = record(client);
        const refused = next(client, 'call-error');
        client.emit('join-call', `${bench.server.url}/e2e-sfu-refused`);
        const [error] = await refused;
        expect(error).toMatchObject({ code: 'UNSUPPORTED_CLIENT', event: 'join-call' });
        expect(error.message).toMatch(/open the meeting link in a web browser/i);
        expect(seen.get('user-joined')).toBeUndefined();
        expect(seen.violations).toEqual([]);
        // The call goes on for those in it.
        await decodingOverSfu(ann, others);
      }, 120_000);
    },
    { webrtcEncryption: true },
  );
});
