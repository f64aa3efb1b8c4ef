import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ERROR_CODES } from "../../../shared/errors";
import type { ApiRouter, RouteSpec } from "./api-router";

const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});

/** The document in outline: what a client relies on to find its way. */
const OpenApiDocument = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.looseObject({ operationId: z.string() }))),
});

const SUCCESS = { 200: "OK", 201: "Created", 204: "Done, no content" } as const;

/**
 * A stable, unique name for each operation, from its method and path:
 * `GET /tickets/:id/events` -> `getTicketsByIdEvents`.
 */
export function operationIdOf(spec: { method: string; path: string }): string {
  const words = spec.path
    .split(/[/.-]/)
    .filter((part) => part !== "")
    .map((part) => (part.startsWith(":") ? `by_${part.slice(1)}` : part))
    .flatMap((part) => part.split("_"))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return spec.method + words.join("");
}

/** `/tickets/:id` -> `/api/tickets/{id}` */
function openApiPath(path: string): string {
  return `/api${path.replace(/:([A-Za-z_]+)/g, "{$1}")}`;
}

function responsesFor(spec: RouteSpec): RouteConfig["responses"] {
  const error = (description: string) => ({
    description,
    content: { "application/json": { schema: ErrorBody } },
  });
  const status = spec.status ?? 200;
  const success =
    spec.file !== undefined
      ? {
          description: spec.file.description,
          content: {
            [spec.file.contentType]: { schema: { type: "string" as const, format: "binary" } },
          },
        }
      : status === 204
        ? { description: SUCCESS[status] }
        : {
            description: SUCCESS[status],
            content: { "application/json": { schema: spec.response } },
          };
  const responses: RouteConfig["responses"] = {
    [status]: success,
    400: error("validation_failed: the body, query or path is not valid; details name each field"),
    429: error("rate_limited"),
    500: error("internal_error"),
  };
  if (spec.access === "agent" || spec.access === "admin") {
    responses[401] = error("authentication_required: no session");
    responses[403] = error(
      spec.access === "admin"
        ? "csrf_failed, or forbidden for agents that are not admins"
        : "csrf_failed",
    );
  }
  if (spec.params !== undefined || spec.access === "link") {
    responses[404] = error("not_found");
  }
  return responses;
}

/**
 * The OpenAPI 3.1 document of every declared route, from the same zod schemas that validate
 * requests. Built once per app.
 */
export function buildOpenApiDocument(api: ApiRouter): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "greydesk.sid",
    description:
      "The session cookie set by POST /api/auth/login (__Host-greydesk.sid in production)",
  });
  registry.registerComponent("securitySchemes", "csrf", {
    type: "apiKey",
    in: "header",
    name: "X-CSRF-Token",
    description: "From GET /api/auth/csrf (and the login answer); required on unsafe methods",
  });
  for (const spec of api.routes) {
    const agentOnly = spec.access === "agent" || spec.access === "admin";
    registry.registerPath({
      method: spec.method,
      path: openApiPath(spec.path),
      operationId: operationIdOf(spec),
      summary: spec.summary,
      tags: [spec.path.split("/")[1] ?? "api"],
      description: `Access: ${spec.access}.`,
      security: agentOnly ? [{ session: [], ...(spec.method === "get" ? {} : { csrf: [] }) }] : [],
      request: {
        ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
        ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
        ...(spec.body
          ? { body: { required: true, content: { "application/json": { schema: spec.body } } } }
          : {}),
      },
      responses: responsesFor(spec),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Greydesk API",
      version: "1",
      description: "The support desk for imported phones. JSON in and out; errors share one shape.",
    },
    servers: [{ url: "/" }],
  });
}

/** Serves the document at GET /api/openapi.json (public: it describes, it reveals no data). */
export function registerOpenApiRoute(api: ApiRouter): void {
  let document: object | undefined;
  api.add({
    method: "get",
    path: "/openapi.json",
    summary: "This API's OpenAPI 3.1 document",
    access: "public",
    response: OpenApiDocument,
    handler: () => {
      document ??= buildOpenApiDocument(api);
      return document;
    },
  });
}
