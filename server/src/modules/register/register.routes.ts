import {
  HandsetHistoryQuery,
  HandsetHistoryResponse,
  HandsetRegisterResponse,
  RegisterCheckRequest,
  RegisterEntryRequest,
  RegisterEntryResponse,
  RegisterImeiResponse,
  RegisterQuery,
} from "../../../../shared/contracts/http/register";
import { IdParams } from "../../../../shared/contracts/http/agent-tickets";
import type { ApiRouter } from "../../http/api-router";
import type { RegisterService } from "./register.service";

/** The agents' lost/stolen register and the handsets' history. */
export function registerRegisterRoutes(api: ApiRouter, register: RegisterService): void {
  api.add({
    method: "get",
    path: "/register",
    summary: "An IMEI on the lost/stolen register: its status and every report and check",
    access: "agent",
    response: RegisterImeiResponse,
    query: RegisterQuery,
    handler: async ({ query }) => ({ register: await register.lookup(query.imei.imei) }),
  });

  api.add({
    method: "post",
    path: "/register/entries",
    summary: "Report an IMEI lost or stolen, or clear it as recovered (audited)",
    access: "agent",
    status: 201,
    response: RegisterEntryResponse,
    body: RegisterEntryRequest,
    handler: ({ body, user }) => register.addEntry(user, body),
  });

  api.add({
    method: "post",
    path: "/register/checks",
    summary: "Log a manual external check of an IMEI: service, result, reference (audited)",
    access: "agent",
    status: 201,
    response: RegisterEntryResponse,
    body: RegisterCheckRequest,
    handler: ({ body, user }) => register.logCheck(user, body),
  });

  api.add({
    method: "get",
    path: "/handsets/:id/register",
    summary: "A handset's IMEIs on the lost/stolen register",
    access: "agent",
    response: HandsetRegisterResponse,
    notFound: "Handset",
    params: IdParams,
    handler: ({ params }) => register.ofHandset(params.id),
  });

  api.add({
    method: "get",
    path: "/handsets/:id/history",
    summary: "Every change of a handset's record, newest first (paged)",
    access: "agent",
    response: HandsetHistoryResponse,
    notFound: "Handset",
    params: IdParams,
    query: HandsetHistoryQuery,
    handler: ({ params, query }) => register.history(params.id, query),
  });
}
