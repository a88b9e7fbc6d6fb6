import { CallScreen } from './call';
import { el, show } from './dom';
import { AckFailure } from './signaling';

const app = document.getElementById('app') ?? document.body;

/** `/m/<code>` names the meeting; anything else is the home page. */
function codeFromPath(): string {
  const match = /^\/m\/([^/]+)\/?$/.exec(window.location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : '';
}

function field(id: string, label: string, attributes: Record<string, string | boolean>): [HTMLElement, HTMLInputElement] {
  const input = el('input', { id, name: id, required: true, ...attributes });
  return [el('p', { class: 'field' }, el('label', { for: id }, label), input), input];
}

function guestScreen(notice: string | null): void {
  const [nameField, name] = field('guest-name', 'Your name', { maxlength: '64', autocomplete: 'nickname', autofocus: true });
  const [codeField, code] = field('meeting-code', 'Meeting code', { maxlength: '200', value: codeFromPath(), autocomplete: 'off' });
  name.value = sessionStorage.getItem('meet-name') ?? '';
  const error = el('p', { class: 'error', role: 'alert' }, notice ?? '');
  const form = el('form', { class: 'card' }, el('h1', {}, 'Join a meeting'), nameField, codeField, el('button', { type: 'submit' }, 'Continue as guest'), error);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('meet-name', name.value.trim());
    void startCall(code.value.trim(), name.value.trim(), error);
  });
  show(app, form);
}

async function startCall(code: string, name: string, error: HTMLElement): Promise<void> {
  let local: MediaStream;
  try {
    local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
  } catch (reason) {
    error.textContent = `Camera or microphone refused: ${reason instanceof Error ? reason.message : String(reason)}`;
    return;
  }
  const path = `/m/${encodeURIComponent(code)}`;
  if (window.location.pathname !== path) history.pushState(null, '', path);
  const call = new CallScreen({ code, name, token: null, local, onLeft: (reason) => guestScreen(reason ?? 'You left the call.') });
  show(app, call.root);
  try {
    await call.join();
  } catch (reason) {
    const message = reason instanceof AckFailure || reason instanceof Error ? reason.message : String(reason);
    call.leave(`Could not join: ${message}`);
  }
}

guestScreen(null);
