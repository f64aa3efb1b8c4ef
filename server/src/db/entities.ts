import { SessionRow } from "../auth/session.entity";
import { Agent } from "../modules/agents/agent.entity";
import { Attachment } from "../modules/attachments/attachment.entity";
import { OutboxMessage } from "../modules/outbox/outbox.entity";
import { Customer } from "../modules/customers/customer.entity";
import { Handset } from "../modules/handsets/handset.entity";
import { HandsetIdentifier } from "../modules/handsets/handset-identifier.entity";
import { Ticket } from "../modules/tickets/ticket.entity";
import { TicketEvent } from "../modules/tickets/ticket-event.entity";
import { ImportBatch } from "../modules/batches/import-batch.entity";
import { Distributor } from "../modules/batches/distributor.entity";
import { Carrier } from "../modules/carriers/carrier.entity";
import { CarrierBand } from "../modules/carriers/carrier-band.entity";
import { Certification } from "../modules/carriers/certification.entity";
import { CatalogAudit } from "../modules/catalog/catalog-audit.entity";
import { DeviceModel } from "../modules/catalog/device-model.entity";
import { DeviceVariant } from "../modules/catalog/device-variant.entity";
import { TacEntry } from "../modules/catalog/tac-entry.entity";
import { VariantBulkMessage } from "../modules/catalog/bulk-message.entity";
import { Setting } from "../modules/settings/setting.entity";
import { SlaPolicy } from "../modules/sla/sla-policy.entity";
import { TicketSla } from "../modules/sla/ticket-sla.entity";
import { Rma } from "../modules/rma/rma.entity";
import { RmaLeg } from "../modules/rma/rma-leg.entity";
import { RmaTransition } from "../modules/rma/rma-transition.entity";
import { HandsetReplacement } from "../modules/rma/handset-replacement.entity";
import { AgentRotation } from "../modules/assignment/agent-rotation.entity";
import { SavedView } from "../modules/views/saved-view.entity";
import { MailReceipt, MailSuppression } from "../modules/email/mail-receipt.entity";
import { SignInLink } from "../modules/email/sign-in-link.entity";
import { CustomerErasure } from "../modules/privacy/customer-erasure.entity";
import { HandsetChange } from "../modules/handsets/handset-change.entity";
import { RegisterEntry } from "../modules/register/register-entry.entity";

/** Every entity of the application, in one list for the DataSource. */
export const entities = [
  Agent,
  Attachment,
  OutboxMessage,
  Customer,
  Handset,
  HandsetIdentifier,
  SessionRow,
  Ticket,
  TicketEvent,
  DeviceModel,
  DeviceVariant,
  TacEntry,
  CatalogAudit,
  VariantBulkMessage,
  Carrier,
  CarrierBand,
  Certification,
  Setting,
  Distributor,
  ImportBatch,
  SlaPolicy,
  TicketSla,
  Rma,
  RmaLeg,
  RmaTransition,
  HandsetReplacement,
  AgentRotation,
  SavedView,
  MailReceipt,
  MailSuppression,
  SignInLink,
  CustomerErasure,
  HandsetChange,
  RegisterEntry,
];
