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
import { PortalService } from "./modules/portal/portal.service";
import { TicketNotifier } from "./modules/tickets/ticket-notifier";
import { findPackageRoot } from "./package-root";
import { createAuth } from "./auth/auth";
import { RealtimePublisher } from "./realtime/publisher";
import { Realtime } from "./realtime/realtime";
import type { Auth } from "./auth/auth";
import type { ApiRouter } from "./http/api-router";
import { AgentsService } from "./modules/agents/agents.service";
import { HandsetsService } from "./modules/handsets/handsets.service";
import { TicketsService } from "./modules/tickets/tickets.service";

export interface ServerOptions {
  clock?: Clock;
  logger?: Logger;
  /** The built client to serve; defaults to dist/client when it exists. */
  clientDir?: string | null;
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
  /** The declared API routes (for the OpenAPI document and the route audit). */
  readonly api: ApiRouter;
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

  const auth = createAuth(
    config,
    db,
    resolveSessionSecret(config.sessionSecret, config.dataDir),
    clock,
  );
  const portal = new PortalService(db, tacs, notifier, clock);
  const tickets = new TicketsService(db, tacs, notifier, clock);
  const handsets = new HandsetsService(db, notifier, clock);
  const agents = new AgentsService(db, auth.store, clock, logger);
  const health = {
    async check(): Promise<HealthReport> {
      const database = (await db.ping()) ? "ok" : "down";
      return { status: database === "ok" ? "ok" : "down", database, redis: "not_configured" };
    },
  };
  const clientDir =
    options.clientDir === undefined ? path.join(root, "dist", "client") : options.clientDir;
  const { app, api } = createApp({
    config,
    logger,
    tacs,
    portal,
    tickets,
    handsets,
    agents,
    health,
    auth,
    clientDir,
  });

  return {
    app,
    api,
    auth,
    notifier,
    get realtime() {
      if (realtime === null) throw new Error("The server is not started");
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
        const bootstrap = await bootstrapAdmin(db, config.bootstrapAdmin, clock.now());
        http = createHttpServer(app);
        realtime = new Realtime({ http, auth, db, portal, logger });
        new RealtimePublisher(realtime.io, db, tickets, logger).attach(notifier);
        await new Promise<void>((resolve, reject) => {
          http!.once("error", reject);
          http!.listen(config.port, () => {
            http!.off("error", reject);
            resolve();
          });
        });
        const address = this.address();
        logger.info("server", "listening", { port: address.port, database: config.database.type });
        return { address, bootstrap };
      } catch (error) {
        auth.store.stopPruning();
        if (realtime !== null) await realtime.close().catch(() => undefined);
        realtime = null;
        http = null;
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
      await db.close();
    },
  };
}
