import { existsSync } from "node:fs";
import path from "node:path";
import express from "express";
import type { Express, RequestHandler } from "express";
import helmet from "helmet";
import { Limits } from "../../shared/domain/limits";
import type { Config } from "./config/config";
import { ApiRouter, testResponseCheck } from "./http/api-router";
import { errorHandler, malformedUrlGuard, notFoundHandler } from "./http/error-handler";
import { registerOpenApiRoute } from "./http/openapi";
import { perIpFailureLimit, perIpLimit, perKeyLimit } from "./http/rate-limits";
import type { LimitStoreFactory } from "./http/rate-limits";
import { requestContext } from "./http/request-context";
import { NotFoundError } from "./errors/app-error";
import type { Logger } from "./logging/logger";
import { registerDeviceRoutes } from "./modules/devices/devices.routes";
import type { TacCatalog } from "./modules/devices/tac-catalog";
import { registerHealthRoutes } from "./modules/health/health.routes";
import type { HealthService } from "./modules/health/health.routes";
import { linkTicketOf, registerPortalRoutes } from "./modules/portal/portal.routes";
import type { PortalService } from "./modules/portal/portal.service";
import type { Auth } from "./auth/auth";
import { registerAuthRoutes } from "./auth/auth.routes";
import { registerAgentRoutes } from "./modules/agents/agents.routes";
import type { AgentsService } from "./modules/agents/agents.service";
import { registerHandsetRoutes } from "./modules/handsets/handsets.routes";
import type { HandsetsService } from "./modules/handsets/handsets.service";
import { registerBatchRoutes } from "./modules/batches/batches.routes";
import type { BatchesService } from "./modules/batches/batches.service";
import type { DefectRatesService } from "./modules/quality/defect-rates";
import { registerQualityRoutes } from "./modules/quality/quality.routes";
import { registerCarrierRoutes } from "./modules/carriers/carriers.routes";
import type { CarriersService } from "./modules/carriers/carriers.service";
import { registerCatalogRoutes } from "./modules/catalog/catalog.routes";
import type { CatalogService } from "./modules/catalog/catalog.service";
import { registerTicketRoutes } from "./modules/tickets/tickets.routes";
import { registerTicketNetworkRoutes } from "./modules/tickets/ticket-network.routes";
import type { TicketNetworkService } from "./modules/tickets/ticket-network.service";
import { acceptUploads, incomingUploadsDir } from "./modules/attachments/uploads";
import { registerAssignmentRoutes } from "./modules/assignment/assignment.routes";
import type { AssignmentService } from "./modules/assignment/assignment.service";
import { registerRmaRoutes } from "./modules/rma/rma.routes";
import type { RmaService } from "./modules/rma/rma.service";
import { registerSlaRoutes } from "./modules/sla/sla.routes";
import type { SlaService } from "./modules/sla/sla.service";
import { registerViewRoutes } from "./modules/views/views.routes";
import type { ViewsService } from "./modules/views/views.service";
import type { TicketsService } from "./modules/tickets/tickets.service";
import { registerSignInPage, registerSignInRoutes } from "./modules/email/sign-in.routes";
import type { SignInService } from "./modules/email/sign-in.service";
import { registerOutboxRoutes } from "./modules/email/outbox.routes";
import type { MailService } from "./modules/email/mail.service";
import { metricsAccess, routeBase } from "./ops/metrics";
import type { Metrics } from "./ops/metrics";
import { registerPrivacyRoutes } from "./modules/privacy/privacy.routes";
import { registerRegisterRoutes } from "./modules/register/register.routes";
import type { RegisterService } from "./modules/register/register.service";
import type { PrivacyService } from "./modules/privacy/privacy.service";

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  tacs: TacCatalog;
  portal: PortalService;
  tickets: TicketsService;
  /** The handset panel's network view of a ticket. */
  ticketNetwork: TicketNetworkService;
  handsets: HandsetsService;
  catalog: CatalogService;
  carriers: CarriersService;
  batches: BatchesService;
  defectRates: DefectRatesService;
  agents: AgentsService;
  sla: SlaService;
  rmas: RmaService;
  views: ViewsService;
  register: RegisterService;
  assignment: AssignmentService;
  health: HealthService;
  /** The customer's emailed sign-in link. */
  signIn: SignInService;
  /** The email channel (the admins' Outbox). */
  mail: MailService;
  auth: Auth;
  /** Prometheus metrics of this server (GET /metrics). */
  metrics: Metrics;
  /** Customer export and erasure. */
  privacy: PrivacyService;
  /** Where rate-limit counters live (memory, or Redis across processes). */
  limitStores?: LimitStoreFactory;
  /** The built client (index.html and assets), when there is one. */
  clientDir: string | null;
}

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
};

/** Builds the Express app: middleware, routers, error handler. Never listens. */
export function createApp(deps: AppDeps): { app: Express; api: ApiRouter } {
  const { config, logger } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.set("query parser", "simple");

  app.use(requestContext(logger));
  app.use(deps.metrics.httpMiddleware());
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'"],
          "style-src": ["'self'"],
          "img-src": ["'self'", "data:", "blob:"],
          // helmet's default also allows fonts from any https: host and data: URLs; the app
          // uses the system's fonts, so nothing else may load one.
          "font-src": ["'self'"],
          "connect-src": ["'self'"],
          "object-src": ["'none'"],
          "base-uri": ["'none'"],
          "frame-ancestors": ["'none'"],
          "form-action": ["'self'"],
          "upgrade-insecure-requests": config.env === "production" ? [] : null,
        },
      },
      referrerPolicy: { policy: "no-referrer" },
      strictTransportSecurity: config.env === "production",
    }),
  );
  app.use(malformedUrlGuard);

  // In test mode every successful answer is checked against its route's declared schema.
  const api = new ApiRouter(deps.auth.guards, {
    check: config.env === "test" ? testResponseCheck : undefined,
  });
  // Files of messages are streamed to disk inside the data folder while a request is read.
  const uploads = acceptUploads(incomingUploadsDir(config.dataDir));
  registerHealthRoutes(api, deps.health);
  registerAuthRoutes(api, deps.auth, deps.agents);
  registerAgentRoutes(api, deps.agents);
  registerTicketRoutes(api, deps.tickets, uploads);
  registerTicketNetworkRoutes(api, deps.ticketNetwork);
  registerHandsetRoutes(api, deps.handsets);
  registerRegisterRoutes(api, deps.register);
  registerCatalogRoutes(api, deps.catalog);
  registerCarrierRoutes(api, deps.carriers);
  registerQualityRoutes(api, deps.defectRates);
  registerBatchRoutes(api, deps.batches);
  registerOpenApiRoute(api);
  registerDeviceRoutes(api, deps.catalog);
  // One failure counter for every route that names a ticket link (the RMA quote answer too).
  const portalLink = perIpFailureLimit({
    name: "portal-link",
    stores: deps.limitStores,
    windowMs: 15 * 60 * 1000,
    limit: 50,
    status: 404,
    message: "Too many wrong ticket links from this address; try again later",
  });
  registerPortalRoutes(
    api,
    deps.portal,
    {
      create: perIpLimit({
        name: "portal-create",
        stores: deps.limitStores,
        windowMs: 60 * 60 * 1000,
        limit: config.rateLimitPortal,
        message: "Too many new tickets from this address; try again later",
      }),
      link: portalLink,
      // A person writes a reply every few seconds at most; ten a minute on one ticket is a flood
      // (each reply is stored, put in front of the agents and sent to every watcher).
      // Per address the allowance is higher: several customers share one carrier NAT address.
      // The ticket's limit comes first, so a flood on one ticket does not use up the address's.
      reply: [
        ...perKeyLimit({
          name: "portal-reply-ticket",
          stores: deps.limitStores,
          windowMs: 60 * 1000,
          limit: 10,
          key: (_req, res) => linkTicketOf(res),
          message: "Too many replies on this ticket; wait a minute and try again",
        }),
        ...perIpLimit({
          name: "portal-reply-ip",
          stores: deps.limitStores,
          windowMs: 60 * 1000,
          limit: config.rateLimitPortalReplies,
          message: "Too many replies from this address; wait a minute and try again",
        }),
      ],
      // Each replacement mails the new link to the customer: three an hour covers a lost phone and
      // a second thought, and keeps the link from becoming a way to flood their inbox.
      replaceLink: perKeyLimit({
        name: "portal-link-replace",
        stores: deps.limitStores,
        windowMs: 60 * 60 * 1000,
        limit: 3,
        key: (_req, res) => linkTicketOf(res),
        message: "This ticket's link was replaced several times in the last hour; try again later",
      }),
    },
    uploads,
  );
  registerSlaRoutes(api, deps.sla);
  registerRmaRoutes(api, deps.rmas, portalLink);
  registerViewRoutes(api, deps.views);
  registerAssignmentRoutes(api, deps.assignment);
  registerOutboxRoutes(api, deps.mail);
  registerSignInRoutes(api, deps.signIn, {
    // Each request may mail someone: a few per address, and per client address.
    request: [
      ...perIpLimit({
        name: "sign-in-link-ip",
        stores: deps.limitStores,
        windowMs: 60 * 60 * 1000,
        limit: 20,
        message: "Too many sign-in links asked for from this address; try again later",
      }),
      ...perKeyLimit({
        name: "sign-in-link-email",
        stores: deps.limitStores,
        windowMs: 60 * 60 * 1000,
        limit: 3,
        key: (req) => {
          const body: unknown = req.body;
          const email =
            typeof body === "object" && body !== null && "email" in body ? body.email : undefined;
          return typeof email === "string" ? email.trim().toLowerCase().slice(0, 254) : undefined;
        },
        message: "A sign-in link was sent to this address several times; check your inbox",
      }),
    ],
    redeem: portalLink,
  });

  registerPrivacyRoutes(api, deps.privacy);

  // Prometheus scrapes: loopback only, or anyone with METRICS_TOKEN (docs/SECURITY.md).
  app.get("/metrics", metricsAccess(config.metricsToken), noStore, async (_req, res) => {
    const { contentType, body } = await deps.metrics.render();
    res.type(contentType).send(body);
  });

  app.use(
    "/api",
    routeBase("/api"),
    noStore,
    express.json({ limit: Limits.jsonBodyBytes, strict: true, type: "application/json" }),
    // The portal has no accounts: its routes skip the session lookup (and its cookie) entirely.
    ...deps.auth.sessionChain.map(
      (middleware): RequestHandler =>
        (req, res, next) =>
          req.path.startsWith("/portal/") ? next() : middleware(req, res, next),
    ),
    api.router,
    notFoundHandler,
  );

  if (deps.clientDir !== null && existsSync(path.join(deps.clientDir, "index.html"))) {
    const clientDir = deps.clientDir;
    app.use(
      "/assets",
      // Source maps carry the client's whole source; the build emits none, and one left in
      // the folder (an older or a development build) is never served either.
      (req, _res, next) => {
        if (/\.map$/i.test(req.path)) {
          next(new NotFoundError("Asset"));
          return;
        }
        next();
      },
      express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }),
    );
    const index: RequestHandler = (_req, res) => {
      res.setHeader("Cache-Control", "no-store");
      res.sendFile(path.join(clientDir, "index.html"));
    };
    app.get(["/", "/portal", "/portal/t/:token"], index);
  }

  registerSignInPage(app, deps.signIn, portalLink);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, api };
}
