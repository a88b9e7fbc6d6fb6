import { choiceStore, type DeviceEntry } from './device-choice';

export interface DeviceLists {
  camera: DeviceEntry[];
  microphone: DeviceEntry[];
  speaker: DeviceEntry[];
}

const KINDS: Record<string, keyof DeviceLists> = { videoinput: 'camera', audioinput: 'microphone', audiooutput: 'speaker' };

/** The devices by kind; labels are empty before any permission, so they are numbered then. */
export async function listDevices(): Promise<DeviceLists> {
  const lists: DeviceLists = { camera: [], microphone: [], speaker: [] };
  const all = await navigator.mediaDevices.enumerateDevices().catch(() => []);
  for (const device of all) {
    const kind = KINDS[device.kind];
    if (!kind || device.deviceId === '') continue;
    const list = lists[kind];
    list.push({ deviceId: device.deviceId, label: device.label || `${kind} ${list.length + 1}` });
  }
  return lists;
}

/** Whether the browser lets the page choose where sound plays (HTMLMediaElement.setSinkId). */
export const canChooseSpeaker = (): boolean => 'setSinkId' in HTMLMediaElement.prototype;

/** Plays the media elements' sound on `speaker`, where the browser can. */
export function playOn(elements: Iterable<HTMLMediaElement>, speaker: string | null): void {
  if (!speaker || !canChooseSpeaker()) return;
  for (const element of elements) element.setSinkId(speaker).catch((error: unknown) => console.warn('setSinkId', error));
}

export const CAMERA_SIZE = { width: 640, height: 360 };

/** One track from the chosen device, or the default one. */
export async function openTrack(kind: 'camera' | 'microphone', deviceId: string | null): Promise<MediaStreamTrack> {
  const device = deviceId ? { deviceId: { exact: deviceId } } : {};
  const constraints = kind === 'camera' ? { video: { ...CAMERA_SIZE, ...device } } : { audio: device };
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  const track = stream.getTracks()[0];
  if (!track) throw new Error(`no ${kind} track`);
  return track;
}

/** The remembered choice, in this browser's localStorage (read when used: storage may be refused). */
export const deviceChoiceStore = choiceStore({ getItem: (key) => localStorage.getItem(key), setItem: (key, value) => localStorage.setItem(key, value) });
