import { TicketNetworkDto } from "../../../../shared/contracts/http/catalog";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import type { ApiRouter } from "../../http/api-router";
import type { TicketNetworkService } from "./ticket-network.service";

/** The handset panel's network view of a ticket. */
export function registerTicketNetworkRoutes(api: ApiRouter, network: TicketNetworkService): void {
  api.add({
    method: "get",
    path: "/tickets/:id/network",
    summary:
      "A ticket's network verdict (when opened, and now), its model, variant and candidate variants, TAC and batch",
    access: "agent",
    response: TicketNetworkDto,
    notFound: "Ticket",
    params: IdParams,
    handler: ({ params }) => network.get(params.id),
  });
}
