import { CreateAgentRequest, UpdateAgentRequest } from "../../../../shared/contracts/http/auth";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import { sessionKey } from "../../auth/session-store";
import type { ApiRouter } from "../../http/api-router";
import type { AgentsService } from "./agents.service";

/** Agent management (admins), and the team list every agent may read. */
export function registerAgentRoutes(api: ApiRouter, agents: AgentsService): void {
  api.add({
    method: "get",
    path: "/team",
    summary: "The active agents (id, name, role), e.g. to pick an assignee",
    access: "agent",
    handler: async (_input, _req, res) => {
      res.json({ items: await agents.team() });
    },
  });

  api.add({
    method: "get",
    path: "/agents",
    summary: "List agents and admins",
    access: "admin",
    handler: async (_input, _req, res) => {
      res.json({ items: await agents.list() });
    },
  });

  api.add({
    method: "post",
    path: "/agents",
    status: 201,
    summary: "Create an agent or admin",
    access: "admin",
    body: CreateAgentRequest,
    handler: async ({ body }, req, res) => {
      res.status(201).json({ user: await agents.create(req.user!, body) });
    },
  });

  api.add({
    method: "patch",
    path: "/agents/:id",
    summary: "Rename, change role, disable or reset the password of an agent",
    access: "admin",
    notFound: "Agent",
    params: IdParams,
    body: UpdateAgentRequest,
    handler: async ({ params, body }, req, res) => {
      res.json({
        user: await agents.update(req.user!, params.id, body, sessionKey(req.sessionID)),
      });
    },
  });
}
