import type {
  Category,
  Priority,
  Role,
  TicketFlag,
  TicketStatus,
  VoidReason,
  WarrantySource,
} from "../../../../shared/domain/enums";
import type { WarrantyStatus } from "../../../../shared/domain/warranty";
import type { VerdictLevel } from "../../../../shared/domain/verdict";
import type { TacSource } from "../../../../shared/domain/catalog";

/** How the UI names each status (the wire carries the code). */
export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: "New",
  open: "Open",
  pending_customer: "Waiting for you",
  pending_internal: "In progress",
  pending_distributor: "Waiting for the distributor",
  resolved: "Resolved",
  closed: "Closed",
};

/** How the UI names each category. */
export const CATEGORY_LABELS: Record<Category, string> = {
  network: "Network or signal",
  no_service: "No service",
  volte_wifi_calling: "VoLTE or Wi-Fi calling",
  sms_mms_data: "SMS, MMS or mobile data",
  google_services_rom: "Google services or software (ROM)",
  software_update: "Software update",
  hardware_defect: "Hardware defect",
  doa: "Dead on arrival",
  warranty_claim: "Warranty claim",
  rma_status: "Repair or return status",
  shipping_customs: "Shipping or customs",
  accessories: "Accessories",
  billing: "Billing",
  lost_stolen: "Lost or stolen",
  authenticity: "Authenticity",
  other: "Something else",
};

/** How the agent console names each status (the portal speaks to the customer instead). */
export const AGENT_STATUS_LABELS: Record<TicketStatus, string> = {
  new: "New",
  open: "Open",
  pending_customer: "Waiting on customer",
  pending_internal: "Pending internally",
  pending_distributor: "Waiting on distributor",
  resolved: "Resolved",
  closed: "Closed",
};

/** How the console names each priority. */
export const PRIORITY_LABELS: Record<Priority, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};

/** How the console names each warranty source. */
export const WARRANTY_SOURCE_LABELS: Record<WarrantySource, string> = {
  carrier: "Carrier warranty",
  none: "None (sold as-is)",
};

/** The decision badge's words. */
export const WARRANTY_STATUS_LABELS: Record<WarrantyStatus, string> = {
  doa: "DOA",
  covered: "Covered",
  not_covered: "Not covered",
  pending: "Warranty pending",
};

/** Why a carrier warranty was voided, as a select option names it. */
export const VOID_REASON_OPTION_LABELS: Record<VoidReason, string> = {
  physical_damage: "Physical damage",
  liquid_damage: "Water damage",
  tampering: "Tampering",
  unofficial_rom: "Unofficial software (ROM)",
  bootloader_unlocked: "Unlocked bootloader",
  imei_mismatch: "IMEI differs from our record",
  counterfeit: "Counterfeit device",
  no_proof_of_purchase: "No proof of purchase",
};

/** What each flag warns the agent about. */
export const FLAG_LABELS: Record<TicketFlag, string> = {
  identifier_on_other_customer: "This IMEI is already on another customer's record",
  test_range_imei: "Test-range IMEI: not a production handset",
  tac_brand_mismatch: "The brand the customer gave differs from the IMEI's model",
  tac_unknown: "The IMEI's model (TAC) is not in our catalogue",
  variant_unknown: "The exact variant is not known: network support cannot be judged",
  imei_wiped: "IMEI wiped or reset: the network may refuse the phone; check the box label",
  imei_reported_stolen:
    "This IMEI is on the lost/stolen register (reported or flagged): no RMA until it is cleared",
};

/** Short flag names for the queue rows. */
export const FLAG_SHORT_LABELS: Record<TicketFlag, string> = {
  identifier_on_other_customer: "IMEI on other customer",
  test_range_imei: "Test IMEI",
  tac_brand_mismatch: "Brand mismatch",
  tac_unknown: "Unknown TAC",
  variant_unknown: "Unknown variant",
  imei_wiped: "Wiped IMEI",
  imei_reported_stolen: "Reported lost/stolen",
};

/** How the console names each role. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  agent: "Agent",
};

/** A network verdict's level, as the handset panel names it. */
export const VERDICT_LEVEL_LABELS: Record<VerdictLevel, string> = {
  full: "Works fully",
  partial: "Works, with limits",
  legacy_only: "3G/2G only",
  none: "No service",
  unknown: "Unknown",
};

/** Where a TAC entry comes from. */
export const TAC_SOURCE_LABELS: Record<TacSource, string> = {
  osmocom: "Osmocom TAC list",
  agent_observed: "seen by an agent",
  distributor_sheet: "distributor's sheet",
};
