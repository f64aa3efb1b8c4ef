import { BatchHealthDto, BatchHealthQuery } from "../../../../shared/contracts/http/batches";
import type { ApiRouter } from "../../http/api-router";
import type { DefectRatesService } from "./defect-rates";

/**
 * Batch quality. Registered before the batch routes, so `/batches/:id` does not take "health"
 * for an id.
 */
export function registerQualityRoutes(api: ApiRouter, defectRates: DefectRatesService): void {
  api.add({
    method: "get",
    path: "/batches/health",
    summary:
      "Defect rate: DOA and covered-defect units per 100 units, by batch and by distributor, " +
      "with a monthly trend",
    access: "agent",
    response: BatchHealthDto,
    query: BatchHealthQuery,
    handler: ({ query }) => defectRates.report({ since: query.since, months: query.months }),
  });
}
