import type { z } from "zod";
import type { ErrorDetail } from "../../../shared/errors";

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) {
      return undefined;
    }
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Zod issues as API error details, one per field, paths dotted (`handset.imei`). A field that
 * was not sent at all is reported as "is required", whatever the schema's own message.
 */
export function zodDetails(error: z.ZodError, input: unknown, prefix = ""): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const path = `${prefix}${issue.path.map(String).join(".")}`.replace(/\.$/, "");
    if (issue.code === "unrecognized_keys") {
      const at = path === "" ? "" : `${path}.`;
      return issue.keys.map((key) => ({
        path: `${at}${key}`,
        message: "is not a field you can set",
      }));
    }
    let message = issue.message;
    if (issue.path.length > 0 && valueAt(input, issue.path) === undefined) {
      message = "is required";
    }
    return { path, message };
  });
}
