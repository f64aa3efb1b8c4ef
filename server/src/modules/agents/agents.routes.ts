import {
  AgentListResponse,
  TeamResponse,
  UserResponse,
} from "../../../../shared/contracts/http/tickets";
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
    response: TeamResponse,
    handler: async () => ({ items: await agents.team() }),
  });

  api.add({
    method: "get",
    path: "/agents",
    summary: "List agents and admins",
    access: "admin",
    response: AgentListResponse,
    handler: async () => ({ items: await agents.list() }),
  });

  api.add({
    method: "post",
    path: "/agents",
    status: 201,
    summary: "Create an agent or admin",
    access: "admin",
    response: UserResponse,
    body: CreateAgentRequest,
    handler: async ({ body, user }) => ({ user: await agents.create(user, body) }),
  });

  api.add({
    method: "patch",
    path: "/agents/:id",
    summary: "Rename, change role, disable or reset the password of an agent",
    access: "admin",
    response: UserResponse,
    notFound: "Agent",
    params: IdParams,
    body: UpdateAgentRequest,
    // The session adapter: an agent disabled or reset loses every session but the caller's.
    http: async ({ params, body, user }, req) => ({
      user: await agents.update(user, params.id, body, sessionKey(req.sessionID)),
    }),
  });
}
