import type {
  BatchDto,
  BatchHealthDto,
  DistributorDto,
  ImportReportDto,
} from "../../../shared/contracts/http/batches";
import { callApi, uploadFile } from "./http";

/** The fields of a batch as the forms send them (dates YYYY-MM-DD, null to clear). */
export interface BatchFields {
  reference?: string;
  distributorId?: string | null;
  variantId?: string | null;
  romRegion?: string | null;
  quantity?: number | null;
  receivedOn?: string | null;
  notes?: string | null;
  warrantyMonths?: number | null;
  doaDays?: number | null;
  warrantyStartRule?: "import_date" | "date" | null;
  warrantyStartOn?: string | null;
}

export async function listBatches(signal?: AbortSignal): Promise<BatchDto[]> {
  return (await callApi("GET /batches", { signal })).items;
}

export async function getBatch(id: string, signal?: AbortSignal): Promise<BatchDto> {
  return (await callApi("GET /batches/:id", { params: { id }, signal })).batch;
}

export async function createBatch(fields: BatchFields): Promise<BatchDto> {
  return (await callApi("POST /batches", { body: fields })).batch;
}

export async function updateBatch(id: string, fields: BatchFields): Promise<BatchDto> {
  return (await callApi("PATCH /batches/:id", { params: { id }, body: fields })).batch;
}

export async function listDistributors(signal?: AbortSignal): Promise<DistributorDto[]> {
  return (await callApi("GET /distributors", { signal })).items;
}

export async function createDistributor(name: string): Promise<DistributorDto> {
  return (await callApi("POST /distributors", { body: { name } })).distributor;
}

/**
 * Uploads a distributor's CSV into a batch (the same checks as the CLI). A refused file rejects
 * with the API's validation error, whose details name each bad line.
 */
export async function importBatchCsv(
  id: string,
  file: File,
  options: {
    skipInvalid: boolean;
    dryRun: boolean;
    onProgress?: (loaded: number, total: number) => void;
  },
): Promise<ImportReportDto> {
  const { report } = await uploadFile("POST /batches/:id/import", {
    params: { id },
    query: {
      skipInvalid: options.skipInvalid ? "true" : "false",
      dryRun: options.dryRun ? "true" : undefined,
    },
    field: "file",
    file,
    onProgress: options.onProgress,
  });
  return report;
}

export function batchHealth(
  query: { since?: string; months?: number },
  signal?: AbortSignal,
): Promise<BatchHealthDto> {
  return callApi("GET /batches/health", { query, signal });
}
