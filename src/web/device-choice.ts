/** What the person chose on the pre-join screen or in the call, remembered for the next call in this browser. */
export interface DeviceChoice {
  camera: string | null;
  microphone: string | null;
  speaker: string | null;
  cameraOn: boolean;
  microphoneOn: boolean;
}

/** What a device list shows as chosen: the device a track actually comes from when it is listed, else as pickDevice. */
export function shownDevice(devices: readonly DeviceEntry[], inUse: string | undefined, remembered: string | null): string | null {
  if (inUse && devices.some((device) => device.deviceId === inUse)) return inUse;
  return pickDevice(devices, remembered);
}

export const NO_CHOICE: DeviceChoice = { camera: null, microphone: null, speaker: null, cameraOn: true, microphoneOn: true };

const KEY = 'meet.devices';

/** A device as enumerateDevices lists it, reduced to what a choice needs. */
export interface DeviceEntry {
  deviceId: string;
  label: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A stored choice read back; anything missing or malformed falls back to the defaults rather than failing. */
export function parseChoice(stored: string | null): DeviceChoice {
  if (!stored) return NO_CHOICE;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return NO_CHOICE;
  }
  if (typeof value !== 'object' || value === null) return NO_CHOICE;
  const read = value as Record<string, unknown>;
  return {
    camera: text(read.camera),
    microphone: text(read.microphone),
    speaker: text(read.speaker),
    cameraOn: typeof read.cameraOn === 'boolean' ? read.cameraOn : true,
    microphoneOn: typeof read.microphoneOn === 'boolean' ? read.microphoneOn : true,
  };
}

/** The remembered device if it is still there; else the first listed (the browser's default); null when none is. */
export function pickDevice(devices: readonly DeviceEntry[], remembered: string | null): string | null {
  if (remembered && devices.some((device) => device.deviceId === remembered)) return remembered;
  return devices[0]?.deviceId ?? null;
}

/** Where a choice is kept: localStorage in the page. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Reading and writing never throw: storage refused (private mode, full) keeps the choice for this call only. */
export function choiceStore(storage: KeyValueStore) {
  const load = (): DeviceChoice => {
    try {
      return parseChoice(storage.getItem(KEY));
    } catch {
      return NO_CHOICE;
    }
  };
  const save = (choice: DeviceChoice): void => {
    try {
      storage.setItem(KEY, JSON.stringify(choice));
    } catch {
      // Not kept: the choice holds for this call only.
    }
  };
  return {
    load,
    save,
    update(change: Partial<DeviceChoice>): DeviceChoice {
      const next = { ...load(), ...change };
      save(next);
      return next;
    },
  };
}
