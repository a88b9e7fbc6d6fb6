import type { DeviceEntry } from './device-choice';
import { el } from './dom';

let fields = 0;

/** A labelled <select> of devices; hidden while there is nothing to choose from. */
export class DeviceSelect {
  readonly root: HTMLElement;
  readonly select: HTMLSelectElement;

  constructor(label: string, onChange: (deviceId: string) => void) {
    const id = `device-${++fields}`;
    this.select = el('select', { id });
    this.select.addEventListener('change', () => onChange(this.select.value));
    this.root = el('p', { class: 'field' }, el('label', { for: id }, label), this.select);
    this.root.hidden = true;
  }

  fill(devices: readonly { deviceId: string; label: string }[], selected: string | null): void {
    this.select.replaceChildren(...devices.map((device: DeviceEntry) => el('option', { value: device.deviceId }, device.label)));
    if (selected) this.select.value = selected;
    this.root.hidden = devices.length === 0;
  }
}
