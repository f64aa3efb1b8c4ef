import {
  SlaPolicyListResponse,
  SlaPolicyResponse,
  SlaSummaryResponse,
} from "../../../../shared/contracts/http/sla";
import { z } from "zod";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import {
  CreateSlaPolicyRequest,
  UpdateSlaPolicyRequest,
} from "../../../../shared/contracts/http/sla";
import { NoContent } from "../../http/api-router";
import type { ApiRouter } from "../../http/api-router";
import type { SlaService } from "./sla.service";

/** SLA policies (admins change them; agents read them) and the breach counts. */
export function registerSlaRoutes(api: ApiRouter, sla: SlaService): void {
  api.add({
    method: "get",
    path: "/sla/policies",
    summary: "The SLA policies: targets per priority (and category), business hours, pauses",
    access: "agent",
    response: SlaPolicyListResponse,
    handler: async () => ({ policies: await sla.listPolicies() }),
  });

  api.add({
    method: "post",
    path: "/sla/policies",
    status: 201,
    summary: "Add an SLA policy (the open tickets it covers get new due dates)",
    access: "admin",
    response: SlaPolicyResponse,
    body: CreateSlaPolicyRequest,
    handler: async ({ body, user }) => ({ policy: await sla.createPolicy(user, body) }),
  });

  api.add({
    method: "patch",
    path: "/sla/policies/:id",
    summary: "Change an SLA policy (the open tickets it covers get new due dates)",
    access: "admin",
    response: SlaPolicyResponse,
    notFound: "SLA policy",
    params: IdParams,
    body: UpdateSlaPolicyRequest,
    handler: async ({ params, body, user }) => ({
      policy: await sla.updatePolicy(user, params.id, body),
    }),
  });

  api.add({
    method: "delete",
    path: "/sla/policies/:id",
    status: 204,
    summary: "Remove an SLA policy",
    access: "admin",
    response: NoContent,
    notFound: "SLA policy",
    params: IdParams,
    body: z.object({}).optional(),
    handler: ({ params, user }) => sla.deletePolicy(user, params.id),
  });

  api.add({
    method: "get",
    path: "/sla/summary",
    summary: "Breached, at-risk and paused tickets among those not resolved, and the caller's",
    access: "agent",
    response: SlaSummaryResponse,
    handler: async ({ user }) => ({ summary: await sla.summary(user) }),
  });
}
