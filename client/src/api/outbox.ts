import type { OutboxItemDto } from "../../../shared/contracts/http/email";
import { getJson, postJson } from "./http";

/** `GET /api/outbox`: the latest messages, newest first (admins). */
export async function listOutbox(signal?: AbortSignal): Promise<OutboxItemDto[]> {
  const { items } = await getJson<{ items: OutboxItemDto[] }>("/api/outbox?limit=100", { signal });
  return items;
}

/** `POST /api/outbox/:id/retry`: send a failed or waiting message now. */
export async function retryOutbox(id: string): Promise<OutboxItemDto> {
  const { item } = await postJson<{ item: OutboxItemDto }>(
    `/api/outbox/${encodeURIComponent(id)}/retry`,
    {},
  );
  return item;
}
