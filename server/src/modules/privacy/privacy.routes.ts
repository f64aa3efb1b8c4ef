import { z } from "zod";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import {
  CustomerExportDto,
  EraseCustomerRequest,
  EraseCustomerResponse,
  ErasureListResponse,
} from "../../../../shared/contracts/http/privacy";
import type { ApiRouter } from "../../http/api-router";
import type { PrivacyService } from "./privacy.service";

/** A customer's data on request, and their erasure; admins only. */
export function registerPrivacyRoutes(api: ApiRouter, privacy: PrivacyService): void {
  api.add({
    method: "get",
    path: "/customers/:id/export",
    summary: "Everything held about a customer, as a JSON download",
    access: "admin",
    response: CustomerExportDto,
    notFound: "Customer",
    params: IdParams,
    // The download adapter: the JSON document is sent with a Content-Disposition header, so a
    // browser saves it as a file; the router still checks and sends the body it returns.
    http: async ({ params }, _req, res) => {
      const data = await privacy.export(params.id);
      res.setHeader("Content-Disposition", `attachment; filename="customer-${params.id}.json"`);
      return data;
    },
  });

  api.add({
    method: "post",
    path: "/customers/:id/erase",
    summary: "Erase a customer, irreversibly (confirm with their email); audited",
    access: "admin",
    response: EraseCustomerResponse,
    notFound: "Customer",
    params: IdParams,
    body: EraseCustomerRequest,
    handler: async ({ params, body, user }) => ({
      erasure: await privacy.erase(params.id, body, user),
    }),
  });

  api.add({
    method: "get",
    path: "/customers/erasures",
    summary: "The audit of customer erasures: who, when, why, how much",
    access: "admin",
    response: ErasureListResponse,
    query: z.strictObject({}),
    handler: async () => ({ erasures: await privacy.erasures() }),
  });
}
