import {
  BatchListResponse,
  BatchResponse,
  DistributorListResponse,
  DistributorResponse,
  ImportReportResponse,
} from "../../../../shared/contracts/http/batches";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import {
  CreateBatchRequest,
  CreateDistributorRequest,
  ImportQuery,
  UpdateBatchRequest,
} from "../../../../shared/contracts/http/batches";
import type { ApiRouter } from "../../http/api-router";
import type { BatchesService } from "./batches.service";
import { acceptCsvUpload, uploadedCsv } from "./csv-upload";

/**
 * Distributors, import batches and the CSV import. `GET /batches/health` is the quality module's,
 * registered before these so `/batches/:id` does not take "health" for an id.
 */
export function registerBatchRoutes(api: ApiRouter, batches: BatchesService): void {
  api.add({
    method: "get",
    path: "/distributors",
    summary: "Distributors",
    access: "agent",
    response: DistributorListResponse,
    handler: async () => ({ items: await batches.listDistributors() }),
  });

  api.add({
    method: "post",
    path: "/distributors",
    status: 201,
    summary: "Add a distributor",
    access: "admin",
    response: DistributorResponse,
    body: CreateDistributorRequest,
    handler: async ({ body }) => ({ distributor: await batches.createDistributor(body) }),
  });

  api.add({
    method: "get",
    path: "/batches",
    summary: "Import batches (shipments) with their unit counts",
    access: "agent",
    response: BatchListResponse,
    handler: async () => ({ items: await batches.list() }),
  });

  api.add({
    method: "post",
    path: "/batches",
    status: 201,
    summary: "Add an import batch",
    access: "admin",
    response: BatchResponse,
    body: CreateBatchRequest,
    handler: async ({ body }) => ({ batch: await batches.create(body) }),
  });

  api.add({
    method: "get",
    path: "/batches/:id",
    summary: "An import batch",
    access: "agent",
    response: BatchResponse,
    notFound: "Batch",
    params: IdParams,
    handler: async ({ params }) => ({ batch: await batches.get(params.id) }),
  });

  api.add({
    method: "patch",
    path: "/batches/:id",
    summary: "Change an import batch (a new variant also goes to its units)",
    access: "admin",
    response: BatchResponse,
    notFound: "Batch",
    params: IdParams,
    body: UpdateBatchRequest,
    handler: async ({ params, body }) => ({ batch: await batches.update(params.id, body) }),
  });

  api.add({
    method: "post",
    path: "/batches/:id/import",
    status: 201,
    summary:
      "Import a distributor's CSV of IMEIs (multipart field file), each IMEI checked against the " +
      "catalogue and the batch's model: all or nothing unless skipInvalid=true, with a report",
    access: "admin",
    response: ImportReportResponse,
    notFound: "Batch",
    params: IdParams,
    query: ImportQuery,
    before: [acceptCsvUpload()],
    // The upload adapter: the CSV file is on the request.
    http: async ({ params, query, setStatus }, req) => {
      const report = await batches.importCsv(params.id, uploadedCsv(req), {
        dryRun: query.dryRun === "true",
        invalid: query.skipInvalid === "true" ? "skip" : query.invalid,
      });
      setStatus(report.status === "imported" ? 201 : 200);
      return { report };
    },
  });
}
