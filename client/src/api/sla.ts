import type { SlaPolicyDto, SlaSummaryDto } from "../../../shared/contracts/http/sla";
import type { Category, Priority } from "../../../shared/domain/enums";
import type { BusinessHours, SlaPausableStatus } from "../../../shared/domain/sla";
import { apiRequest, getJson, patchJson, postJson } from "./http";

/** A policy as the admin form sends it. */
export interface SlaPolicyFields {
  name: string;
  priority: Priority;
  category: Category | null;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: BusinessHours;
  pauseStatuses: SlaPausableStatus[];
}

/** Every SLA policy, most urgent first. */
export async function listSlaPolicies(signal?: AbortSignal): Promise<SlaPolicyDto[]> {
  const { policies } = await getJson<{ policies: SlaPolicyDto[] }>("/api/sla/policies", {
    signal,
  });
  return policies;
}

export async function createSlaPolicy(fields: SlaPolicyFields): Promise<SlaPolicyDto> {
  const { policy } = await postJson<{ policy: SlaPolicyDto }>("/api/sla/policies", fields);
  return policy;
}

export async function updateSlaPolicy(
  id: string,
  fields: Partial<SlaPolicyFields>,
): Promise<SlaPolicyDto> {
  const { policy } = await patchJson<{ policy: SlaPolicyDto }>(
    `/api/sla/policies/${encodeURIComponent(id)}`,
    fields,
  );
  return policy;
}

export async function deleteSlaPolicy(id: string): Promise<void> {
  await apiRequest<void>("DELETE", `/api/sla/policies/${encodeURIComponent(id)}`);
}

/** Breached, at-risk and paused tickets (all, and the caller's). */
export async function fetchSlaSummary(signal?: AbortSignal): Promise<SlaSummaryDto> {
  const { summary } = await getJson<{ summary: SlaSummaryDto }>("/api/sla/summary", { signal });
  return summary;
}
