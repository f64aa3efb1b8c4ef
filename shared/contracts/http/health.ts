import { z } from "zod";

/** `GET /api/health`: 200 while the database answers, 503 when it does not. */
export const HealthReport = z.strictObject({
  status: z.enum(["ok", "degraded", "down"]),
  database: z.enum(["ok", "down"]),
  redis: z.enum(["ok", "down", "not_configured"]),
});
export type HealthReport = z.output<typeof HealthReport>;
