import { AssignmentStatusDto } from "../../../../shared/contracts/http/assignment";
import { TicketResponse } from "../../../../shared/contracts/http/tickets";
import { z } from "zod";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import { AssignmentSettingsRequest } from "../../../../shared/contracts/http/assignment";
import type { ApiRouter } from "../../http/api-router";
import type { AssignmentService } from "./assignment.service";

/** Round-robin assignment: the desk's switch, who is online, and "auto-assign" on a ticket. */
export function registerAssignmentRoutes(api: ApiRouter, assignment: AssignmentService): void {
  api.add({
    method: "get",
    path: "/assignment",
    summary: "Whether new tickets are assigned round-robin, and who is online to take them",
    access: "agent",
    response: AssignmentStatusDto,
    handler: () => assignment.status(),
  });

  api.add({
    method: "put",
    path: "/assignment",
    summary: "Turn round-robin assignment of new tickets on or off",
    access: "admin",
    response: AssignmentStatusDto,
    body: AssignmentSettingsRequest,
    handler: ({ body, user }) => assignment.setAutoAssignNew(user, body.autoAssignNew),
  });

  api.add({
    method: "post",
    path: "/tickets/:id/auto-assign",
    summary: "Assign the ticket round-robin to the next agent online in the console",
    access: "agent",
    response: TicketResponse,
    notFound: "Ticket",
    params: IdParams,
    body: z.object({}).optional(),
    handler: async ({ params, user }) => ({ ticket: await assignment.autoAssign(user, params.id) }),
  });
}
