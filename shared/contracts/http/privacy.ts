import { z } from "zod";
import { textField } from "../../domain/text";

/**
 * `POST /api/customers/:id/erase`: irreversible, so the admin types the customer's email address
 * to confirm, and says why (kept in the audit, with anything naming the customer replaced).
 */
export const EraseCustomerRequest = z.strictObject({
  reason: textField({ min: 3, max: 500, multiline: true }),
  confirmEmail: textField({ max: 254 }),
});
export type EraseCustomerInput = z.output<typeof EraseCustomerRequest>;

export interface ErasureCountsDto {
  tickets: number;
  messages: number;
  attachments: number;
  outbox: number;
  handsets: number;
}

/** One erasure as the audit keeps it. */
export interface CustomerErasureDto {
  id: string;
  customerId: string;
  erasedAt: string;
  by: { id: string | null; name: string };
  reason: string;
  counts: ErasureCountsDto;
}

/** `GET /api/customers/:id/export`: everything held about one customer. */
export interface CustomerExportDto {
  exportedAt: string;
  customer: {
    id: string;
    email: string;
    name: string;
    phone: string | null;
    emailVerifiedAt: string | null;
    createdAt: string;
    updatedAt: string;
    erasedAt: string | null;
  };
  tickets: {
    id: string;
    number: string;
    subject: string;
    description: string;
    category: string;
    status: string;
    priority: string;
    channel: string;
    contactName: string | null;
    contactPhone: string | null;
    handsetId: string | null;
    satisfaction: string | null;
    satisfactionComment: string | null;
    createdAt: string;
    updatedAt: string;
    resolvedAt: string | null;
    messages: {
      id: string;
      type: string;
      internal: boolean;
      from: string;
      authorName: string | null;
      body: string;
      createdAt: string;
    }[];
    attachments: {
      id: string;
      messageId: string;
      filename: string;
      contentType: string;
      size: number;
      sha256: string;
      createdAt: string;
    }[];
    rmas: { id: string; number: string | null; type: string; state: string; createdAt: string }[];
  }[];
  handsets: {
    id: string;
    brand: string | null;
    model: string | null;
    purchaseDate: string | null;
    warrantySource: string;
    warrantyStart: string | null;
    warrantyEnd: string | null;
    identifiers: { kind: string; value: string }[];
  }[];
  emails: { id: string; kind: string; subject: string; createdAt: string; sentAt: string | null }[];
}
