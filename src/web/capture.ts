import { CAMERA_SIZE } from './devices';

/** What the page could capture, and, when it is less than camera and microphone, why in words. */
export interface Captured {
  stream: MediaStream;
  problem: string | null;
}

/** The devices to ask for first (remembered ones); another is taken if they are gone. */
export interface Wanted {
  camera: string | null;
  microphone: string | null;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const device = (id: string | null): MediaTrackConstraints => (id ? { deviceId: { ideal: id } } : {});

/**
 * Camera and microphone; failing that, each alone; failing that, nothing: a person whose camera is refused or
 * missing still joins, sees and hears the others, and is told what the others do not get from them.
 */
export async function capture(wanted: Wanted = { camera: null, microphone: null }): Promise<Captured> {
  const audio = device(wanted.microphone);
  const video = { ...CAMERA_SIZE, ...device(wanted.camera) };
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio, video }), problem: null };
  } catch (both) {
    const [microphone, camera] = await Promise.allSettled([navigator.mediaDevices.getUserMedia({ audio }), navigator.mediaDevices.getUserMedia({ video })]);
    const stream = new MediaStream();
    for (const got of [microphone, camera]) if (got.status === 'fulfilled') for (const track of got.value.getTracks()) stream.addTrack(track);
    if (microphone.status === 'fulfilled' && camera.status === 'fulfilled') return { stream, problem: null };
    if (microphone.status === 'fulfilled') return { stream, problem: `Camera refused or unavailable (${reasonOf(camera.status === 'rejected' ? camera.reason : both)}): the others hear you but do not see you.` };
    if (camera.status === 'fulfilled') return { stream, problem: `Microphone refused or unavailable (${reasonOf(microphone.reason)}): the others see you but do not hear you.` };
    return { stream, problem: `Camera and microphone refused or unavailable (${reasonOf(both)}): you see and hear the others; they neither see nor hear you.` };
  }
}
