import type { UserDto } from "../../../shared/contracts/http/tickets";
import type { Role } from "../../../shared/domain/enums";
import { getJson, patchJson, postJson } from "./http";

/** An active agent as the assignee picker lists them (`GET /api/team`). */
export interface TeamMember {
  id: string;
  name: string;
  role: Role;
}

/** `POST /api/agents` body. */
export interface NewAgent {
  email: string;
  name: string;
  password: string;
  role: Role;
}

/** `PATCH /api/agents/:id` body. */
export interface AgentChange {
  name?: string;
  role?: Role;
  disabled?: boolean;
  password?: string;
}

/** The active agents, for the assignee picker (any agent may ask). */
export async function fetchTeam(signal?: AbortSignal): Promise<TeamMember[]> {
  const { items } = await getJson<{ items: TeamMember[] }>("/api/team", { signal });
  return items;
}

/** Every agent and admin, disabled ones too (admins only). */
export async function listAgents(signal?: AbortSignal): Promise<UserDto[]> {
  const { items } = await getJson<{ items: UserDto[] }>("/api/agents", { signal });
  return items;
}

export async function createAgent(agent: NewAgent): Promise<UserDto> {
  const { user } = await postJson<{ user: UserDto }>("/api/agents", agent);
  return user;
}

export async function updateAgent(id: string, change: AgentChange): Promise<UserDto> {
  const { user } = await patchJson<{ user: UserDto }>(
    `/api/agents/${encodeURIComponent(id)}`,
    change,
  );
  return user;
}
