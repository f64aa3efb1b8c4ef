import type { ApiRouter } from "../../http/api-router";
import type { MailHealth } from "../email/mail.service";

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  database: "ok" | "down";
  redis: "ok" | "down" | "not_configured";
  /** The mail relay (SMTP_URL) and the outbox: what waits, what failed for good. */
  mail?: MailHealth;
}

export interface HealthService {
  check(): Promise<HealthReport>;
}

/** `GET /api/health`: 200 while the database answers, 503 when it does not. */
export function registerHealthRoutes(api: ApiRouter, health: HealthService): void {
  api.add({
    method: "get",
    path: "/health",
    summary:
      "Whether the database (and Redis, when configured) answer; the mail relay and outbox backlog",
    access: "public",
    handler: async (_input, _req, res) => {
      const report = await health.check();
      res.status(report.status === "down" ? 503 : 200).json(report);
    },
  });
}
