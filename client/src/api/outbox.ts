import type { OutboxItemDto } from "../../../shared/contracts/http/email";
import { callApi } from "./http";

/** `GET /api/outbox`: the latest messages, newest first (admins). */
export async function listOutbox(signal?: AbortSignal): Promise<OutboxItemDto[]> {
  const { items } = await callApi("GET /outbox", { query: { limit: 100 }, signal });
  return items;
}

/** `POST /api/outbox/:id/retry`: send a failed or waiting message now. */
export async function retryOutbox(id: string): Promise<OutboxItemDto> {
  const { item } = await callApi("POST /outbox/:id/retry", { params: { id }, body: {} });
  return item;
}
