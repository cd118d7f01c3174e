/** Sign in with a user's name and password (slipway users add): the server sets the session cookie. */
import { useState } from "preact/hooks";
import { ApiError, call, setCsrf } from "../api/client";
import type { SignedIn } from "../session";

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

export function SignInPage({ signedIn }: { signedIn: (who: SignedIn) => void }) {
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      const session = await call("login", { body: { name: text(form, "name"), password: text(form, "password") } });
      setCsrf(session.csrf);
      signedIn({ actor: session.actor, role: session.role });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 429 ? "Too many attempts: wait a minute, then try again." : e instanceof ApiError && e.status === 401 ? "Wrong user name or password." : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <h1>Slipway</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby={error ? "signin-error" : undefined}>
        <label>
          User
          <input name="name" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p id="signin-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
