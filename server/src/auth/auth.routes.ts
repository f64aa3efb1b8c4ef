import { CsrfResponse, LoginResponse } from "../../../shared/contracts/http/auth";
import { UserResponse } from "../../../shared/contracts/http/tickets";
import type { Request, RequestHandler, Response } from "express";
import { ChangePasswordRequest, LoginRequest } from "../../../shared/contracts/http/auth";
import { AuthenticationError, toError } from "../errors/app-error";
import { NoContent } from "../http/api-router";
import type { ApiRouter } from "../http/api-router";
import type { AgentsService } from "../modules/agents/agents.service";
import type { Auth } from "./auth";
import { presentUser } from "./principal";
import type { AuthUser } from "./principal";
import { sessionKey } from "./session-store";

function authenticate(auth: Auth, req: Request, res: Response): Promise<AuthUser | false> {
  return new Promise((resolve, reject) => {
    const middleware = auth.passport.authenticate(
      "local",
      { session: false },
      (error: unknown, user: AuthUser | false) => {
        if (error) {
          reject(toError(error));
        } else {
          resolve(user);
        }
      },
    ) as RequestHandler;
    void middleware(req, res, (error: unknown) => reject(toError(error)));
  });
}

function callback(fn: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) =>
    fn((error) => (error ? reject(toError(error)) : resolve())),
  );
}

/** Sign-in, sign-out, who am I, the CSRF token, and changing one's own password. */
export function registerAuthRoutes(api: ApiRouter, auth: Auth, agents: AgentsService): void {
  api.add({
    method: "get",
    path: "/auth/csrf",
    summary:
      "A CSRF token (the session's, or signed out the sign-in form's); send it as X-CSRF-Token on every unsafe request",
    access: "public",
    response: CsrfResponse,
    // Session adapters: the CSRF token and the session live on the request.
    http: async (_ctx, req, res) => Promise.resolve({ token: auth.csrfToken(req, res) }),
  });

  api.add({
    method: "post",
    path: "/auth/login",
    summary: "Sign in with email and password; starts a new session",
    access: "public",
    response: LoginResponse,
    before: [auth.requireCsrf],
    body: LoginRequest,
    http: async ({ body }, req, res) => {
      const keys = { account: body.email.toLowerCase(), ip: req.ip ?? "unknown" };
      const user = await auth.passwords.check(keys, () => authenticate(auth, req, res));
      if (user === false) {
        throw new AuthenticationError("Wrong email or password");
      }
      // passport 0.7 regenerates the session here: the pre-login id (and CSRF token) are gone.
      await callback((done) => req.login(user, done));
      req.session.signedInAt = auth.clock.now().getTime();
      const csrfToken = auth.csrfToken(req, res, true);
      return { user: presentUser(user), csrfToken };
    },
  });

  api.add({
    method: "post",
    path: "/auth/logout",
    status: 204,
    summary: "Sign out: the session ends everywhere, and its sockets with it",
    access: "agent",
    response: NoContent,
    http: async (_ctx, req, res) => {
      await callback((done) => req.logout(done));
      await callback((done) => req.session.destroy(done));
      res.clearCookie(auth.cookieName, { path: "/" });
    },
  });

  api.add({
    method: "get",
    path: "/auth/me",
    summary: "The signed-in agent",
    access: "agent",
    response: UserResponse,
    handler: ({ user }) => ({ user: presentUser(user) }),
  });

  api.add({
    method: "post",
    path: "/auth/password",
    status: 204,
    summary: "Change one's own password; every other session of the agent ends",
    access: "agent",
    response: NoContent,
    body: ChangePasswordRequest,
    http: async ({ body, user }, req) => {
      // Guessing the current password is guessing the sign-in password: the same counts.
      const keys = { account: user.email.toLowerCase(), ip: req.ip ?? "unknown" };
      await agents.changeOwnPassword(
        user,
        body.currentPassword,
        body.newPassword,
        sessionKey(req.sessionID),
        (verify) => auth.passwords.check(keys, verify),
      );
    },
  });
}
