// What a browser without a session sees: no editor to mistake for a working
// one, just how to sign in. The server prints the link on every start.
import { KeyRound } from 'lucide-react';
import { SIGN_IN_MESSAGE } from '../api/client.js';

export function SignIn() {
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <span className="sign-in-icon" aria-hidden="true">
          <KeyRound size={22} />
        </span>
        <h1>Sign in to Sluice</h1>
        <p role="alert">{SIGN_IN_MESSAGE}</p>
        <p className="muted">
          It is the line after <q>Open this link to sign in:</q> in the terminal where{' '}
          <code>sluice start</code> runs, and looks like
        </p>
        <pre>http://127.0.0.1:4800/login?token=…</pre>
        <p className="muted">
          Lost it? Stop the server with Ctrl-C and start it again: it prints the link each time.
        </p>
      </div>
    </main>
  );
}
