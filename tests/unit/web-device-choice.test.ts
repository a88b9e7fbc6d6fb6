import { NO_CHOICE, choiceStore, parseChoice, pickDevice, shownDevice, type DeviceChoice, type DeviceEntry } from '../../src/web/device-choice';

const cams: DeviceEntry[] = [
  { deviceId: 'front', label: 'Front camera' },
  { deviceId: 'usb', label: 'USB camera' },
];

describe('pickDevice: which device a call uses', () => {
  it.each<[string, DeviceEntry[], string | null, string | null]>([
    ['nothing remembered: the first listed (the default)', cams, null, 'front'],
    ['the remembered one, still plugged in', cams, 'usb', 'usb'],
    ['the remembered one is gone: the first listed', cams, 'unplugged', 'front'],
    ['no device at all', [], 'usb', null],
    ['no device and nothing remembered', [], null, null],
  ])('%s', (_what, devices, remembered, picked) => {
    expect(pickDevice(devices, remembered)).toBe(picked);
  });
});

describe('shownDevice: what a device list shows as chosen', () => {
  it.each<[string, string | undefined, string | null, string | null]>([
    ['the device the track comes from', 'usb', 'front', 'usb'],
    ['a track from a device not listed (a canvas, a virtual one): the remembered one', 'virtual-7', 'usb', 'usb'],
    ['a track that names no device: the remembered one', undefined, 'usb', 'usb'],
    ['neither listed: the first', 'virtual-7', 'gone', 'front'],
  ])('%s', (_what, inUse, remembered, shown) => {
    expect(shownDevice(cams, inUse, remembered)).toBe(shown);
  });
});

describe('parseChoice: a stored choice read back', () => {
  const full: DeviceChoice = { camera: 'usb', microphone: 'mic', speaker: 'hp', cameraOn: false, microphoneOn: true };
  it.each<[string, string | null, DeviceChoice]>([
    ['nothing stored', null, NO_CHOICE],
    ['not JSON', '{oops', NO_CHOICE],
    ['JSON but not an object', '42', NO_CHOICE],
    ['null', 'null', NO_CHOICE],
    ['a full choice', JSON.stringify(full), full],
    ['wrong types fall back field by field', JSON.stringify({ camera: 5, cameraOn: 'no', microphone: 'mic' }), { ...NO_CHOICE, microphone: 'mic' }],
    ['empty ids are no choice', JSON.stringify({ camera: '', speaker: '' }), NO_CHOICE],
  ])('%s', (_what, stored, choice) => {
    expect(parseChoice(stored)).toEqual(choice);
  });
});

describe('deviceChoiceStore', () => {
  it('saves and loads a choice', () => {
    const items = new Map<string, string>();
    const storage = { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
    const choice: DeviceChoice = { ...NO_CHOICE, camera: 'usb', cameraOn: false };
    choiceStore(storage).save(choice);
    expect(choiceStore(storage).load()).toEqual(choice);
    expect(choiceStore(storage).update({ speaker: 'hp' })).toEqual({ ...choice, speaker: 'hp' });
    expect(choiceStore(storage).load().speaker).toBe('hp');
  });

  it('a storage that throws gives the defaults', () => {
    const denied = (): never => {
      throw new Error('denied');
    };
    const store = choiceStore({ getItem: denied, setItem: denied });
    expect(store.load()).toEqual(NO_CHOICE);
    expect(store.update({ camera: 'usb' })).toEqual({ ...NO_CHOICE, camera: 'usb' });
  });
});
