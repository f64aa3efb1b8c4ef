import { CATEGORIES } from "../../../../shared/domain/enums";
import type { Category, TicketStatus } from "../../../../shared/domain/enums";
import type { WarrantyDecision } from "../../../../shared/domain/warranty";

// What the portal says to customers: plain words, no codes. The console has its own labels.

/** A category as a customer picks it: what it is about, and a one-line hint. */
export interface CategoryChoice {
  value: Category;
  label: string;
  hint: string;
}

const CATEGORY_WORDS: Record<Category, { label: string; hint: string }> = {
  network: {
    label: "Network or signal",
    hint: "No 4G/LTE, weak signal, or the phone doesn't work on our network",
  },
  no_service: {
    label: "No service at all",
    hint: "The phone shows “No service” or “Emergency calls only”, or doesn't see the SIM",
  },
  volte_wifi_calling: {
    label: "HD Voice (VoLTE) or Wi-Fi calling",
    hint: "Calls drop to 3G, HD Voice is missing, or Wi-Fi calling won't turn on",
  },
  sms_mms_data: {
    label: "Texts, picture messages or mobile data",
    hint: "Can't send or receive SMS or MMS, or mobile internet doesn't work",
  },
  google_services_rom: {
    label: "Google apps or the phone's software",
    hint: "Play Store or Google apps are missing, or the software is in another language",
  },
  software_update: {
    label: "Software update",
    hint: "An update failed, or the phone isn't offered updates",
  },
  hardware_defect: {
    label: "Something is broken or faulty",
    hint: "Screen, battery, charging, camera, buttons, speaker or microphone",
  },
  doa: {
    label: "Didn't work when it arrived",
    hint: "The phone was broken or wouldn't turn on when you unboxed it",
  },
  warranty_claim: {
    label: "Warranty repair or replacement",
    hint: "You'd like the phone repaired or replaced under warranty",
  },
  rma_status: {
    label: "A repair or return already under way",
    hint: "Ask where your phone is in a repair or return you already started",
  },
  shipping_customs: {
    label: "Delivery or customs",
    hint: "Your order hasn't arrived, is held at customs, or came with a customs charge",
  },
  accessories: {
    label: "Charger, cable or other accessories",
    hint: "Something is missing, or the charger has the wrong plug",
  },
  billing: {
    label: "Bill or payment",
    hint: "A charge you don't recognise, a refund, or a payment problem",
  },
  lost_stolen: {
    label: "Lost or stolen phone",
    hint: "Tell us so the phone can be blocked on the network",
  },
  authenticity: {
    label: "Is my phone genuine?",
    hint: "The phone, its box or its details don't match what you ordered",
  },
  other: {
    label: "Something else",
    hint: "Anything not listed above",
  },
};

/** The categories in the order of CATEGORIES, as the form offers them. */
export const CATEGORY_CHOICES: readonly CategoryChoice[] = CATEGORIES.map((value) => ({
  value,
  ...CATEGORY_WORDS[value],
}));

/** A category's label for customers. */
export function categoryLabel(category: Category): string {
  return CATEGORY_WORDS[category].label;
}

/** A status in words, and what it means for the customer. */
export const STATUS_WORDS: Record<TicketStatus, { label: string; detail: string }> = {
  new: {
    label: "Received",
    detail: "We have your ticket. An agent replies within one business day.",
  },
  open: {
    label: "In progress",
    detail: "An agent is working on your ticket.",
  },
  pending_customer: {
    label: "Waiting for your reply",
    detail: "We need something from you: please read our last message and reply below.",
  },
  pending_internal: {
    label: "In progress",
    detail: "We're looking into it and will update you here.",
  },
  pending_distributor: {
    label: "With our distributor",
    detail: "We're waiting to hear from our distributor. We'll update you here.",
  },
  resolved: {
    label: "Resolved",
    detail: "We think this is sorted. If it isn't, reply below and we'll pick it up again.",
  },
  closed: {
    label: "Closed",
    detail: "This ticket is closed. If you need more help, please open a new ticket.",
  },
};

/** One more sentence after the warranty decision's summary: what it means in practice. */
export function warrantyExplanation(warranty: WarrantyDecision): string {
  switch (warranty.status) {
    case "covered":
      return "If the fault is covered, we repair or replace the phone at no cost to you.";
    case "doa":
      return "The phone is within the dead-on-arrival window: if it arrived faulty, we replace it.";
    case "pending":
      return warranty.reason === "not_started"
        ? "Until then, we can still help and quote a repair if one is needed."
        : "An agent checks the dates against your purchase and updates this page.";
    case "not_covered":
      switch (warranty.reason) {
        case "sold_as_is":
          return "This phone was sold without a warranty. We still help with setup, network and software questions, and can quote a repair.";
        case "voided":
          return "The warranty no longer applies to this phone. We can still help and quote a repair.";
        case "expired":
          return "The warranty period is over. We can still help and quote a repair.";
        case "not_started":
        case "dates_unknown":
        case null:
          return "We can still help and quote a repair.";
      }
  }
}

/** A file size for people: "830 B", "12 KB", "3.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${Math.round(bytes / 1024)} KB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const KIND_WORDS: Record<string, string> = {
  "image/jpeg": "JPEG photo",
  "image/png": "PNG image",
  "image/gif": "GIF image",
  "image/webp": "WebP image",
  "image/heic": "HEIC photo",
  "image/heif": "HEIF photo",
  "image/avif": "AVIF image",
  "application/pdf": "PDF",
};

/** A content type for people ("PNG image"), or "file". */
export function kindOf(contentType: string): string {
  return KIND_WORDS[contentType] ?? "file";
}
