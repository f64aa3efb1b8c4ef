/**
 * Values on the wire of the API and the sockets. Lower-case codes travel on the wire; the UI maps them to labels.
 * Each list is the single source for the zod schemas, the database check constraints and the UI.
 */

/** Ticket lifecycle states. */
export const TICKET_STATUSES = [
  "new",
  "open",
  "pending_customer",
  "pending_internal",
  "pending_distributor",
  "resolved",
  "closed",
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * How a ticket came in: the customer's portal form, an agent on the customer's behalf, or a mail
 * to the support address. Portal and email tickets are the customer's own words.
 */
export const TICKET_CHANNELS = ["portal", "agent", "email"] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** Ticket priorities, lowest first. */
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Ticket categories for imported phones (docs/DOMAIN.md, "Ticket categories"). */
export const CATEGORIES = [
  "network",
  "no_service",
  "volte_wifi_calling",
  "sms_mms_data",
  "google_services_rom",
  "software_update",
  "hardware_defect",
  "doa",
  "warranty_claim",
  "rma_status",
  "shipping_customs",
  "accessories",
  "billing",
  "lost_stolen",
  "authenticity",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Who stands behind a handset: the selling carrier's own warranty, or nobody. */
export const WARRANTY_SOURCES = ["carrier", "none"] as const;
export type WarrantySource = (typeof WARRANTY_SOURCES)[number];

/** Why a carrier warranty was voided (docs/DOMAIN.md, "Warranty"). */
export const VOID_REASONS = [
  "physical_damage",
  "liquid_damage",
  "tampering",
  "unofficial_rom",
  "bootloader_unlocked",
  "imei_mismatch",
  "counterfeit",
  "no_proof_of_purchase",
] as const;
export type VoidReason = (typeof VOID_REASONS)[number];

/** Agent roles. An admin has every right of an agent plus agent management. */
export const ROLES = ["admin", "agent"] as const;
export type Role = (typeof ROLES)[number];

/** Kinds of handset identifier. A dual-SIM phone has two `imei` rows (slots 1 and 2). */
export const IDENTIFIER_KINDS = ["imei", "serial"] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Where an identifier came from. */
export const IDENTIFIER_SOURCES = ["customer", "agent", "distributor", "device"] as const;
export type IdentifierSource = (typeof IDENTIFIER_SOURCES)[number];

/** Kinds of entry in a ticket's append-only history. */
export const TICKET_EVENT_TYPES = [
  "created",
  "message",
  "note",
  "status_changed",
  "priority_changed",
  "category_changed",
  "assignee_changed",
  "warranty_changed",
  "handset_changed",
  "rated",
  "link_revoked",
  "rma_opened",
  "rma_state_changed",
  "rma_updated",
  "sla_breached",
  "email_failed",
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/** Who caused an event. */
export const ACTOR_TYPES = ["customer", "agent", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Flags raised on a ticket for an agent to look at; a customer is never refused because of one. */
export const TICKET_FLAGS = [
  "identifier_on_other_customer",
  "test_range_imei",
  "tac_brand_mismatch",
  "tac_unknown",
  "variant_unknown",
  /** The IMEI's latest report or check on the lost/stolen register says lost, stolen or flagged. */
  "imei_reported_stolen",
] as const;
export type TicketFlag = (typeof TICKET_FLAGS)[number];

/** A customer's one-click verdict on a resolved ticket. */
export const SATISFACTION = ["good", "bad"] as const;
export type Satisfaction = (typeof SATISFACTION)[number];
