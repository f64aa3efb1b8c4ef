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
    handler: async (_input, _req, res) => {
      res.json(await assignment.status());
    },
  });

  api.add({
    method: "put",
    path: "/assignment",
    summary: "Turn round-robin assignment of new tickets on or off",
    access: "admin",
    body: AssignmentSettingsRequest,
    handler: async ({ body }, req, res) => {
      res.json(await assignment.setAutoAssignNew(req.user!, body.autoAssignNew));
    },
  });

  api.add({
    method: "post",
    path: "/tickets/:id/auto-assign",
    summary: "Assign the ticket round-robin to the next agent online in the console",
    access: "agent",
    notFound: "Ticket",
    params: IdParams,
    body: z.object({}).optional(),
    handler: async ({ params }, req, res) => {
      res.json({ ticket: await assignment.autoAssign(req.user!, params.id) });
    },
  });
}
