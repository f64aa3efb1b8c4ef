import {
  OutboxIdParams,
  OutboxItemResponse,
  OutboxListResponse,
  OutboxQuery,
} from "../../../../shared/contracts/http/email";
import type { ApiRouter } from "../../http/api-router";
import type { MailService } from "./mail.service";

/** The admins' view of the outbox: what waits, what went, what failed; and a retry. */
export function registerOutboxRoutes(api: ApiRouter, mail: MailService): void {
  api.add({
    method: "get",
    path: "/outbox",
    summary: "The outbox, newest first: each message's state, attempts and (while it waits) text",
    access: "admin",
    query: OutboxQuery,
    response: OutboxListResponse,
    handler: async ({ query }) => ({ items: await mail.list(query.state, query.limit) }),
  });
  api.add({
    method: "post",
    path: "/outbox/:id/retry",
    summary: "Send a failed (or waiting) message again, now",
    access: "admin",
    notFound: "Message",
    params: OutboxIdParams,
    response: OutboxItemResponse,
    handler: async ({ params }) => ({ item: await mail.retry(params.id) }),
  });
}
