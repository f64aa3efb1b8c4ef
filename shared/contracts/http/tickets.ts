import type {
  ActorType,
  Category,
  IdentifierKind,
  IdentifierSource,
  Priority,
  Role,
  TicketEventType,
  TicketFlag,
  TicketStatus,
  VoidReason,
  WarrantySource,
} from "../../domain/enums";
import type { WarrantyDecision } from "../../domain/warranty";

/** A ticket as the agents' queue lists it (and as `ticket:created` / `ticket:updated` carry it). */
export interface TicketDto {
  id: string;
  number: string;
  subject: string;
  category: Category;
  priority: Priority;
  status: TicketStatus;
  channel: "portal" | "agent";
  customer: { id: string; name: string; email: string };
  handset: {
    id: string;
    brand: string | null;
    model: string | null;
    imeiMasked: string | null;
    warrantySource: WarrantySource;
  } | null;
  assignee: { id: string; name: string } | null;
  warranty: WarrantyDecision | null;
  flags: TicketFlag[];
  createdAt: string;
  updatedAt: string;
  slaDueAt: string | null;
}

/** One identifier of a handset, in full (agents only). */
export interface HandsetIdentifierDto {
  kind: IdentifierKind;
  value: string;
  slot: number | null;
  source: IdentifierSource;
  softwareVersion: string | null;
}

/** A handset record as agents see it. */
export interface HandsetDto {
  id: string;
  customerId: string | null;
  brand: string | null;
  model: string | null;
  purchaseDate: string | null;
  warrantySource: WarrantySource;
  warrantyStart: string | null;
  warrantyEnd: string | null;
  doaDeadline: string | null;
  voidReason: VoidReason | null;
  identifiers: HandsetIdentifierDto[];
  warranty: WarrantyDecision;
  createdAt: string;
  updatedAt: string;
}

/** An entry of a ticket's history as agents see it. */
export interface TicketEventDto {
  id: string;
  ticketId: string;
  seq: number;
  type: TicketEventType;
  public: boolean;
  actor: { type: ActorType; id: string | null; name: string | null };
  body: string | null;
  changes:
    | {
        field: string;
        from: string | number | boolean | null;
        to: string | number | boolean | null;
      }[]
    | null;
  createdAt: string;
}

/** A signed-in agent as the API shows it. */
export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
}
