import type { Request } from "express";
import { z } from "zod";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import { EraseCustomerRequest } from "../../../../shared/contracts/http/privacy";
import type { AuthUser } from "../../auth/principal";
import { AuthenticationError } from "../../errors/app-error";
import type { ApiRouter } from "../../http/api-router";
import type { PrivacyService } from "./privacy.service";

function caller(req: Request): AuthUser {
  if (req.user === undefined) {
    throw new AuthenticationError();
  }
  return req.user;
}

/** A customer's data on request, and their erasure; admins only. */
export function registerPrivacyRoutes(api: ApiRouter, privacy: PrivacyService): void {
  api.add({
    method: "get",
    path: "/customers/:id/export",
    summary: "Everything held about a customer, as a JSON download",
    access: "admin",
    notFound: "Customer",
    params: IdParams,
    handler: async ({ params }, _req, res) => {
      const data = await privacy.export(params.id);
      res.setHeader("Content-Disposition", `attachment; filename="customer-${params.id}.json"`);
      res.json(data);
    },
  });

  api.add({
    method: "post",
    path: "/customers/:id/erase",
    summary: "Erase a customer, irreversibly (confirm with their email); audited",
    access: "admin",
    notFound: "Customer",
    params: IdParams,
    body: EraseCustomerRequest,
    handler: async ({ params, body }, req, res) => {
      res.json({ erasure: await privacy.erase(params.id, body, caller(req)) });
    },
  });

  api.add({
    method: "get",
    path: "/customers/erasures",
    summary: "The audit of customer erasures: who, when, why, how much",
    access: "admin",
    query: z.strictObject({}),
    handler: async (_input, _req, res) => {
      res.json({ erasures: await privacy.erasures() });
    },
  });
}
