import { Router } from "express";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { z } from "zod";
import { NotFoundError, ValidationError } from "../errors/app-error";
import { zodDetails } from "../errors/zod-details";

/**
 * Who may call a route. Every route declares one; the router refuses a route without it.
 * `public`: anyone. `link`: the holder of a ticket link (the token in the path is the check).
 * `agent` and `admin`: a signed-in agent with that role (see auth/).
 */
export type Access = "public" | "link" | "agent" | "admin";

type Method = "get" | "post" | "patch" | "put" | "delete";

/** The parsed input of a route, typed from its schemas. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** Express path, relative to /api. */
  path: string;
  summary: string;
  access: Access;
  /**
   * What the path names ("Ticket"). Path parameters identify a resource, so malformed ones are
   * answered exactly like an unknown one: 404 "<notFound> not found", never a 400 format oracle.
   */
  notFound?: string;
  /** The status of a successful answer, for the OpenAPI document (default 200). */
  status?: 200 | 201 | 202 | 204;
  /** Features add the check for `agent` and `admin` routes; see `AccessGuards`. */
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Runs after the access check and before validation (rate limits, uploads). */
  before?: RequestHandler[];
  handler: (input: RouteInput<P, Q, B>, req: Request, res: Response) => void | Promise<void>;
}

/** Per-access middleware: how `agent` and `admin` are enforced is the auth module's business. */
export type AccessGuards = Record<Access, RequestHandler[]>;

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

  constructor(private readonly guards: AccessGuards) {}

  add<P, Q, B>(spec: RouteSpec<P, Q, B>): void {
    if (!spec.access) {
      throw new Error(`Route ${spec.method} ${spec.path} declares no access`);
    }
    this.routes.push(spec as RouteSpec);
    const run = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const input: RouteInput<P, Q, B> = {
        params: parsePart(spec.params, req.params, "params", spec.notFound),
        query: parsePart(spec.query, req.query, "query"),
        body: parsePart(spec.body, req.body, "body"),
      };
      await spec.handler(input, req, res);
      if (!res.headersSent) {
        next();
      }
    };
    this.router[spec.method](spec.path, ...this.guards[spec.access], ...(spec.before ?? []), run);
  }
}
