import type { RmaDto, RmaLegFields } from "../../../shared/contracts/http/rma";
import type { RmaLegKind, RmaState, RmaType } from "../../../shared/domain/rma";
import { apiRequest, getJson, patchJson, postJson } from "./http";

// Only types come from shared/contracts/http: its zod schemas stay out of the browser bundle.

/** `POST /api/rmas/:id/transitions` body; what a move needs depends on `to` (rmaMoveNeeds). */
export interface RmaMove {
  to: RmaState;
  /** The state the agent saw, so a move made meanwhile by someone else is a 409. */
  from?: RmaState;
  note?: string;
  leg?: RmaLegFields;
  diagnosis?: string;
  outcome?: string;
  quote?: { amountMinor: number; currency: string; description?: string };
  replacement?: { imei: string; brand?: string; model?: string };
}

/** `PATCH /api/rmas/:id` body: `null` clears a field. */
export interface RmaFactsChange {
  distributorRef?: string | null;
  diagnosis?: string | null;
  outcome?: string | null;
  costCurrency?: string | null;
  distributorCostMinor?: number | null;
  shippingCostMinor?: number | null;
}

const rmaPath = (id: string) => `/api/rmas/${encodeURIComponent(id)}`;

/** A ticket's RMAs, newest first. */
export async function listRmas(ticketId: string, signal?: AbortSignal): Promise<RmaDto[]> {
  const { rmas } = await getJson<{ rmas: RmaDto[] }>(
    `/api/tickets/${encodeURIComponent(ticketId)}/rmas`,
    { signal },
  );
  return rmas;
}

/** Opens an RMA on the ticket's handset. */
export async function openRma(ticketId: string, type: RmaType, note?: string): Promise<RmaDto> {
  const { rma } = await postJson<{ rma: RmaDto }>(
    `/api/tickets/${encodeURIComponent(ticketId)}/rmas`,
    note === undefined ? { type } : { type, note },
  );
  return rma;
}

/** Moves an RMA to one of its allowed next states. */
export async function moveRma(id: string, move: RmaMove): Promise<RmaDto> {
  const { rma } = await postJson<{ rma: RmaDto }>(`${rmaPath(id)}/transitions`, move);
  return rma;
}

/** Changes the case's facts. */
export async function updateRma(id: string, change: RmaFactsChange): Promise<RmaDto> {
  const { rma } = await patchJson<{ rma: RmaDto }>(rmaPath(id), change);
  return rma;
}

/** Records a leg's courier and tracking number. */
export async function setRmaLeg(id: string, kind: RmaLegKind, leg: RmaLegFields): Promise<RmaDto> {
  const { rma } = await apiRequest<{ rma: RmaDto }>(
    "PUT",
    `${rmaPath(id)}/legs/${encodeURIComponent(kind)}`,
    leg,
  );
  return rma;
}
