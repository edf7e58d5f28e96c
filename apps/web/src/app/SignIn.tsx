// What a browser without a session sees: no editor to mistake for a working
// one, just how to sign in — the one-time link the server prints at each
// start, or the token pasted into a form (sent in a POST body, never a URL).
import { KeyRound } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { api, SIGN_IN_MESSAGE } from '../api/client.js';
import { signInNotice } from './sign-in-notice.js';

/** Read once: the page then drops `?sign-in=…` from the address. */
function takeNotice(): string | undefined {
  const location = globalThis.location;
  if (!location) return undefined;
  const notice = signInNotice(location.search);
  if (notice !== undefined) globalThis.history?.replaceState(null, '', location.pathname);
  return notice;
}

export function SignIn() {
  const [notice] = useState(takeNotice);
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const wrong = await api.signIn(token);
    setBusy(false);
    // Back to the address the page was opened at (a pipeline's, a job's): signed in, it opens.
    if (wrong === undefined) globalThis.location.replace(globalThis.location.href);
    else setProblem(wrong);
  };

  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <span className="sign-in-icon" aria-hidden="true">
          <KeyRound size={22} />
        </span>
        <h1>Sign in to Sluice</h1>
        <p role="alert">{problem ?? notice ?? SIGN_IN_MESSAGE}</p>
        <p className="muted">
          It is the line after <q>Open this link to sign in:</q> in the terminal where{' '}
          <code>sluice start</code> runs, and looks like
        </p>
        <pre>{`${globalThis.location?.origin ?? 'http://127.0.0.1:4800'}/login?code=…`}</pre>
        <p className="muted">
          Each link works once, within 24 hours; <code>sluice login</code> prints a new one. Or sign
          in with the token:
        </p>
        <form className="sign-in-form" onSubmit={(event) => void submit(event)}>
          <label htmlFor="sign-in-token">
            Token (the file <code>state/token</code> in the data directory, by default{' '}
            <code>.sluice/state/token</code>)
          </label>
          <input
            id="sign-in-token"
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
          <button className="button primary" type="submit" disabled={busy || token.trim() === ''}>
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
