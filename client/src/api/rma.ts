import type {
  RmaDto,
  RmaLegFields,
  RmaTransitionBody,
  UpdateRmaBody,
} from "../../../shared/contracts/http/rma";
import type { RmaLegKind, RmaType } from "../../../shared/domain/rma";
import { callApi } from "./http";

// Only types come from shared/contracts/http: its zod schemas stay out of the browser bundle.

/** `POST /api/rmas/:id/transitions` body; what a move needs depends on `to` (rmaMoveNeeds). */
export type RmaMove = RmaTransitionBody;

/** `PATCH /api/rmas/:id` body: `null` clears a field. */
export type RmaFactsChange = UpdateRmaBody;

/** A ticket's RMAs, newest first. */
export async function listRmas(ticketId: string, signal?: AbortSignal): Promise<RmaDto[]> {
  const { rmas } = await callApi("GET /tickets/:id/rmas", { params: { id: ticketId }, signal });
  return rmas;
}

/** Opens an RMA on the ticket's handset. */
export async function openRma(ticketId: string, type: RmaType, note?: string): Promise<RmaDto> {
  const { rma } = await callApi("POST /tickets/:id/rmas", {
    params: { id: ticketId },
    body: note === undefined ? { type } : { type, note },
  });
  return rma;
}

/** Moves an RMA to one of its allowed next states. */
export async function moveRma(id: string, move: RmaMove): Promise<RmaDto> {
  const { rma } = await callApi("POST /rmas/:rmaId/transitions", {
    params: { rmaId: id },
    body: move,
  });
  return rma;
}

/** Changes the case's facts. */
export async function updateRma(id: string, change: RmaFactsChange): Promise<RmaDto> {
  const { rma } = await callApi("PATCH /rmas/:rmaId", { params: { rmaId: id }, body: change });
  return rma;
}

/** Records a leg's courier and tracking number. */
export async function setRmaLeg(id: string, kind: RmaLegKind, leg: RmaLegFields): Promise<RmaDto> {
  const { rma } = await callApi("PUT /rmas/:rmaId/legs/:kind", {
    params: { rmaId: id, kind },
    body: leg,
  });
  return rma;
}
