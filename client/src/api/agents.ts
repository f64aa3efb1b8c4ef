import type { ResponseOf } from "../../../shared/contracts/http/api";
import type { CreateAgentBody, UpdateAgentBody } from "../../../shared/contracts/http/auth";
import type { UserDto } from "../../../shared/contracts/http/tickets";
import { callApi } from "./http";

/** An active agent as the assignee picker lists them (`GET /api/team`). */
export type TeamMember = ResponseOf<"GET /team">["items"][number];

/** `POST /api/agents` body. */
export type NewAgent = CreateAgentBody;

/** `PATCH /api/agents/:id` body. */
export type AgentChange = UpdateAgentBody;

/** The active agents, for the assignee picker (any agent may ask). */
export async function fetchTeam(signal?: AbortSignal): Promise<TeamMember[]> {
  const { items } = await callApi("GET /team", { signal });
  return items;
}

/** Every agent and admin, disabled ones too (admins only). */
export async function listAgents(signal?: AbortSignal): Promise<UserDto[]> {
  const { items } = await callApi("GET /agents", { signal });
  return items;
}

export async function createAgent(agent: NewAgent): Promise<UserDto> {
  const { user } = await callApi("POST /agents", { body: agent });
  return user;
}

export async function updateAgent(id: string, change: AgentChange): Promise<UserDto> {
  const { user } = await callApi("PATCH /agents/:id", { params: { id }, body: change });
  return user;
}
