import { z } from "zod";
import { textField } from "../../domain/text";
import { isoDay, isoInstant } from "./domain-schemas";

/**
 * `POST /api/customers/:id/erase`: irreversible, so the admin types the customer's email address
 * to confirm, and says why (kept in the audit, with anything naming the customer replaced).
 */
export const EraseCustomerRequest = z.strictObject({
  reason: textField({ min: 3, max: 500, multiline: true }),
  confirmEmail: textField({ max: 254 }),
});
export type EraseCustomerInput = z.output<typeof EraseCustomerRequest>;

export const ErasureCountsDto = z.strictObject({
  tickets: z.number().int(),
  messages: z.number().int(),
  attachments: z.number().int(),
  outbox: z.number().int(),
  handsets: z.number().int(),
});
export type ErasureCountsDto = z.output<typeof ErasureCountsDto>;

/** One erasure as the audit keeps it. */
export const CustomerErasureDto = z.strictObject({
  id: z.string(),
  customerId: z.string(),
  erasedAt: isoInstant,
  by: z.strictObject({ id: z.string().nullable(), name: z.string() }),
  reason: z.string(),
  counts: ErasureCountsDto,
});
export type CustomerErasureDto = z.output<typeof CustomerErasureDto>;

/** `POST /api/customers/:id/erase`. */
export const EraseCustomerResponse = z.strictObject({ erasure: CustomerErasureDto });
export type EraseCustomerResponse = z.output<typeof EraseCustomerResponse>;

/** `GET /api/customers/erasures`: the newest first. */
export const ErasureListResponse = z.strictObject({ erasures: z.array(CustomerErasureDto) });
export type ErasureListResponse = z.output<typeof ErasureListResponse>;

/** `GET /api/customers/:id/export`: everything held about one customer. */
export const CustomerExportDto = z.strictObject({
  exportedAt: isoInstant,
  customer: z.strictObject({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    emailVerifiedAt: isoInstant.nullable(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    erasedAt: isoInstant.nullable(),
  }),
  tickets: z.array(
    z.strictObject({
      id: z.string(),
      number: z.string(),
      subject: z.string(),
      description: z.string(),
      category: z.string(),
      status: z.string(),
      priority: z.string(),
      channel: z.string(),
      contactName: z.string().nullable(),
      contactPhone: z.string().nullable(),
      handsetId: z.string().nullable(),
      satisfaction: z.string().nullable(),
      satisfactionComment: z.string().nullable(),
      createdAt: isoInstant,
      updatedAt: isoInstant,
      resolvedAt: isoInstant.nullable(),
      messages: z.array(
        z.strictObject({
          id: z.string(),
          type: z.string(),
          internal: z.boolean(),
          from: z.string(),
          authorName: z.string().nullable(),
          body: z.string(),
          createdAt: isoInstant,
        }),
      ),
      attachments: z.array(
        z.strictObject({
          id: z.string(),
          messageId: z.string(),
          filename: z.string(),
          contentType: z.string(),
          size: z.number().int(),
          sha256: z.string(),
          createdAt: isoInstant,
        }),
      ),
      rmas: z.array(
        z.strictObject({
          id: z.string(),
          number: z.string().nullable(),
          type: z.string(),
          state: z.string(),
          createdAt: isoInstant,
        }),
      ),
    }),
  ),
  handsets: z.array(
    z.strictObject({
      id: z.string(),
      brand: z.string().nullable(),
      model: z.string().nullable(),
      purchaseDate: isoDay.nullable(),
      warrantySource: z.string(),
      warrantyStart: isoDay.nullable(),
      warrantyEnd: isoDay.nullable(),
      identifiers: z.array(z.strictObject({ kind: z.string(), value: z.string() })),
    }),
  ),
  emails: z.array(
    z.strictObject({
      id: z.string(),
      kind: z.string(),
      subject: z.string(),
      createdAt: isoInstant,
      sentAt: isoInstant.nullable(),
    }),
  ),
});
export type CustomerExportDto = z.output<typeof CustomerExportDto>;
