import { capture } from './capture';
import { pickDevice, shownDevice, type DeviceChoice } from './device-choice';
import { DeviceSelect } from './device-select';
import { canChooseSpeaker, deviceChoiceStore, listDevices, openTrack } from './devices';
import { el, show } from './dom';
import { LevelMeter } from './level-meter';

export interface PrejoinSetup {
  code: string;
  /** The name to join with; a guest may change it here, an account's is fixed. */
  name: string;
  guest: boolean;
  notice: string | null;
  onJoin(ready: { stream: MediaStream; name: string; problem: string | null }): void;
  onBack(): void;
}

/**
 * Before the call: the self view, the microphone's level, camera and microphone on or off, which devices, the
 * name for a guest. What is chosen is remembered; a refused or missing device is said here, in words.
 */
export function prejoinScreen(app: HTMLElement, setup: PrejoinSetup): { close(): void } {
  let choice: DeviceChoice = deviceChoiceStore.load();
  let stream = new MediaStream();
  let problem: string | null = null;
  let closed = false;
  const video = el('video', { autoplay: true, muted: true, playsinline: true, 'aria-label': 'Your camera' });
  video.muted = true;
  const meter = new LevelMeter();
  const status = el('p', { class: 'notice', role: 'status' }, setup.notice ?? 'Starting your camera and microphone…');
  const cameraState = el('p', { class: 'camera-state' });
  const toggle = (label: string, on: () => boolean, flip: () => void) => {
    const button = el('button', { type: 'button', 'aria-pressed': String(on()) }, label);
    button.addEventListener('click', () => {
      flip();
      button.setAttribute('aria-pressed', String(on()));
      apply();
    });
    return button;
  };
  const cameraButton = toggle('Camera', () => choice.cameraOn, () => remember({ cameraOn: !choice.cameraOn }));
  const microphoneButton = toggle('Microphone', () => choice.microphoneOn, () => remember({ microphoneOn: !choice.microphoneOn }));
  const camera = new DeviceSelect('Camera', (id) => void replace('camera', id));
  const microphone = new DeviceSelect('Microphone', (id) => void replace('microphone', id));
  const speaker = new DeviceSelect('Speaker', (id) => remember({ speaker: id }));
  const name = el('input', { id: 'prejoin-name', required: true, maxlength: '64', autocomplete: 'nickname', value: setup.name });
  const join = el('button', { type: 'button', class: 'primary' }, `Join meeting ${setup.code}`);
  const back = el('button', { type: 'button', class: 'link' }, setup.guest ? 'Back' : 'Back to home');

  function remember(change: Partial<DeviceChoice>): void {
    choice = deviceChoiceStore.update(change);
  }

  function apply(): void {
    for (const track of stream.getVideoTracks()) track.enabled = choice.cameraOn;
    for (const track of stream.getAudioTracks()) track.enabled = choice.microphoneOn;
    const hasCamera = stream.getVideoTracks().length > 0;
    cameraState.textContent = !hasCamera ? 'No camera' : choice.cameraOn ? '' : 'Camera is off';
    video.classList.toggle('off', !hasCamera || !choice.cameraOn);
  }

  async function replace(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    try {
      const track = await openTrack(kind, deviceId);
      if (closed) return track.stop();
      for (const old of kind === 'camera' ? stream.getVideoTracks() : stream.getAudioTracks()) {
        stream.removeTrack(old);
        old.stop();
      }
      stream.addTrack(track);
      remember({ [kind]: deviceId });
      apply();
      if (kind === 'microphone') meter.listen(stream);
      status.textContent = '';
    } catch (error) {
      status.textContent = `That ${kind} could not be opened: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async function start(): Promise<void> {
    const captured = await capture({ camera: choice.camera, microphone: choice.microphone });
    if (closed) return captured.stream.getTracks().forEach((track) => track.stop());
    stream = captured.stream;
    problem = captured.problem;
    video.srcObject = stream;
    meter.listen(stream);
    apply();
    const lists = await listDevices();
    const [videoTrack, audioTrack] = [stream.getVideoTracks()[0], stream.getAudioTracks()[0]];
    camera.fill(videoTrack ? lists.camera : [], shownDevice(lists.camera, videoTrack?.getSettings().deviceId, choice.camera));
    microphone.fill(audioTrack ? lists.microphone : [], shownDevice(lists.microphone, audioTrack?.getSettings().deviceId, choice.microphone));
    speaker.fill(canChooseSpeaker() ? lists.speaker : [], pickDevice(lists.speaker, choice.speaker));
    status.textContent = problem ?? setup.notice ?? '';
    join.disabled = false;
  }

  function close(): void {
    if (closed) return;
    closed = true;
    meter.stop();
  }

  join.disabled = true;
  join.addEventListener('click', () => {
    const chosen = name.value.trim();
    if (setup.guest && !chosen) {
      status.textContent = 'Enter your name to join.';
      name.focus();
      return;
    }
    close();
    setup.onJoin({ stream, name: setup.guest ? chosen : setup.name, problem });
  });
  back.addEventListener('click', () => {
    close();
    for (const track of stream.getTracks()) track.stop();
    setup.onBack();
  });
  show(
    app,
    el(
      'main',
      { class: 'prejoin' },
      el('h1', {}, `Ready to join meeting ${setup.code}?`),
      status,
      el('div', { class: 'preview' }, video, cameraState),
      el('div', { class: 'prejoin-controls' }, microphoneButton, meter.root, cameraButton),
      camera.root,
      microphone.root,
      speaker.root,
      setup.guest ? el('p', { class: 'field' }, el('label', { for: 'prejoin-name' }, 'Your name'), name) : el('p', {}, `Joining as ${setup.name}.`),
      join,
      el('p', {}, back),
    ),
  );
  void start();
  return {
    close: () => {
      if (closed) return;
      close();
      for (const track of stream.getTracks()) track.stop();
    },
  };
}
