import type { HandsetDto } from "../../../shared/contracts/http/tickets";
import type { VoidReason, WarrantySource } from "../../../shared/domain/enums";
import { patchJson } from "./http";

/** `PATCH /api/handsets/:id` body: only the fields to change; `null` clears one. */
export interface HandsetChange {
  warrantySource?: WarrantySource;
  warrantyStart?: string | null;
  warrantyEnd?: string | null;
  doaDeadline?: string | null;
  voidReason?: VoidReason | null;
  purchaseDate?: string | null;
  brand?: string | null;
  model?: string | null;
}

/** Changes a handset's warranty terms or declared facts (each change is audited on its tickets). */
export async function updateHandset(id: string, change: HandsetChange): Promise<HandsetDto> {
  const { handset } = await patchJson<{ handset: HandsetDto }>(
    `/api/handsets/${encodeURIComponent(id)}`,
    change,
  );
  return handset;
}
