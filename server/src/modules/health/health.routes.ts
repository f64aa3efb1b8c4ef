import type { ApiRouter } from "../../http/api-router";
import { HealthReport } from "../../../../shared/contracts/http/health";

export type { HealthReport };

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
    response: HealthReport,
    handler: async ({ setStatus }) => {
      const report = await health.check();
      if (report.status === "down") {
        setStatus(503);
      }
      return report;
    },
  });
}
