import type { Category, TicketStatus } from "../../../../shared/domain/enums";

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
