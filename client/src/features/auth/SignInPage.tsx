import { useState } from "preact/hooks";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import { login } from "../../api/auth";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Layout } from "../../components/Layout";
import { usePageTitle } from "../../components/usePageTitle";

type SignInState =
  | { kind: "editing" }
  | { kind: "submitting" }
  | { kind: "failed"; error: ApiError }
  | { kind: "signed-in"; user: UserDto };

/** `/` while signed out: the agents' sign-in form. The console replaces it once signed in. */
export function SignInPage() {
  usePageTitle("Sign in");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [state, setState] = useState<SignInState>({ kind: "editing" });

  const submit = async () => {
    setState({ kind: "submitting" });
    try {
      const user = await login({ email, password });
      setPassword("");
      setState({ kind: "signed-in", user });
    } catch (error) {
      setState({ kind: "failed", error: asApiError(error) });
    }
  };

  const error = state.kind === "failed" ? state.error : null;
  const emailError = error?.detailFor("email");
  const passwordError = error?.detailFor("password");

  return (
    <Layout>
      <h1>Greydesk</h1>
      {state.kind === "signed-in" ? (
        <p class="alert alert--success" role="status">
          Signed in as <strong>{state.user.name}</strong>.
        </p>
      ) : (
        <>
          <p class="lead">Sign in to the agent console.</p>
          <form
            class="form card"
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
            <button class="button" type="submit" disabled={state.kind === "submitting"}>
              {state.kind === "submitting" ? "Signing in…" : "Sign in"}
            </button>
          </form>
          <p class="muted">
            Not an agent? <a href="/portal">Open a support ticket</a> instead.
          </p>
        </>
      )}
    </Layout>
  );
}
