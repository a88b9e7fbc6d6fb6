import { join } from 'node:path';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { growth, receivedAudioEnergy, videoBrightness } from './media';
import { joinAsGuest, remoteVideos, selfId } from './page';
import { until } from './wait';

describeWithChromium('the call controls in Chromium: what one turns off, the others stop receiving and see on the tile', () => {
  const bench = useServerAndChromium();
  const { open } = bench;


  it("turning the microphone and camera off silences and blacks out one's media on the other page, and its tile says so", async () => {
    const ann = await open();
    const bob = await open();
    await joinAsGuest(ann, bench.server.url, 'e2e-controls', 'Ann');
    await joinAsGuest(bob, bench.server.url, 'e2e-controls', 'Bob');
    const annId = await selfId(ann);
    await until("Bob to decode Ann's video", () => remoteVideos(bob), (videos) => (videos[annId]?.framesDecoded ?? 0) > 0 && (videos[annId]?.videoWidth ?? 0) > 0);
    const annTile = bob.getByRole('figure', { name: 'Video of Ann (guest)' });
    const energyFromAnn = async () => (await receivedAudioEnergy(bob))[annId] ?? 0;

    // The fake microphone beeps about once a second: energy keeps arriving while it is on.
    const whileOn = await until("Ann's audio energy to grow on Bob's page", () => growth(energyFromAnn, 2500), (grown) => grown > 0);
    await annTile.waitFor();
    expect(await annTile.getByRole('listitem').allInnerTexts()).toEqual([]);
    await ann.getByRole('button', { name: 'Microphone' }).click();
    expect(await ann.getByRole('button', { name: 'Microphone' }).getAttribute('aria-pressed')).toBe('false');
    await annTile.getByText('microphone off').waitFor();
    // Silence from then on: what still arrives is the tail of audio sent before the click, a vanishing fraction.
    await until("Ann's audio on Bob's page to fall silent (under 1/1000 of what 2.5 s brought while on)", () => growth(energyFromAnn, 2500), (grown) => grown < whileOn / 1000, 15);

    const brightness = () => videoBrightness(bob, annId);
    expect(await brightness()).toBeGreaterThan(40);
    await ann.getByRole('button', { name: 'Camera' }).click();
    await annTile.getByText('camera off').waitFor();
    await until("Ann's video on Bob's page to go black (mean brightness under 5)", brightness, (level) => level >= 0 && level < 5);

    await ann.getByRole('button', { name: 'Raise hand' }).click();
    await annTile.getByText('hand raised').waitFor();
    await bob.screenshot({ path: join(ARTIFACTS, 'controls-bob-sees-ann-muted.png'), fullPage: true });

    await ann.getByRole('button', { name: 'Microphone' }).click();
    await ann.getByRole('button', { name: 'Camera' }).click();
    await until("Ann's tile on Bob's page to say only 'hand raised'", () => annTile.getByRole('listitem').allInnerTexts(), (words) => words.join() === 'hand raised');
    await until("Ann's audio energy to grow again on Bob's page", () => growth(energyFromAnn, 1500), (grown) => grown > 0);
    await until("Ann's video on Bob's page to light up again (mean brightness over 40)", brightness, (level) => level > 40);
    await ann.screenshot({ path: join(ARTIFACTS, 'controls-ann.png'), fullPage: true });
  });

  it('a page whose camera is refused joins with its microphone, says so, decodes the others and is heard', async () => {
    const eve = await open();
    await joinAsGuest(eve, bench.server.url, 'e2e-no-camera', 'Eve');
    const dee = await open();
    await dee.addInitScript(() => {
      const capture = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) =>
        constraints?.video ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError')) : capture(constraints);
    });
    await joinAsGuest(dee, bench.server.url, 'e2e-no-camera', 'Dee');
    await dee.getByRole('status').getByText('Camera refused or unavailable (Permission denied): the others hear you but do not see you.').waitFor();
    const [deeId, eveId] = [await selfId(dee), await selfId(eve)];
    await until("Dee to decode Eve's video", () => remoteVideos(dee), (videos) => (videos[eveId]?.framesDecoded ?? 0) > 0 && (videos[eveId]?.videoWidth ?? 0) > 0);
    await until("Dee's audio energy to grow on Eve's page", () => growth(async () => (await receivedAudioEnergy(eve))[deeId] ?? 0, 2500), (grown) => grown > 0);
    await eve.getByRole('figure', { name: 'Video of Dee (guest)' }).getByText('camera off').waitFor();

    await dee.getByRole('button', { name: 'Camera' }).click();
    await dee.getByRole('status').getByText('There is no camera to turn on: it was refused or is missing.').waitFor();
    expect(await dee.getByRole('button', { name: 'Camera' }).getAttribute('aria-pressed')).toBe('false');
    await dee.screenshot({ path: join(ARTIFACTS, 'controls-camera-refused.png'), fullPage: true });
  });
});
