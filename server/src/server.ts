import { mkdirSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Express } from "express";
import { createApp } from "./app";
import { systemClock } from "./clock";
import type { Clock } from "./clock";
import type { Config } from "./config/config";
import { resolveSessionSecret } from "./config/session-secret";
import { Database } from "./db/database";
import { createLogger } from "./logging/logger";
import type { Logger } from "./logging/logger";
import { bootstrapAdmin } from "./modules/agents/bootstrap";
import type { BootstrapResult } from "./modules/agents/bootstrap";
import { TacCatalog, defaultTacCsvPath } from "./modules/devices/tac-catalog";
import type { HealthReport } from "./modules/health/health.routes";
import { TicketLinks } from "./modules/tickets/link-tokens";
import { PortalService } from "./modules/portal/portal.service";
import { TicketNotifier } from "./events/facts";
import { AssignmentService } from "./modules/assignment/assignment.service";
import { RmaService } from "./modules/rma/rma.service";
import { SlaService } from "./modules/sla/sla.service";
import { ViewsService } from "./modules/views/views.service";
import { RegisterService } from "./modules/register/register.service";
import { findPackageRoot } from "./package-root";
import { ticketOpeningPorts } from "./ticket-opening";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createAuth } from "./auth/auth";
import { RedisConnection, RedisThrottleStore, ResilientRedisLimitStore } from "./redis/redis";
import { AssignmentPublisher, SocketPresence } from "./realtime/assignment-notices";
import { RealtimePublisher } from "./realtime/publisher";
import { Realtime } from "./realtime/realtime";
import type { Auth } from "./auth/auth";
import type { ApiRouter } from "./http/api-router";
import { AgentsService } from "./modules/agents/agents.service";
import { HandsetsService } from "./modules/handsets/handsets.service";
import { TicketExtensions } from "./modules/tickets/extensions";
import { TicketHistoryAdapter } from "./modules/tickets/ticket-history";
import { TicketNetworkService } from "./modules/tickets/ticket-network.service";
import { catalogVerdicts } from "./modules/carriers/verdicts";
import { TicketsService } from "./modules/tickets/tickets.service";
import { rmaTicketExtension } from "./modules/rma/rma.extension";
import { slaTicketExtension } from "./modules/sla/sla.extension";
import { BatchesService } from "./modules/batches/batches.service";
import { DefectRatesService } from "./modules/quality/defect-rates";
import { CarriersService } from "./modules/carriers/carriers.service";
import { CatalogService } from "./modules/catalog/catalog.service";
import { AttachmentStore } from "./modules/attachments/attachment-store";
import { AttachmentsService } from "./modules/attachments/attachments.service";
import { incomingUploadsDir, sweepIncomingUploads } from "./modules/attachments/uploads";
import { MailKeys } from "./modules/email/mail-keys";
import { MailService } from "./modules/email/mail.service";
import { SignInService } from "./modules/email/sign-in.service";
import type { MailServiceOptions } from "./modules/email/mail.service";
import { Metrics } from "./ops/metrics";
import { PrivacyService } from "./modules/privacy/privacy.service";
import { startBackupSchedule } from "./ops/backup-schedule";
import { AttachmentRetention } from "./ops/retention";

export interface ServerOptions {
  clock?: Clock;
  logger?: Logger;
  /** Socket.io's connection-recovery window (default 2 min); tests shorten it. */
  recoveryWindowMs?: number;
  /** How often open agent sockets are checked against their session's expiry (default 30 s). */
  sessionCheckMs?: number;
  /**
   * The interface to listen on (default: all). The demo and tests listen on loopback only; without
   * PUBLIC_URL (PORT=0), links then name that interface rather than localhost.
   */
  host?: string;
  /** The built client to serve; defaults to dist/client when it exists. */
  clientDir?: string | null;
  /** Email worker timings (tests shorten the poll and the backoff). */
  mail?: MailServiceOptions;
}

export interface StartInfo {
  address: AddressInfo;
  /** The first admin, when this start created one. */
  bootstrap: BootstrapResult | null;
}

export interface GreydeskServer {
  start(): Promise<StartInfo>;
  stop(): Promise<void>;
  address(): AddressInfo;
  /** The database; usable between start() and stop(). */
  readonly db: Database;
  readonly app: Express;
  readonly notifier: TicketNotifier;
  readonly auth: Auth;
  /** Socket.io, once started. */
  readonly realtime: Realtime;
  readonly config: Readonly<Config>;
  /** Where every link to the desk starts (PUBLIC_URL, else where it listens); once started. */
  readonly publicUrl: string;
  readonly attachments: AttachmentsService;
  /** The declared API routes (for the OpenAPI document and the route audit). */
  readonly api: ApiRouter;
  /** Device catalogue, verdicts and who a variant affects. */
  readonly catalog: CatalogService;
  /** Import batches and the distributor CSV import (the CLI uses it too). */
  readonly batches: BatchesService;
  /** SLA policies and clocks (tests run its breach sweep by hand). */
  readonly sla: SlaService;
  /** The email channel: outbox delivery, and the mail that arrives. */
  readonly mail: MailService;
  /** This server's Prometheus registry (GET /metrics). */
  readonly metrics: Metrics;
  /** ATTACHMENT_RETENTION_DAYS's sweep (tests run it by hand); null when off. */
  readonly retention: AttachmentRetention | null;
}

/**
 * Removes blobs of uploads that never committed, and uploads a stopped process left half-read,
 * now and every hour.
 */
function startAttachmentGc(
  attachments: AttachmentsService,
  incomingDir: string,
  logger: Logger,
): NodeJS.Timeout {
  const run = () =>
    Promise.all([attachments.collectGarbage(), sweepIncomingUploads(incomingDir)]).then(
      ([removed, uploads]) =>
        removed + uploads > 0 &&
        logger.info("server", "removed orphan attachment blobs", { removed, uploads }),
      (error: unknown) => logger.warn("server", "attachment GC failed", { err: String(error) }),
    );
  void run();
  const timer = setInterval(() => void run(), 3600_000);
  timer.unref();
  return timer;
}

/** What the metrics need of an Engine.IO connection: its outgoing packets. */
interface PacketSource {
  on(event: "packetCreate", listener: (packet: { type: string }) => void): void;
}

/** The ticket facts counted by the metrics. */
const FACTS = [
  "ticket.created",
  "ticket.updated",
  "ticket.event",
  "ticket.link-revoked",
  "ticket.assigned",
] as const;

/** `http://localhost:<port>`, or the one interface the server was told to listen on. */
function listeningUrl(host: string | undefined, port: number): string {
  if (host === undefined || host === "" || host === "0.0.0.0" || host === "::") {
    return `http://localhost:${port}`;
  }
  return host.includes(":") ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/**
 * The composition root: wires config, database, services, HTTP and (later) Socket.io. Nothing
 * connects or listens until start(); tests call it with port 0 and a config literal.
 */
export function createServer(
  config: Readonly<Config>,
  options: ServerOptions = {},
): GreydeskServer {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock();
  const root = findPackageRoot(__dirname);
  const tacs = TacCatalog.load(defaultTacCsvPath());
  const notifier = new TicketNotifier();
  const db = new Database(config.database);
  let http: HttpServer | null = null;
  let realtime: Realtime | null = null;
  let gcTimer: NodeJS.Timeout | null = null;
  let stopBackups: (() => Promise<void>) | null = null;
  // PUBLIC_URL; without it, the address the server listens on (known once it does: PORT=0).
  let publicUrl = config.publicUrl;
  const currentPublicUrl = (): string => {
    if (publicUrl === null) {
      throw new Error("The server is not listening yet");
    }
    return publicUrl;
  };
  const sessionSecret = resolveSessionSecret(config.sessionSecret, config.dataDir);
  const mailKeys = new MailKeys(sessionSecret);
  const links = new TicketLinks(currentPublicUrl, mailKeys);

  // With REDIS_URL, Socket.io events, rate limits and the sign-in throttle are shared by every
  // server process through Redis (sessions are in the database either way).
  const redis = config.redisUrl === null ? null : new RedisConnection(config.redisUrl, logger);
  const auth = createAuth(
    config,
    db,
    sessionSecret,
    clock,
    redis === null ? undefined : new RedisThrottleStore(redis),
  );
  const attachmentStore = new AttachmentStore(path.join(config.dataDir, "attachments"));
  const attachments = new AttachmentsService(db, attachmentStore);
  // SLA clocks and RMAs add to tickets through tickets' own extension point.
  const ticketExtensions = new TicketExtensions()
    .register(slaTicketExtension)
    .register(rmaTicketExtension);
  const opening = ticketOpeningPorts(tacs, ticketExtensions);
  const portal = new PortalService(db, tacs, attachments, notifier, clock, links, opening);
  const tickets = new TicketsService(
    db,
    opening,
    attachments,
    notifier,
    clock,
    links,
    ticketExtensions,
  );
  // The catalogue, carriers and handsets reach the modules above them through ports
  // (catalog/ports.ts): verdicts from carriers, tickets and their history from tickets.
  const ticketHistory = new TicketHistoryAdapter(ticketExtensions, opening);
  const handsets = new HandsetsService(db, notifier, clock, catalogVerdicts, ticketHistory);
  const catalog = new CatalogService(db, notifier, clock, catalogVerdicts, ticketHistory);
  const carriers = new CarriersService(db, notifier, clock, ticketHistory);
  const batches = new BatchesService(db, clock);
  const defectRates = new DefectRatesService(db, clock);
  const agents = new AgentsService(db, auth.store, clock, logger);
  const sla = new SlaService(db, notifier, clock, logger);
  const rmas = new RmaService(db, notifier, clock);
  const views = new ViewsService(db, clock);
  const register = new RegisterService(db, clock);
  const mail = new MailService(
    config.mail,
    db,
    mailKeys,
    notifier,
    clock,
    logger,
    { opening, attachments, links, incomingDir: incomingUploadsDir(config.dataDir) },
    options.mail,
  );
  const retention =
    config.attachmentRetentionDays === null
      ? null
      : new AttachmentRetention(db, attachmentStore, config.attachmentRetentionDays, clock, logger);
  const privacy = new PrivacyService(db, attachmentStore, notifier, clock, logger);
  const assignment = new AssignmentService({
    db,
    notifier,
    clock,
    logger,
    presence: new SocketPresence(() => realtime?.io ?? null),
    present: (id) => tickets.summary(id),
  });
  const health = {
    async check(): Promise<HealthReport> {
      const [database, cache, email] = await Promise.all([
        db.ping().then((ok): HealthReport["database"] => (ok ? "ok" : "down")),
        redis === null
          ? Promise.resolve<HealthReport["redis"]>("not_configured")
          : redis.ping().then((ok): HealthReport["redis"] => (ok ? "ok" : "down")),
        mail.health().catch(() => null),
      ]);
      const status =
        database === "down"
          ? "down"
          : cache === "down" || email?.relay === "down"
            ? "degraded"
            : "ok";
      return { status, database, redis: cache, ...(email === null ? {} : { mail: email }) };
    },
  };
  const metrics = new Metrics({
    db,
    socketsConnected: () => (realtime === null ? 0 : realtime.io.engine.clientsCount),
  });
  const clientDir =
    options.clientDir === undefined ? path.join(root, "dist", "client") : options.clientDir;
  const { app, api } = createApp({
    config,
    logger,
    tacs,
    portal,
    tickets,
    ticketNetwork: new TicketNetworkService(db, clock),
    handsets,
    catalog,
    carriers,
    batches,
    defectRates,
    agents,
    sla,
    rmas,
    views,
    register,
    assignment,
    health,
    signIn: new SignInService(db, links, mailKeys, clock),
    mail,
    auth,
    metrics,
    privacy,
    clientDir,
    limitStores:
      redis === null ? undefined : (prefix) => new ResilientRedisLimitStore(redis, prefix),
  });

  return {
    app,
    api,
    catalog,
    batches,
    sla,
    mail,
    metrics,
    retention,
    auth,
    config,
    attachments,
    notifier,
    get publicUrl() {
      return currentPublicUrl();
    },
    get realtime() {
      if (realtime === null) {
        throw new Error("The server is not started");
      }
      return realtime;
    },
    db,
    address() {
      const address = http?.address();
      if (!address || typeof address === "string") {
        throw new Error("The server is not listening");
      }
      return address;
    },
    async start() {
      if (config.database.type === "sqlite" && config.database.path !== ":memory:") {
        mkdirSync(path.dirname(path.resolve(config.database.path)), { recursive: true });
      }
      await db.open();
      try {
        auth.store.startPruning();
        // The bundled Osmocom TACs join the catalogue (new ones only; corrections stand).
        await catalog.syncOsmocomTacs(tacs);
        gcTimer = startAttachmentGc(attachments, incomingUploadsDir(config.dataDir), logger);
        const bootstrap = await bootstrapAdmin(db, config.bootstrapAdmin, clock.now());
        http = createHttpServer(app);
        if (redis !== null) {
          await redis.start();
        }
        realtime = new Realtime({
          http,
          auth,
          db,
          portal,
          logger,
          recoveryWindowMs: options.recoveryWindowMs,
          sessionCheckMs: options.sessionCheckMs,
          adapter:
            redis === null
              ? undefined
              : createAdapter(await redis.adapterClient(), { maxLen: 100_000 }),
        });
        realtime.io.engine.on("connection", (socket: PacketSource) => {
          socket.on("packetCreate", (packet: { type: string }) => {
            if (packet.type === "message") {
              metrics.socketMessageSent();
            }
          });
        });
        for (const fact of FACTS) {
          notifier.on(fact, () => metrics.factAnnounced(fact));
        }
        new RealtimePublisher(realtime.io, db, tickets, logger).attach(notifier);
        new AssignmentPublisher(realtime.io, db, logger).attach(notifier);
        assignment.attach(notifier);
        sla.start();
        await mail.start();
        retention?.start();
        if (config.backup !== null) {
          stopBackups = startBackupSchedule(config.backup, config, logger);
        }
        await new Promise<void>((resolve, reject) => {
          http!.once("error", reject);
          http!.listen(config.port, options.host, () => {
            http!.off("error", reject);
            resolve();
          });
        });
        const address = this.address();
        publicUrl ??= listeningUrl(options.host, address.port);
        logger.info("server", "listening", {
          port: address.port,
          database: config.database.type,
          publicUrl,
        });
        return { address, bootstrap };
      } catch (error) {
        auth.store.stopPruning();
        await sla.stop();
        await mail.stop();
        await retention?.stop();
        if (stopBackups !== null) {
          await stopBackups();
          stopBackups = null;
        }
        if (realtime !== null) {
          await realtime.close().catch(() => undefined);
        }
        realtime = null;
        http = null;
        if (redis !== null) {
          await redis.close();
        }
        await db.close();
        throw error;
      }
    },
    async stop() {
      if (http !== null) {
        const server = http;
        http = null;
        notifier.removeAllListeners();
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 2000);
        force.unref();
        // Closing Socket.io disconnects every socket and closes the HTTP server under it.
        await realtime!.close();
        realtime = null;
        clearTimeout(force);
      }
      auth.store.stopPruning();
      await mail.stop();
      if (gcTimer !== null) {
        clearInterval(gcTimer);
      }
      await sla.stop();
      if (stopBackups !== null) {
        await stopBackups();
        stopBackups = null;
      }
      await retention?.stop();
      metrics.close(db);
      // After Socket.io: its adapter reads through one of these connections until it closes.
      if (redis !== null) {
        await redis.close();
      }
      await db.close();
    },
  };
}
