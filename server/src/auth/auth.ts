import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import session from "express-session";
import { csrfSync } from "csrf-sync";
import type { Clock } from "../clock";
import type { Config } from "../config/config";
import type { Database } from "../db/database";
import { AppError, AuthenticationError, ForbiddenError } from "../errors/app-error";
import type { AccessGuards } from "../http/api-router";
import {
  ACCOUNT_POLICY,
  IP_POLICY,
  LoginThrottle,
  MemoryThrottleStore,
  PasswordGuard,
} from "./login-throttle";
import type { ThrottleStore } from "./login-throttle";
import { createPassport } from "./passport";
import type { PassportInstance } from "./passport";
import { allows } from "./policy";
import type { Principal } from "./policy";
import { TypeormSessionStore } from "./session-store";

/** A session ends after this long without a request... */
export const IDLE_TIMEOUT_MS = 2 * 3600_000;
/** ...and in any case this long after sign-in. */
export const ABSOLUTE_TIMEOUT_MS = 12 * 3600_000;

export interface Auth {
  passport: PassportInstance;
  store: TypeormSessionStore;
  /** express-session + passport.session() + the absolute timeout, for /api and the socket handshake. */
  sessionChain: RequestHandler[];
  guards: AccessGuards;
  /** Refuses an unsafe request without a valid X-CSRF-Token (403 csrf_failed). */
  requireCsrf: RequestHandler;
  /**
   * The CSRF token of the caller: a signed-in agent's is kept in their session (`overwrite`
   * makes a new one); a signed-out caller's is derived from a nonce cookie set here, so that
   * no session is stored for anyone who has not signed in.
   */
  csrfToken(req: Request, res: Response, overwrite?: boolean): string;
  cookieName: string;
  clock: Clock;
  /** Counts wrong passwords (sign-in, password change) per account and per address. */
  passwords: PasswordGuard;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function principalOf(req: Parameters<RequestHandler>[0]): Principal {
  return req.user ? { kind: "agent", user: req.user } : { kind: "anonymous" };
}

/** Sessions, Passport, CSRF and the access guards of every route, wired once per app. */
export function createAuth(
  config: Readonly<Config>,
  db: Database,
  secret: string,
  clock: Clock,
  throttleStore: ThrottleStore = new MemoryThrottleStore(),
): Auth {
  const production = config.env === "production";
  const store = new TypeormSessionStore(db);
  const passport = createPassport(db);
  // __Host- binds the cookie to this origin over HTTPS; plain-HTTP development cannot use it.
  const cookieName = production ? "__Host-greydesk.sid" : "greydesk.sid";
  const csrfCookieName = production ? "__Host-greydesk.csrf" : "greydesk.csrf";
  const sessionMiddleware = session({
    name: cookieName,
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.trustProxy > 0,
    cookie: {
      httpOnly: true,
      sameSite: "lax",
      secure: production,
      path: "/",
      maxAge: IDLE_TIMEOUT_MS,
    },
  });
  const absoluteTimeout: RequestHandler = (req, _res, next) => {
    const signedInAt = req.session?.signedInAt;
    if (
      req.user &&
      (signedInAt === undefined || clock.now().getTime() - signedInAt > ABSOLUTE_TIMEOUT_MS)
    ) {
      req.user = undefined;
      req.session.destroy((error) => next(error));
      return;
    }
    next();
  };

  // Signed in: a synchronizer token kept in the session (csrf-sync).
  const { generateToken, isRequestValid } = csrfSync({
    getTokenFromRequest: (req) => {
      const header = req.headers["x-csrf-token"];
      return typeof header === "string" ? header : undefined;
    },
  });
  // Signed out (the sign-in form): a random nonce in an HttpOnly cookie, and as token its HMAC
  // under a key derived from the session secret. A page elsewhere can neither read the cookie
  // nor send the header, and cannot make a token for a nonce. Nothing is stored: see
  // docs/SECURITY.md on sessions and CSRF.
  const signedOutKey = createHmac("sha256", secret).update("greydesk signed-out csrf").digest();
  const signedOutToken = (nonce: string) =>
    createHmac("sha256", signedOutKey).update(nonce).digest("base64url");
  const nonceOf = (req: Request): string | undefined => {
    const value = cookieValue(req.headers.cookie, csrfCookieName);
    return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
  };
  const signedOutValid = (req: Request): boolean => {
    const nonce = nonceOf(req);
    const header = req.headers["x-csrf-token"];
    if (nonce === undefined || typeof header !== "string") {
      return false;
    }
    const expected = Buffer.from(signedOutToken(nonce));
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const csrfToken = (req: Request, res: Response, overwrite = false): string => {
    if (req.user) {
      return generateToken(req, overwrite);
    }
    const nonce = (!overwrite && nonceOf(req)) || randomBytes(32).toString("base64url");
    res.cookie(csrfCookieName, nonce, {
      httpOnly: true,
      sameSite: "strict",
      secure: production,
      path: "/",
      maxAge: IDLE_TIMEOUT_MS,
    });
    return signedOutToken(nonce);
  };
  const requireCsrf: RequestHandler = (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || (req.user ? isRequestValid(req) : signedOutValid(req))) {
      return next();
    }
    next(
      new AppError("csrf_failed", "Missing or invalid X-CSRF-Token header; fetch /api/auth/csrf"),
    );
  };

  const requireAgent: RequestHandler = (req, _res, next) => {
    next(allows("agent", principalOf(req)) ? undefined : new AuthenticationError());
  };
  const requireAdmin: RequestHandler = (req, _res, next) => {
    next(
      allows("admin", principalOf(req)) ? undefined : new ForbiddenError("Only admins may do this"),
    );
  };

  return {
    passport,
    store,
    cookieName,
    clock,
    passwords: new PasswordGuard(
      new LoginThrottle(ACCOUNT_POLICY, throttleStore, "greydesk:login:account:", () =>
        clock.now().getTime(),
      ),
      new LoginThrottle(IP_POLICY, throttleStore, "greydesk:login:ip:", () =>
        clock.now().getTime(),
      ),
    ),
    sessionChain: [sessionMiddleware, passport.session() as RequestHandler, absoluteTimeout],
    requireCsrf,
    csrfToken,
    guards: {
      public: [],
      link: [],
      agent: [requireAgent, requireCsrf],
      admin: [requireAgent, requireCsrf, requireAdmin],
    },
  };
}

/** Cookie `name` in a Cookie header: the first, as browsers send the most specific first. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(0, at).trim() === name) {
      return pair.slice(at + 1).trim();
    }
  }
  return undefined;
}
