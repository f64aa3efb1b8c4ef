import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Database } from "../db/database";
import { AuthenticationError, NotFoundError } from "../errors/app-error";

/** What the scrape-time gauges read from the database. */
export interface MetricsSources {
  db: Database;
  /** Sockets connected to this process now (0 before Socket.io starts). */
  socketsConnected(): number;
}

/**
 * The Prometheus metrics of one server, on a registry of its own: two servers in one process
 * (tests, the bench) never share or clash over a metric. See docs/ARCHITECTURE.md, "Operations".
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<"method" | "route" | "status">;
  private readonly httpDuration: Histogram<"method" | "route">;
  private readonly socketMessages: Counter;
  private readonly facts: Counter<"fact">;
  private readonly queueWait: Histogram<"kind">;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "greydesk_" });
    this.httpRequests = new Counter({
      name: "greydesk_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      registers,
    });
    this.httpDuration = new Histogram({
      name: "greydesk_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by method and route pattern",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.socketMessages = new Counter({
      name: "greydesk_socket_messages_sent_total",
      help: "Socket.io messages (events, acks) sent to clients",
      registers,
    });
    this.facts = new Counter({
      name: "greydesk_ticket_facts_total",
      help: "Committed ticket facts announced to the realtime publisher, by kind",
      labelNames: ["fact"],
      registers,
    });
    this.queueWait = new Histogram({
      name: "greydesk_db_queue_wait_seconds",
      help: "Time a SQLite unit of work waited in the queue before it ran",
      labelNames: ["kind"],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    new Gauge({
      name: "greydesk_sockets_connected",
      help: "Socket.io connections open on this process",
      registers,
      collect() {
        this.set(sources.socketsConnected());
      },
    });
    new Gauge({
      name: "greydesk_db_queue_depth",
      help: "SQLite units of work waiting in the queue now",
      labelNames: ["kind"],
      registers,
      collect() {
        const depth = sources.db.queueDepth;
        this.set({ kind: "read" }, depth.reads);
        this.set({ kind: "write" }, depth.writes);
      },
    });
    const outbox = { backlog: 0, oldestSeconds: 0 };
    new Gauge({
      name: "greydesk_outbox_backlog",
      help: "Outbox messages not yet delivered",
      registers,
      async collect() {
        const rows = await sources.db.read((em) =>
          em.query<{ n: number | string; oldest: string | Date | null }[]>(
            `SELECT COUNT(*) AS "n", MIN("createdAt") AS "oldest" FROM "outbox" WHERE "sentAt" IS NULL`,
          ),
        );
        const row = rows[0];
        outbox.backlog = Number(row?.n ?? 0);
        outbox.oldestSeconds =
          row === undefined || row.oldest === null
            ? 0
            : Math.max(0, (Date.now() - toDate(row.oldest)) / 1000);
        this.set(outbox.backlog);
      },
    });
    new Gauge({
      name: "greydesk_outbox_oldest_age_seconds",
      help: "Age of the oldest undelivered outbox message (0 when none waits)",
      registers,
      collect() {
        // Read by the backlog gauge just before: both come from one query.
        this.set(outbox.oldestSeconds);
      },
    });
    new Gauge({
      name: "greydesk_sla_breaches",
      help: "SLA clocks recorded as breached, all time, by clock",
      labelNames: ["clock"],
      registers,
      async collect() {
        const rows = await sources.db.read((em) =>
          em.query<{ first: number | string; resolution: number | string }[]>(
            `SELECT COUNT("firstResponseBreachedAt") AS "first", ` +
              `COUNT("resolutionBreachedAt") AS "resolution" FROM "ticket_sla"`,
          ),
        );
        this.set({ clock: "first_response" }, Number(rows[0]?.first ?? 0));
        this.set({ clock: "resolution" }, Number(rows[0]?.resolution ?? 0));
      },
    });
    sources.db.observeQueueWait((kind, ms) => this.queueWait.observe({ kind }, ms / 1000));
  }

  /** Counts and times every HTTP request by its route pattern (never the raw URL: ids, tokens). */
  httpMiddleware(): RequestHandler {
    return (req, res, next) => {
      const stop = this.httpDuration.startTimer();
      res.on("finish", () => {
        const route = routeLabel(req, res);
        stop({ method: req.method, route });
        this.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }

  /** One Socket.io message sent to a client. */
  socketMessageSent(): void {
    this.socketMessages.inc();
  }

  /** One committed fact announced (ticket.created, ticket.event...). */
  factAnnounced(fact: string): void {
    this.facts.inc({ fact });
  }

  /** The text exposition, for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Stops listening to the database's queue (the server stops). */
  close(db: Database): void {
    db.observeQueueWait(null);
  }
}

function toDate(value: string | Date): number {
  if (value instanceof Date) {
    return value.getTime();
  }
  // SQLite keeps TypeORM's UTC text ("2026-12-07 10:00:00.000").
  return new Date(value.includes("T") ? value : `${value.replace(" ", "T")}Z`).getTime();
}

/** The route pattern that answered (`/api/tickets/:id`), or a fixed word: never the raw path. */
function routeLabel(req: Request, res: Response): string {
  const route: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === "string") {
    const base = typeof res.locals.routeBase === "string" ? res.locals.routeBase : "";
    return `${base}${route}`;
  }
  return res.statusCode === 404 ? "unmatched" : "other";
}

/** Marks requests under a mount point so their route label carries it (`/api`). */
export function routeBase(base: string): RequestHandler {
  return (_req, res, next) => {
    res.locals.routeBase = base;
    next();
  };
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined || isIP(address) === 0) {
    return false;
  }
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * Who may read /metrics. Without METRICS_TOKEN: callers on loopback only, judged by the client
 * address Express resolves (`trust proxy`), so a proxy on the same machine does not make the
 * world loopback; anyone else gets the 404 an unknown path gets. With a token: anyone who sends
 * it as `Authorization: Bearer <token>` (compared in constant time), and nobody without it.
 */
export function metricsAccess(token: string | null): RequestHandler {
  const expected = token === null ? null : digest(token);
  return (req: Request, res: Response, next: NextFunction) => {
    if (expected === null) {
      next(isLoopback(req.ip) ? undefined : new NotFoundError("Route"));
      return;
    }
    const header = req.get("authorization") ?? "";
    const match = /^Bearer (\S+)$/i.exec(header);
    if (match === null || !timingSafeEqual(digest(match[1]), expected)) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
      next(new AuthenticationError("Send the metrics token as a bearer token"));
      return;
    }
    next();
  };
}
