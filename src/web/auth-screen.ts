import { codeFromInput } from './meeting-link';
import type { Api } from './api';
import { el, show } from './dom';
import { field, FormFeedback, onSubmit } from './form';
import { PASSWORD_LABEL, passwordProblem } from './password-rule';
import type { Session } from './session';

/** The three ways in: an account's sign-in, a new account, or a guest's name for one meeting. */
export type AuthMode = 'signin' | 'signup' | 'guest';

export interface AuthScreenSetup {
  api: Api;
  mode: AuthMode;
  /** The meeting of the page's link, or '' on the home page. */
  code: string;
  /** Why the person is here (left a call, session ended), shown above the form. */
  notice: string | null;
  onSignedIn(session: Session): void;
  onGuest(code: string, name: string): void;
}

/** Signed out: one form at a time, with buttons to the other two ways. */
export function authScreen(app: HTMLElement, setup: AuthScreenSetup): void {
  const to = (mode: AuthMode) => () => authScreen(app, { ...setup, mode, notice: null });
  const notice = el('p', { class: 'notice', role: 'status' }, setup.notice ?? '');
  const form = setup.mode === 'signin' ? signInForm(setup) : setup.mode === 'signup' ? signUpForm(setup) : guestForm(setup);
  const others: Array<[AuthMode, string, string]> = [
    ['signin', 'Have an account?', 'Sign in'],
    ['signup', 'New here?', 'Create an account'],
    ['guest', 'Just joining a call?', 'Join as a guest'],
  ];
  const links = others
    .filter(([mode]) => mode !== setup.mode)
    .map(([mode, question, action]) => {
      const button = el('button', { type: 'button', class: 'link' }, action);
      button.addEventListener('click', to(mode));
      return el('p', {}, `${question} `, button);
    });
  show(app, el('div', { class: 'card' }, el('p', { class: 'brand' }, 'Meet'), notice, form, el('nav', { class: 'ways', 'aria-label': 'Other ways in' }, ...links)));
}

function signInForm(setup: AuthScreenSetup): HTMLFormElement {
  const username = field('signin-username', 'Username', { required: true, maxlength: '64', autocomplete: 'username', autofocus: true });
  const password = field('signin-password', 'Password', { type: 'password', required: true, maxlength: '1024', autocomplete: 'current-password' });
  const feedback = new FormFeedback({ username, password });
  const form = el('form', { class: 'stack' }, el('h1', {}, 'Sign in'), username.root, password.root, el('button', { type: 'submit' }, 'Sign in'), feedback.alert);
  onSubmit(form, feedback, async () => {
    setup.onSignedIn(await setup.api.login({ username: username.input.value.trim(), password: password.input.value }));
  });
  return form;
}

function signUpForm(setup: AuthScreenSetup): HTMLFormElement {
  const name = field('signup-name', 'Name', { required: true, maxlength: '100', autocomplete: 'name', autofocus: true });
  const username = field('signup-username', 'Username', { required: true, maxlength: '32', autocomplete: 'username' });
  const password = field('signup-password', PASSWORD_LABEL, { type: 'password', required: true, autocomplete: 'new-password' });
  const feedback = new FormFeedback({ name, username, password });
  const form = el(
    'form',
    { class: 'stack' },
    el('h1', {}, 'Create an account'),
    name.root,
    username.root,
    password.root,
    el('button', { type: 'submit' }, 'Create account'),
    feedback.alert,
  );
  onSubmit(form, feedback, async () => {
    const problem = passwordProblem(password.input.value);
    if (problem) {
      feedback.fieldProblem(password, problem);
      return;
    }
    const credentials = { username: username.input.value.trim(), password: password.input.value };
    await setup.api.register({ name: name.input.value.trim(), ...credentials });
    setup.onSignedIn(await setup.api.login(credentials));
  });
  return form;
}

/** The guest form as it has always been: 'Your name', the meeting code, 'Continue as guest'. */
function guestForm(setup: AuthScreenSetup): HTMLFormElement {
  const name = field('guest-name', 'Your name', { required: true, maxlength: '64', autocomplete: 'nickname', autofocus: true });
  const code = field('meeting-code', 'Meeting code', { required: true, maxlength: '200', value: setup.code, autocomplete: 'off' });
  name.input.value = sessionStorage.getItem('meet-name') ?? '';
  const form = el(
    'form',
    { class: 'stack' },
    el('h1', {}, 'Join a meeting'),
    name.root,
    code.root,
    el('button', { type: 'submit' }, 'Continue as guest'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('meet-name', name.input.value.trim());
    setup.onGuest(codeFromInput(code.input.value), name.input.value.trim());
  });
  return form;
}
