import { z } from "zod";
import type { ApiRouter } from "../../http/api-router";
import { IMEI_INPUT_MAX_LENGTH } from "../../../../shared/domain/imei";
import { lookupDevice } from "./device-lookup";
import type { TacCatalog } from "./tac-catalog";

const LookupQuery = z.object({
  imei: z
    .string({ error: "is required" })
    .max(IMEI_INPUT_MAX_LENGTH, `must be at most ${IMEI_INPUT_MAX_LENGTH} characters`),
});

/** Device facts anyone may ask for while typing an IMEI: validity, TAC model, test range. */
export function registerDeviceRoutes(api: ApiRouter, tacs: TacCatalog): void {
  api.add({
    method: "get",
    path: "/devices/lookup",
    summary: "Check an IMEI and name the model its TAC belongs to",
    access: "public",
    query: LookupQuery,
    handler: ({ query }, _req, res) => {
      res.json(lookupDevice(query.imei, tacs));
    },
  });
}
