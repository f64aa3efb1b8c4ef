import type { ApiRouter } from "../../http/api-router";

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  database: "ok" | "down";
  redis: "ok" | "down" | "not_configured";
}

export interface HealthService {
  check(): Promise<HealthReport>;
}

/** `GET /api/health`: 200 while the database answers, 503 when it does not. */
export function registerHealthRoutes(api: ApiRouter, health: HealthService): void {
  api.add({
    method: "get",
    path: "/health",
    summary: "Whether the database (and Redis, when configured) answer",
    access: "public",
    handler: async (_input, _req, res) => {
      const report = await health.check();
      res.status(report.status === "down" ? 503 : 200).json(report);
    },
  });
}
