import { DeviceLookupDto } from "../../../../shared/contracts/http/catalog";
import { z } from "zod";
import type { ApiRouter } from "../../http/api-router";
import { IMEI_INPUT_MAX_LENGTH } from "../../../../shared/domain/imei";
import type { DeviceLookupResult } from "./device-lookup";

const LookupQuery = z.object({
  imei: z
    .string({ error: "is required" })
    .max(IMEI_INPUT_MAX_LENGTH, `must be at most ${IMEI_INPUT_MAX_LENGTH} characters`),
});

/** Device facts anyone may ask for while typing an IMEI: validity, TAC model, test range. */
export function registerDeviceRoutes(
  api: ApiRouter,
  devices: { lookupDevice(raw: string): Promise<DeviceLookupResult> },
): void {
  api.add({
    method: "get",
    path: "/devices/lookup",
    summary:
      "Check an IMEI, name the model its TAC belongs to (and the variant and verdict, when known)",
    access: "public",
    response: DeviceLookupDto,
    query: LookupQuery,
    handler: ({ query }) => devices.lookupDevice(query.imei),
  });
}
