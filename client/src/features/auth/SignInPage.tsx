import { useEffect, useRef, useState } from "preact/hooks";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import { login } from "../../api/auth";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Layout } from "../../components/Layout";
import { usePageTitle } from "../../components/usePageTitle";

/** `/` while signed out: the agents' sign-in form. */
export function SignInPage({
  notice,
  onSignedIn,
}: {
  /** Why the agent is here again (a session that ended), shown above the form. */
  notice?: string;
  onSignedIn: (user: UserDto) => void;
}) {
  usePageTitle("Sign in");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  useEffect(() => emailInput.current?.focus(), []);

  const submit = async () => {
    setSubmitting(true);
    setError(null);
    try {
      const user = await login({ email, password });
      setPassword("");
      onSignedIn(user);
    } catch (failure) {
      const apiError = asApiError(failure);
      setError(apiError);
      setSubmitting(false);
      // Put the agent where the fix is: the email when it is the problem, else the password.
      if (apiError.detailFor("email") !== undefined) {
        emailInput.current?.focus();
      } else {
        setPassword("");
        passwordInput.current?.focus();
      }
    }
  };

  const emailError = error?.detailFor("email");
  const passwordError = error?.detailFor("password");

  return (
    <Layout>
      <h1>Sign in to Greydesk</h1>
      <p class="lead">The agent console: the queue, tickets and handsets, live.</p>
      {notice !== undefined && error === null && (
        <p class="alert alert--info" role="status">
          {notice}
        </p>
      )}
      <form
        class="form card"
        aria-label="Sign in"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {error !== null && <ErrorMessage error={error} title="You are not signed in" />}
        <div class="field">
          <label for="signin-email">Email</label>
          <input
            id="signin-email"
            ref={emailInput}
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            aria-invalid={emailError !== undefined}
            aria-describedby={emailError !== undefined ? "signin-email-error" : undefined}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
          {emailError !== undefined && (
            <p class="field__error" id="signin-email-error">
              {emailError}
            </p>
          )}
        </div>
        <div class="field">
          <label for="signin-password">Password</label>
          <input
            id="signin-password"
            ref={passwordInput}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            aria-invalid={passwordError !== undefined}
            aria-describedby={passwordError !== undefined ? "signin-password-error" : undefined}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
          {passwordError !== undefined && (
            <p class="field__error" id="signin-password-error">
              {passwordError}
            </p>
          )}
        </div>
        <button class="button" type="submit" disabled={submitting}>
          {submitting ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p class="muted">
        Not an agent? <a href="/portal">Open a support ticket</a> instead.
      </p>
    </Layout>
  );
}
