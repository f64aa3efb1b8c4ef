import type { UpdateHandsetBody } from "../../../shared/contracts/http/agent-tickets";
import type { HandsetDto } from "../../../shared/contracts/http/tickets";
import { callApi } from "./http";

/** `PATCH /api/handsets/:id` body: only the fields to change; `null` clears one. */
export type HandsetChange = UpdateHandsetBody;

/** Changes a handset's warranty terms or declared facts (each change is audited on its tickets). */
export async function updateHandset(id: string, change: HandsetChange): Promise<HandsetDto> {
  const { handset } = await callApi("PATCH /handsets/:id", { params: { id }, body: change });
  return handset;
}
