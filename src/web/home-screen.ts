import type { MeetingResponse } from '../adapters/http/schemas';
import type { Api } from './api';
import { el, show } from './dom';
import { field, FormFeedback, onSubmit } from './form';
import { codeFromInput, meetingLink } from './meeting-link';
import type { Session } from './session';

export interface HomeSetup {
  api: Api;
  session: Session;
  /** Why the person is back here (left a call), shown at the top. */
  notice: string | null;
  onStart(code: string): void;
  onSignOut(): void;
}

/** Signed in: create or join a meeting, their meetings, attendance and history, sign out. */
export function homeScreen(app: HTMLElement, setup: HomeSetup): void {
  const { user } = setup.session;
  const signOut = el('button', { type: 'button' }, 'Sign out');
  signOut.addEventListener('click', () => setup.onSignOut());
  const lists = [meetingsList(setup), attendanceList(setup), historyList(setup)];
  const refresh = el('button', { type: 'button' }, 'Refresh lists');
  refresh.addEventListener('click', () => lists.forEach((list) => list.load()));
  show(
    app,
    el(
      'div',
      { class: 'home' },
      el('header', { class: 'bar' }, el('p', { class: 'brand' }, 'Meet'), el('p', { class: 'who' }, `Signed in as ${user.name} (${user.username})`), signOut),
      el('p', { class: 'notice', role: 'status' }, setup.notice ?? ''),
      el('h1', {}, `Hello, ${user.name}`),
      el('div', { class: 'panels' }, createPanel(setup, () => lists[0]?.load()), joinPanel(setup)),
      el('div', { class: 'toolbar' }, refresh),
      ...lists.map((list) => list.root),
    ),
  );
  for (const list of lists) list.load();
}

function section(id: string, title: string, ...children: Node[]): HTMLElement {
  return el('section', { class: 'panel', 'aria-labelledby': id }, el('h2', { id }, title), ...children);
}

function createPanel(setup: HomeSetup, created: () => void): HTMLElement {
  const title = field('meeting-title', 'Title (optional)', { maxlength: '200', autocomplete: 'off' });
  const lobby = el('input', { type: 'checkbox', id: 'meeting-lobby', name: 'lobby' });
  const feedback = new FormFeedback({ title });
  const result = el('div', { class: 'created' });
  const form = el(
    'form',
    { class: 'stack' },
    title.root,
    el('p', { class: 'check' }, lobby, el('label', { for: 'meeting-lobby' }, 'Let people in myself (lobby)')),
    el('button', { type: 'submit' }, 'Create meeting'),
    feedback.alert,
  );
  onSubmit(form, feedback, async () => {
    const meeting = await setup.api.createMeeting({ title: title.input.value.trim() || undefined, lobby: lobby.checked });
    title.input.value = '';
    result.replaceChildren(createdMeeting(setup, meeting));
    created();
  });
  return section('create-heading', 'New meeting', form, result);
}

/** A new meeting's link to share, with a copy button, and the button that starts its call. */
function createdMeeting(setup: HomeSetup, meeting: MeetingResponse): HTMLElement {
  const link = meetingLink(window.location.origin, meeting.code);
  const input = el('input', { id: 'meeting-link', readonly: true, value: link });
  const status = el('span', { class: 'copied', role: 'status' });
  const copy = el('button', { type: 'button' }, 'Copy link');
  copy.addEventListener('click', () => {
    input.select();
    // The Clipboard API needs a secure context: on plain http the link is left selected to copy by hand.
    const copied = navigator.clipboard ? navigator.clipboard.writeText(link) : Promise.reject(new Error('no clipboard'));
    copied.then(
      () => (status.textContent = 'Link copied.'),
      () => (status.textContent = 'Press Ctrl+C (or ⌘C) to copy the selected link.'),
    );
  });
  const start = el('button', { type: 'button', class: 'primary' }, 'Start');
  start.addEventListener('click', () => setup.onStart(meeting.code));
  return el(
    'div',
    { class: 'stack' },
    el('p', {}, 'Created ', el('strong', {}, meeting.title || meeting.code), '. Share its link:'),
    el('p', { class: 'field' }, el('label', { for: 'meeting-link' }, 'Meeting link'), input),
    el('p', { class: 'actions' }, copy, start, status),
  );
}

function joinPanel(setup: HomeSetup): HTMLElement {
  const code = field('join-code', 'Meeting code or link', { required: true, maxlength: '2000', autocomplete: 'off' });
  const feedback = new FormFeedback();
  const form = el('form', { class: 'stack' }, code.root, el('button', { type: 'submit' }, 'Join'), feedback.alert);
  onSubmit(form, feedback, async () => {
    const parsed = codeFromInput(code.input.value);
    if (!parsed) throw new Error('That link names no meeting: paste a link like …/m/abc-defg-hij, or type the code.');
    setup.onStart(parsed);
  });
  return section('join-heading', 'Join a meeting', form);
}

interface LoadedList {
  root: HTMLElement;
  load(): void;
}

/** A section whose list is fetched on load and on refresh; its failure is shown in its own alert. */
function loadedList<T>(id: string, title: string, empty: string, fetchItems: () => Promise<T[]>, item: (value: T) => HTMLElement): LoadedList {
  const list = el('ul', { class: 'list' });
  const feedback = new FormFeedback();
  const placeholder = el('p', { class: 'muted' }, 'Loading…');
  const root = section(id, title, placeholder, list, feedback.alert);
  root.setAttribute('aria-busy', 'true');
  return {
    root,
    load() {
      root.setAttribute('aria-busy', 'true');
      fetchItems()
        .then((items) => {
          feedback.clear();
          list.replaceChildren(...items.map(item));
          placeholder.textContent = items.length ? '' : empty;
        })
        .catch((failure: unknown) => feedback.show(failure))
        .finally(() => root.setAttribute('aria-busy', 'false'));
    },
  };
}

function meetingsList(setup: HomeSetup): LoadedList {
  return loadedList('meetings-heading', 'Your meetings', 'None yet: create one above.', () => setup.api.myMeetings(), (meeting) => {
    const start = el('button', { type: 'button', 'aria-label': `Start ${meeting.title || meeting.code}` }, 'Start');
    start.addEventListener('click', () => setup.onStart(meeting.code));
    const details = [meeting.code, meeting.lobby ? 'lobby' : '', `created ${when(meeting.createdAt)}`].filter(Boolean).join(' · ');
    return el('li', {}, el('div', {}, el('strong', {}, meeting.title || 'Untitled'), el('p', { class: 'muted' }, details)), start);
  });
}

function attendanceList(setup: HomeSetup): LoadedList {
  return loadedList(
    'attendance-heading',
    'Attendance',
    'No calls attended yet.',
    async () => (await setup.api.attendance()).attendance,
    (record) => el('li', {}, el('div', {}, el('strong', {}, record.meetingCode), el('p', { class: 'muted' }, `${when(record.joinedAt)} · ${duration(record.durationSeconds)}`))),
  );
}

function historyList(setup: HomeSetup): LoadedList {
  return loadedList('history-heading', 'History', 'No meetings joined yet.', () => setup.api.history(), (entry) => {
    const again = el('button', { type: 'button', 'aria-label': `Join ${entry.meetingCode} again` }, 'Join');
    again.addEventListener('click', () => setup.onStart(entry.meetingCode));
    return el('li', {}, el('div', {}, el('strong', {}, entry.meetingCode), el('p', { class: 'muted' }, when(entry.date))), again);
  });
}

function when(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

function duration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours) return `${hours} h ${minutes} min`;
  if (minutes) return `${minutes} min ${seconds % 60} s`;
  return `${seconds} s`;
}
