import { pickDevice, shownDevice } from './device-choice';
import { DeviceSelect } from './device-select';
import { canChooseSpeaker, deviceChoiceStore, listDevices, playOn } from './devices';
import { el } from './dom';
import type { LocalMedia } from './local-media';

/** In the call: a button opening the choice of camera, microphone and speaker, switched without leaving. */
export class DeviceMenu {
  readonly root: HTMLElement;
  private readonly toggle = el('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'device-menu' }, 'Devices');
  private readonly panel = el('div', { id: 'device-menu', class: 'device-menu', role: 'group', 'aria-label': 'Devices' });
  private readonly camera = new DeviceSelect('Camera', (id) => void this.use('camera', id));
  private readonly microphone = new DeviceSelect('Microphone', (id) => void this.use('microphone', id));
  private readonly speaker = new DeviceSelect('Speaker', (id) => this.speak(id));

  constructor(
    private readonly media: LocalMedia,
    private readonly sound: () => Iterable<HTMLMediaElement>,
    private readonly say: (text: string) => void,
  ) {
    this.panel.hidden = true;
    this.panel.append(this.camera.root, this.microphone.root, this.speaker.root);
    this.toggle.addEventListener('click', () => void this.open(this.panel.hidden));
    this.root = el('div', { class: 'devices' }, this.toggle, this.panel);
  }

  /** The speaker chosen before joining (or since), for media elements added later. */
  get speakerId(): string | null {
    return canChooseSpeaker() ? deviceChoiceStore.load().speaker : null;
  }

  private async open(open: boolean): Promise<void> {
    this.panel.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (!open) return;
    const lists = await listDevices();
    const tracks = this.media.tracks;
    const remembered = deviceChoiceStore.load();
    this.camera.fill(lists.camera, shownDevice(lists.camera, tracks.camera?.getSettings().deviceId, remembered.camera));
    this.microphone.fill(lists.microphone, shownDevice(lists.microphone, tracks.audio?.getSettings().deviceId, remembered.microphone));
    this.speaker.fill(canChooseSpeaker() ? lists.speaker : [], pickDevice(lists.speaker, remembered.speaker));
  }

  private async use(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    try {
      await this.media.useDevice(kind, deviceId);
      deviceChoiceStore.update({ [kind]: deviceId });
    } catch (error) {
      this.say(`Switching the ${kind} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private speak(deviceId: string): void {
    deviceChoiceStore.update({ speaker: deviceId });
    playOn(this.sound(), deviceId);
  }
}
