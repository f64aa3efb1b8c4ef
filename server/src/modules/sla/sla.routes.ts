import { z } from "zod";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import {
  CreateSlaPolicyRequest,
  UpdateSlaPolicyRequest,
} from "../../../../shared/contracts/http/sla";
import type { ApiRouter } from "../../http/api-router";
import type { SlaService } from "./sla.service";

/** SLA policies (admins change them; agents read them) and the breach counts. */
export function registerSlaRoutes(api: ApiRouter, sla: SlaService): void {
  api.add({
    method: "get",
    path: "/sla/policies",
    summary: "The SLA policies: targets per priority (and category), business hours, pauses",
    access: "agent",
    handler: async (_input, _req, res) => {
      res.json({ policies: await sla.listPolicies() });
    },
  });

  api.add({
    method: "post",
    path: "/sla/policies",
    status: 201,
    summary: "Add an SLA policy (the open tickets it covers get new due dates)",
    access: "admin",
    body: CreateSlaPolicyRequest,
    handler: async ({ body }, req, res) => {
      res.status(201).json({ policy: await sla.createPolicy(req.user!, body) });
    },
  });

  api.add({
    method: "patch",
    path: "/sla/policies/:id",
    summary: "Change an SLA policy (the open tickets it covers get new due dates)",
    access: "admin",
    notFound: "SLA policy",
    params: IdParams,
    body: UpdateSlaPolicyRequest,
    handler: async ({ params, body }, req, res) => {
      res.json({ policy: await sla.updatePolicy(req.user!, params.id, body) });
    },
  });

  api.add({
    method: "delete",
    path: "/sla/policies/:id",
    status: 204,
    summary: "Remove an SLA policy",
    access: "admin",
    notFound: "SLA policy",
    params: IdParams,
    body: z.object({}).optional(),
    handler: async ({ params }, req, res) => {
      await sla.deletePolicy(req.user!, params.id);
      res.status(204).end();
    },
  });

  api.add({
    method: "get",
    path: "/sla/summary",
    summary: "Breached, at-risk and paused tickets among those not resolved, and the caller's",
    access: "agent",
    handler: async (_input, req, res) => {
      res.json({ summary: await sla.summary(req.user!) });
    },
  });
}
