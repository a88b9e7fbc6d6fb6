import type { Page } from 'playwright-core';

declare global {
  interface Window {
    /** The `speaking` events heard since listenForTalking. */
    __talking?: Array<[string, boolean]>;
  }
}

export const SECOND_CAMERA = 'Second camera (red)';

/**
 * Before the page's scripts: a second camera next to Chromium's one fake camera, listed by enumerateDevices (once
 * permission is given, as a real one would be) and opened by getUserMedia as a red canvas with a moving bar.
 */
export async function addSecondCamera(page: Page): Promise<void> {
  await page.addInitScript((label) => {
    const devices = navigator.mediaDevices;
    const enumerate = devices.enumerateDevices.bind(devices);
    const getUserMedia = devices.getUserMedia.bind(devices);
    const id = 'fake-second-camera';
    devices.enumerateDevices = async () => {
      const listed = await enumerate();
      if (!listed.some((device) => device.kind === 'videoinput' && device.deviceId !== '')) return listed;
      const second = { deviceId: id, kind: 'videoinput', label, groupId: id, toJSON: () => ({}) };
      return [...listed, Object.setPrototypeOf(second, MediaDeviceInfo.prototype) as MediaDeviceInfo];
    };
    const named = (value: ConstrainDOMString | undefined): boolean =>
      value === id || (typeof value === 'object' && !Array.isArray(value) && (value.exact === id || value.ideal === id));
    devices.getUserMedia = async (constraints) => {
      const video = constraints?.video;
      if (typeof video !== 'object' || !named(video.deviceId)) return getUserMedia(constraints);
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 360;
      const context = canvas.getContext('2d');
      let frame = 0;
      setInterval(() => {
        if (!context) return;
        context.fillStyle = 'rgb(255 0 0)';
        context.fillRect(0, 0, 640, 360);
        context.fillStyle = 'rgb(200 0 0)';
        context.fillRect((frame += 8) % 600, 0, 40, 360);
      }, 33);
      const stream = canvas.captureStream(30);
      if (constraints?.audio) for (const track of (await getUserMedia({ audio: constraints.audio })).getAudioTracks()) stream.addTrack(track);
      return stream;
    };
  }, SECOND_CAMERA);
}

/** How red a participant's <video> is now: mean red less the mean of green and blue (0–255), -1 before a frame. */
export function videoRedness(page: Page, participantId: string): Promise<number> {
  return page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(`video[data-participant="${CSS.escape(id)}"]`);
    if (!video || video.videoWidth === 0) return -1;
    const canvas = document.createElement('canvas');
    canvas.width = 32;
    canvas.height = 18;
    const context = canvas.getContext('2d');
    if (!context) return -1;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += (data[i] ?? 0) - ((data[i + 1] ?? 0) + (data[i + 2] ?? 0)) / 2;
    return sum / (data.length / 4);
  }, participantId);
}

/**
 * Before the page's scripts: the microphone is a steady 440 Hz tone (Web Audio) instead of Chromium's fake device,
 * whose 20 ms beep twice a second is too short for an SFU that averages levels over a second to call it talking.
 * Chromium's audio processing (noise suppression) is not applied to a Web Audio track, so the tone goes out whole.
 */
export async function useToneMicrophone(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      if (!constraints?.audio) return getUserMedia(constraints);
      const stream = constraints.video ? await getUserMedia({ video: constraints.video }) : new MediaStream();
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      const out = audio.createMediaStreamDestination();
      tone.frequency.value = 440;
      gain.gain.value = 0.5;
      tone.connect(gain).connect(out);
      tone.start();
      for (const track of out.stream.getAudioTracks()) stream.addTrack(track);
      return stream;
    };
  });
}

/** From now on, collects the `speaking(id, talking)` events the page's socket receives (see talkingHeard). */
export async function listenForTalking(page: Page): Promise<void> {
  await page.evaluate(() => {
    const heard: Array<[string, boolean]> = [];
    window.__talking = heard;
    window.__meet?.socket?.on('speaking', (id, talking) => heard.push([id, talking]));
  });
}

/** The `speaking` events heard since listenForTalking. */
export function talkingHeard(page: Page): Promise<Array<[string, boolean]>> {
  return page.evaluate(() => window.__talking ?? []);
}
