import type { Page } from 'playwright-core';
import { describeWithJanus } from '../support/janus-server';
import { describeWithChromium } from './chromium';
import { joinAsGuest, selfId } from './page';
import { useSfuBench } from './sfu-bench';
import { decodingOverSfu, mediaPath } from './sfu-page';
import { until } from './wait';

/** Which of `ownerId`'s subscribed streams the page's tile of them plays: 'camera', 'screen', or what it found. */
function tileShows(page: Page, ownerId: string): Promise<string> {
  return page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(`video[data-participant="${CSS.escape(id)}"]`);
    const shown = video?.srcObject instanceof MediaStream ? video.srcObject.getVideoTracks()[0] : undefined;
    const subscriber = window.__meet?.sfu.subscriber;
    if (!shown || !subscriber) return 'nothing';
    const videoMids = (window.__meet?.sfu.streams ?? []).filter((stream) => stream.participantId === id && stream.kind === 'video').map((stream) => stream.mid);
    const mid = subscriber.getTransceivers().find((transceiver) => transceiver.receiver.track === shown)?.mid;
    // The first video is the camera, the last (of two or more) the screen: src/web/sfu-streams.ts.
    if (mid !== undefined && mid === videoMids[0]) return 'camera';
    if (mid !== undefined && videoMids.length > 1 && mid === videoMids.at(-1)) return 'screen';
    return `an unknown track (mid ${String(mid)} of ${videoMids.join(',')})`;
  }, ownerId);
}

describeWithChromium('screen sharing and reconnecting on the SFU in the web app', () => {
  describeWithJanus(
    'with a real Janus, MEDIA_MODE=sfu',
    (janus) => {
      const bench = useSfuBench(janus, { MEDIA_MODE: 'sfu' });

      it("a shared screen goes as a video of its own: the others' tile shows it, then the camera again once it stops", async () => {
        const ann = await bench.open();
        await joinAsGuest(ann, bench.server.url, 'e2e-sfu-share', 'Ann');
        const bob = await bench.open();
        await joinAsGuest(bob, bench.server.url, 'e2e-sfu-share', 'Bob');
        const annId = await selfId(ann);
        await decodingOverSfu(bob, [annId]);
        expect(await tileShows(bob, annId)).toBe('camera');

        await ann.getByRole('button', { name: 'Share screen' }).click();
        await until("Ann's Share screen button to be pressed", () => ann.getByRole('button', { name: 'Share screen' }).getAttribute('aria-pressed'), (pressed) => pressed === 'true');
        await bob.getByRole('figure', { name: 'Video of Ann (guest)' }).getByText('sharing screen').waitFor();
        await until("Bob's tile of Ann to show her screen", () => tileShows(bob, annId), (shown) => shown === 'screen');
        await decodingOverSfu(bob, [annId]);
        // The camera still goes to the SFU alongside the screen.
        expect(await ann.evaluate(() => window.__meet?.sfu.publisher?.getSenders().filter((sender) => sender.track?.kind === 'video').length)).toBe(2);

        await ann.getByRole('button', { name: 'Share screen' }).click();
        await until("Bob's tile of Ann to show her camera again", () => tileShows(bob, annId), (shown) => shown === 'camera');
        await decodingOverSfu(bob, [annId]);

        // Shared again: the same section, sending again.
        await ann.getByRole('button', { name: 'Share screen' }).click();
        await until("Bob's tile of Ann to show her screen again", () => tileShows(bob, annId), (shown) => shown === 'screen');
        await decodingOverSfu(bob, [annId]);
      }, 120_000);

      it('a page whose connection to the server drops resumes as the same participant, and its SFU media goes on', async () => {
        const ann = await bench.open();
        await joinAsGuest(ann, bench.server.url, 'e2e-sfu-resume', 'Ann');
        const bob = await bench.open();
        await joinAsGuest(bob, bench.server.url, 'e2e-sfu-resume', 'Bob');
        const [annId, bobId] = [await selfId(ann), await selfId(bob)];
        await decodingOverSfu(ann, [bobId]);
        const publisher = await bob.evaluateHandle(() => window.__meet?.sfu.publisher ?? null);

        await bob.evaluate(() => window.__meet?.socket?.io.engine.close());
        await until("Bob's socket to reconnect after the cut", () => bob.evaluate(() => window.__meet?.socket?.connected === true), Boolean);
        await until("Bob's 'Connection lost' banner to go once resumed", () => bob.getByRole('alert').isHidden(), Boolean);
        expect(await selfId(bob)).toBe(bobId);
        expect(await mediaPath(bob)).toBe('sfu');
        // The same publishing connection: it never went through the socket that dropped.
        expect(await publisher.evaluate((pc) => pc === window.__meet?.sfu.publisher)).toBe(true);
        await decodingOverSfu(ann, [bobId]);
        await decodingOverSfu(bob, [annId]);
      }, 120_000);
    },
    { webrtcEncryption: true },
  );
});
