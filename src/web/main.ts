import { AckFailure } from './ack-failure';
import { Api } from './api';
import { authScreen, type AuthMode } from './auth-screen';
import { CallScreen } from './call';
import { show } from './dom';
import { homeScreen } from './home-screen';
import { codeFromPath } from './meeting-link';
import { prejoinScreen } from './prejoin-screen';
import { sessionStore, type Session } from './session';

const app = document.getElementById('app') ?? document.body;
const SESSION_ENDED = 'Your session ended; sign in again.';

let session: Session | null = sessionStore.load();
let call: CallScreen | null = null;
/** The pre-join screen's camera and microphone, let go when the page shows anything else. */
let closePreview = (): void => {};

const api = new Api(
  () => session?.token ?? null,
  () => {
    session = null;
    sessionStore.forget();
    // A call goes on; leaving it leads to the sign-in screen.
    if (!call) render(SESSION_ENDED, 'signin');
  },
);

/** The screen for the page's path (`/` or `/m/<code>`, the only two the server serves) and the session. */
function render(notice: string | null, mode?: AuthMode): void {
  closePreview();
  const code = codeFromPath(window.location.pathname);
  if (!session) {
    authScreen(app, { api, mode: mode ?? (code ? 'guest' : 'signin'), code, notice, onSignedIn: signedIn, onGuest: (at, name) => prejoin(at, name, true, null) });
    return;
  }
  const current = session;
  if (code) {
    prejoin(code, current.user.name, false, notice);
    return;
  }
  homeScreen(app, {
    api,
    session: current,
    notice,
    onStart: (at) => prejoin(at, current.user.name, false, null),
    onSignOut: () => void signOut(),
  });
}

function navigate(path: string, notice: string | null, mode?: AuthMode): void {
  if (window.location.pathname !== path) history.pushState(null, '', path);
  render(notice, mode);
}

function signedIn(started: Session): void {
  session = started;
  sessionStore.save(started);
  render(null);
}

async function signOut(): Promise<void> {
  try {
    await api.logout();
  } catch (failure) {
    // Signed out here all the same: the token is forgotten, and it expires on the server.
    console.warn('logout', failure);
  }
  session = null;
  sessionStore.forget();
  navigate('/', 'You signed out.', 'signin');
}

/** The pre-join check at the meeting's path, for a guest (who may change the name) or an account. */
function prejoin(code: string, name: string, guest: boolean, notice: string | null): void {
  const path = `/m/${encodeURIComponent(code)}`;
  if (window.location.pathname !== path) history.pushState(null, '', path);
  closePreview();
  const preview = prejoinScreen(app, {
    code,
    name,
    guest,
    notice,
    onJoin: ({ stream, name: chosen, problem }) => void startCall(code, chosen, stream, problem),
    onBack: () => (guest ? render(null, 'guest') : navigate('/', null)),
  });
  closePreview = () => preview.close();
}

/** Into a call as the session's account, or as a guest by name; what stops it is shown where the call leads back to. */
async function startCall(code: string, name: string, local: MediaStream, problem: string | null): Promise<void> {
  if (call) return;
  closePreview = () => {};
  const account = session;
  const screen = new CallScreen({ code, name, token: account?.token ?? null, local, notice: problem, onLeft: (reason) => left(account, reason) });
  call = screen;
  show(app, screen.root);
  try {
    await screen.join();
  } catch (reason) {
    const message = reason instanceof AckFailure || reason instanceof Error ? reason.message : String(reason);
    screen.leave(`Could not join: ${message}`);
    return;
  }
  // The server keeps attendance itself, but the history is what the client reports (POST add_to_activity).
  if (account) api.addToHistory(code).catch((failure: unknown) => console.warn('history', failure));
}

/** After a call: an account goes home (or to sign in, if its session ended meanwhile), a guest back to the guest form. */
function left(account: Session | null, reason: string | null): void {
  call = null;
  const notice = reason ?? 'You left the call.';
  if (!account) render(notice, 'guest');
  else if (!session) navigate('/', SESSION_ENDED, 'signin');
  else navigate('/', notice);
}

window.addEventListener('popstate', () => {
  if (call) call.leave(null);
  else render(null);
});

render(null);
