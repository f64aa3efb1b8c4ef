import type { SlaPolicyDto, SlaSummaryDto } from "../../../shared/contracts/http/sla";
import type { CreateSlaPolicyInput } from "../../../shared/contracts/http/sla";
import { callApi } from "./http";

/** A policy as the admin form sends it (`POST /api/sla/policies` body). */
export type SlaPolicyFields = CreateSlaPolicyInput;

/** Every SLA policy, most urgent first. */
export async function listSlaPolicies(signal?: AbortSignal): Promise<SlaPolicyDto[]> {
  const { policies } = await callApi("GET /sla/policies", { signal });
  return policies;
}

export async function createSlaPolicy(fields: SlaPolicyFields): Promise<SlaPolicyDto> {
  const { policy } = await callApi("POST /sla/policies", { body: fields });
  return policy;
}

export async function updateSlaPolicy(
  id: string,
  fields: Partial<SlaPolicyFields>,
): Promise<SlaPolicyDto> {
  const { policy } = await callApi("PATCH /sla/policies/:id", { params: { id }, body: fields });
  return policy;
}

export async function deleteSlaPolicy(id: string): Promise<void> {
  await callApi("DELETE /sla/policies/:id", { params: { id } });
}

/** Breached, at-risk and paused tickets (all, and the caller's). */
export async function fetchSlaSummary(signal?: AbortSignal): Promise<SlaSummaryDto> {
  const { summary } = await callApi("GET /sla/summary", { signal });
  return summary;
}
