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

const SUCCESS = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "Done, no content",
} as const;

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
  const responses: RouteConfig["responses"] = {
    [status]: { description: SUCCESS[status] },
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
    handler: (_input, _req, res) => {
      document ??= buildOpenApiDocument(api);
      res.json(document);
    },
  });
}
