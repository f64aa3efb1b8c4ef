import { Router } from "express";
import type { Request, RequestHandler, Response } from "express";
import type { z } from "zod";
import type { AuthUser } from "../auth/principal";
import { AppError, NotFoundError, ValidationError } from "../errors/app-error";
import { zodDetails } from "../errors/zod-details";

/**
 * Who may call a route. Every route declares one; the router refuses a route without it.
 * `public`: anyone. `link`: the holder of a ticket link (the token in the path is the check).
 * `agent` and `admin`: a signed-in agent with that role (see auth/).
 */
export type Access = "public" | "link" | "agent" | "admin";

type Method = "get" | "post" | "patch" | "put" | "delete";

/**
 * What a handler is given: the validated input and who is asking. On `agent` and `admin` routes
 * the guards have run, so `user` is the signed-in agent; elsewhere it is whoever the session
 * names, if anyone.
 */
export interface HandlerContext<A extends Access, P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: A extends "agent" | "admin" ? AuthUser : AuthUser | null;
  /** Answer with another status than the route's (201 for a first, 200 for a repeat; 503 health). */
  setStatus: (status: 200 | 201 | 503) => void;
}

/** A route whose answer is not JSON (a file, a CSV export): the adapter writes it itself. */
export interface FileResponse {
  contentType: string;
  description: string;
}

export interface RouteSpec<
  A extends Access = Access,
  P = unknown,
  Q = unknown,
  B = unknown,
  R = unknown,
> {
  method: Method;
  /** Express path, relative to /api. */
  path: string;
  summary: string;
  access: A;
  /**
   * What the path names ("Ticket"). Path parameters identify a resource, so malformed ones are
   * answered exactly like an unknown one: 404 "<notFound> not found", never a 400 format oracle.
   */
  notFound?: string;
  /** The status of a successful answer (default 200); 204 sends no body. */
  status?: 200 | 201 | 204;
  /** Features add the check for `agent` and `admin` routes; see `AccessGuards`. */
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * The body of a successful answer (from shared/contracts/http). The OpenAPI document carries
   * it, and in test mode every answer is checked against it before it is sent.
   */
  response: z.ZodType<R>;
  /** Set when the answer is a file written by an `http` adapter rather than JSON. */
  file?: FileResponse;
  /** Runs after the access check and before validation (rate limits, uploads). */
  before?: RequestHandler[];
  /** The route's logic: returns the body; the router sends it with `status`. */
  handler?: (ctx: HandlerContext<A, P, Q, B>) => R | Promise<R>;
  /**
   * The escape hatch for HTTP adapters (uploads, downloads, sessions): the request and response
   * too. It returns the body to send, or writes the answer itself (a file) and returns nothing.
   */
  http?: (ctx: HandlerContext<A, P, Q, B>, req: Request, res: Response) => Promise<R>;
}

/** Per-access middleware: how `agent` and `admin` are enforced is the auth module's business. */
export type AccessGuards = Record<Access, RequestHandler[]>;

/** A successful answer that does not match its route's declared schema (test mode only). */
export interface ResponseMismatch {
  route: string;
  issues: string;
}

/**
 * What the router saw in test mode: the routes whose successful answers were checked, and the
 * answers that did not match their schema. Tests read it (test/support/hooks.ts).
 */
export interface ResponseCheck {
  /** Every route an app declared. */
  declared: Set<string>;
  checked: Set<string>;
  mismatches: ResponseMismatch[];
}

/**
 * The record of this process's test-mode checks: every app built with `env: "test"` writes
 * here, and the test suite's hooks read it (test/support/hooks.ts).
 */
export const testResponseCheck: ResponseCheck = {
  declared: new Set(),
  checked: new Set(),
  mismatches: [],
};

export interface ApiRouterOptions {
  /** Check every successful answer against its route's schema (test mode; costs time). */
  check?: ResponseCheck;
}

export { NoContent } from "../../../shared/contracts/http/common";

export function routeKey(spec: { method: string; path: string }): string {
  return `${spec.method.toUpperCase()} ${spec.path}`;
}

function parsePart<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  where: "params" | "query" | "body",
  notFound = "Resource",
): T {
  if (schema === undefined) {
    return undefined as T;
  }
  const result = schema.safeParse(value ?? (where === "body" ? undefined : {}));
  if (!result.success) {
    if (where === "params") {
      throw new NotFoundError(notFound);
    }
    const prefix = where === "body" ? "" : `${where}.`;
    throw new ValidationError(
      where === "body" ? "The request is not valid" : `The ${where} are not valid`,
      zodDetails(result.error, value, prefix),
    );
  }
  return result.data;
}

/**
 * An Express router whose routes are declared as data: method, path, access, schemas, handler.
 * The list of routes is kept, so tests can walk it and the OpenAPI document can be built from it.
 */
export class ApiRouter {
  readonly router = Router();
  readonly routes: RouteSpec[] = [];

  constructor(
    private readonly guards: AccessGuards,
    private readonly options: ApiRouterOptions = {},
  ) {}

  add<A extends Access, P, Q, B, R>(spec: RouteSpec<A, P, Q, B, R>): void {
    if (!spec.access) {
      throw new Error(`Route ${spec.method} ${spec.path} declares no access`);
    }
    if ((spec.handler === undefined) === (spec.http === undefined)) {
      throw new Error(`Route ${spec.method} ${spec.path} needs exactly one of handler and http`);
    }
    this.routes.push(spec as unknown as RouteSpec);
    const key = routeKey(spec);
    const check = this.options.check;
    check?.declared.add(key);
    const status = spec.status ?? 200;
    const run = async (req: Request, res: Response): Promise<void> => {
      let answerStatus: number = status;
      const ctx = {
        params: parsePart(spec.params, req.params, "params", spec.notFound),
        query: parsePart(spec.query, req.query, "query"),
        body: parsePart(spec.body, req.body, "body"),
        // The guards of `agent` and `admin` routes have refused a request without a user.
        user: req.user ?? null,
        setStatus: (chosen: 200 | 201 | 503) => {
          answerStatus = chosen;
        },
      } as HandlerContext<A, P, Q, B>;
      const body = spec.handler
        ? await spec.handler(ctx)
        : await (spec.http as NonNullable<typeof spec.http>)(ctx, req, res);
      if (res.headersSent) {
        // An adapter wrote the answer itself (a file).
        if (check !== undefined && spec.file !== undefined) {
          check.checked.add(key);
        }
        return;
      }
      if (check !== undefined) {
        const result = spec.response.safeParse(body);
        if (!result.success) {
          const issues = result.error.issues
            .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
            .join("; ");
          check.mismatches.push({ route: key, issues });
          throw new AppError(
            "internal_error",
            `The answer of ${key} does not match its schema: ${issues}`,
          );
        }
        check.checked.add(key);
      }
      if (status === 204) {
        res.status(204).end();
        return;
      }
      res.status(answerStatus).json(body);
    };
    this.router[spec.method](spec.path, ...this.guards[spec.access], ...(spec.before ?? []), run);
  }
}
