import type { TicketEventDto } from "../../../../shared/contracts/http/tickets";
import type {
  Category,
  Priority,
  TicketStatus,
  VoidReason,
  WarrantySource,
} from "../../../../shared/domain/enums";
import { RMA_STATE_LABELS, RMA_TYPE_LABELS } from "../../../../shared/domain/rma";
import type { RmaState, RmaType } from "../../../../shared/domain/rma";
import { formatDateTime, formatDay } from "../tickets/format";
import {
  AGENT_STATUS_LABELS,
  CATEGORY_LABELS,
  PRIORITY_LABELS,
  VOID_REASON_OPTION_LABELS,
  WARRANTY_SOURCE_LABELS,
} from "../tickets/labels";

type Change = NonNullable<TicketEventDto["changes"]>[number];
type Value = Change["from"];

/** Resolves an agent id to a name (the audit trail stores assignee ids). */
export type NameOf = (agentId: string) => string | null;

/** Who did it, in words. */
export function actorName(event: TicketEventDto): string {
  if (event.actor.name !== null && event.actor.name !== "") {
    return event.actor.name;
  }
  switch (event.actor.type) {
    case "customer":
      return "The customer";
    case "system":
      return "Greydesk";
    case "agent":
      return "An agent";
  }
}

const FIELD_NAMES: Record<string, string> = {
  warrantySource: "source",
  warrantyStart: "start date",
  warrantyEnd: "end date",
  doaDeadline: "DOA deadline",
  voidReason: "void reason",
  brand: "brand",
  model: "model",
  purchaseDate: "purchase date",
};

function labelled<K extends string>(labels: Record<K, string>, value: Value): string {
  return typeof value === "string" && value in labels ? labels[value as K] : String(value);
}

/** A recorded value in words, by field. */
function valueText(field: string, value: Value, nameOf: NameOf): string {
  if (value === null) {
    return "nothing";
  }
  switch (field) {
    case "status":
      return labelled<TicketStatus>(AGENT_STATUS_LABELS, value);
    case "priority":
      return labelled<Priority>(PRIORITY_LABELS, value);
    case "category":
      return labelled<Category>(CATEGORY_LABELS, value);
    case "warrantySource":
      return labelled<WarrantySource>(WARRANTY_SOURCE_LABELS, value);
    case "voidReason":
      return labelled<VoidReason>(VOID_REASON_OPTION_LABELS, value);
    case "warrantyStart":
    case "warrantyEnd":
    case "doaDeadline":
    case "purchaseDate":
      return typeof value === "string" ? formatDay(value) : String(value);
    case "assigneeId":
      return typeof value === "string" ? (nameOf(value) ?? "an agent no longer listed") : "";
    default:
      return String(value);
  }
}

/** One change of a warranty or handset event: "end date set to 12 March 2017". */
function changePhrase(change: Change, nameOf: NameOf): string {
  const field = FIELD_NAMES[change.field] ?? change.field;
  if (change.from === null) {
    return `${field} set to ${valueText(change.field, change.to, nameOf)}`;
  }
  if (change.to === null) {
    return `${field} cleared (was ${valueText(change.field, change.from, nameOf)})`;
  }
  return `${field} changed from ${valueText(change.field, change.from, nameOf)} to ${valueText(
    change.field,
    change.to,
    nameOf,
  )}`;
}

const RMA_FIELD_NAMES: Record<string, string> = {
  distributorRef: "distributor's reference",
  diagnosis: "diagnosis",
  outcome: "outcome",
  costCurrency: "cost currency",
  distributorCostMinor: "distributor cost",
  shippingCostMinor: "shipping cost",
  quoteDecision: "quote",
};

function rmaValue(field: string, value: Value): string {
  if (value === null) {
    return "nothing";
  }
  if (field === "rmaState" && typeof value === "string" && value in RMA_STATE_LABELS) {
    return RMA_STATE_LABELS[value as RmaState];
  }
  if (field === "rmaType" && typeof value === "string" && value in RMA_TYPE_LABELS) {
    return RMA_TYPE_LABELS[value as RmaType];
  }
  if (field.endsWith("Minor") && typeof value === "number") {
    return (value / 100).toFixed(2);
  }
  return String(value);
}

/** An RMA entry: "Sam moved the RMA from Received to Diagnosed (RMA-5001)". */
function rmaStory(event: TicketEventDto, who: string): string {
  const changes = event.changes ?? [];
  const field = (name: string) => changes.find((change) => change.field === name);
  const state = field("rmaState");
  const number = field("rmaNumber");
  const numbered = number !== undefined ? ` (${rmaValue("rmaNumber", number.to)})` : "";
  const tracking = changes.find((change) => change.field.endsWith(".trackingNumber"));
  const shipped = tracking !== undefined ? `, tracking ${String(tracking.to)}` : "";
  switch (event.type) {
    case "rma_opened":
      return `${who} opened an RMA: ${rmaValue("rmaType", field("rmaType")?.to ?? null)}${numbered}`;
    case "rma_state_changed":
      return state === undefined
        ? `${who} moved the RMA`
        : `${who} moved the RMA from ${rmaValue("rmaState", state.from)} to ${rmaValue(
            "rmaState",
            state.to,
          )}${numbered}${shipped}`;
    default: {
      const decision = field("quoteDecision");
      if (decision !== undefined) {
        return `${who} ${String(decision.to)} the repair quote`;
      }
      if (tracking !== undefined) {
        return `${who} recorded tracking ${String(tracking.to)} for ${event.body ?? "a leg"}`;
      }
      return `${who} updated the RMA: ${changes
        .map(
          (change) =>
            `${RMA_FIELD_NAMES[change.field] ?? change.field} set to ${rmaValue(change.field, change.to)}`,
        )
        .join("; ")}`;
    }
  }
}

/** "First response target missed (due 12 Mar 2026, 14:05)". */
function slaStory(event: TicketEventDto): string {
  const change = (event.changes ?? [])[0];
  const which = change?.field === "firstResponse" ? "First-response" : "Resolution";
  const due = typeof change?.to === "string" ? ` (due ${formatDateTime(change.to)})` : "";
  return `${which} target missed${due}`;
}

/**
 * A history entry as a sentence: "Sam changed status from New to Open", "Sam changed the
 * warranty: end date set to 12 March 2017". Null for messages, notes and the opening (the
 * conversation shows those as messages).
 */
export function storyOf(event: TicketEventDto, nameOf: NameOf): string | null {
  const who = actorName(event);
  const changes = event.changes ?? [];
  const first = changes[0];
  switch (event.type) {
    case "created":
    case "message":
    case "note":
      return null;
    case "status_changed":
    case "priority_changed":
    case "category_changed": {
      if (first === undefined) {
        return `${who} changed the ticket`;
      }
      const what = event.type.replace("_changed", "");
      return `${who} changed ${what} from ${valueText(first.field, first.from, nameOf)} to ${valueText(
        first.field,
        first.to,
        nameOf,
      )}`;
    }
    case "assignee_changed": {
      if (first === undefined) {
        return `${who} changed the assignee`;
      }
      const from =
        typeof first.from === "string" ? valueText("assigneeId", first.from, nameOf) : null;
      const to = typeof first.to === "string" ? valueText("assigneeId", first.to, nameOf) : null;
      if (to === null) {
        return from === null ? `${who} unassigned the ticket` : `${who} unassigned ${from}`;
      }
      const roundRobin = changes.some(
        (change) => change.field === "method" && change.to === "round_robin",
      );
      if (roundRobin) {
        return event.actor.type === "system"
          ? `Greydesk assigned the ticket to ${to} (round-robin)`
          : `${who} auto-assigned the ticket to ${to} (round-robin)`;
      }
      if (first.to === event.actor.id && from === null) {
        return `${who} took the ticket`;
      }
      return from === null
        ? `${who} assigned the ticket to ${to}`
        : `${who} reassigned the ticket from ${from} to ${to}`;
    }
    case "warranty_changed":
      return `${who} changed the warranty: ${changes.map((c) => changePhrase(c, nameOf)).join("; ")}`;
    case "handset_changed": {
      // A variant is named in the body (its id alone says nothing to a reader).
      const named = event.body !== null && changes.some((c) => c.field === "variantId");
      const phrases = changes
        .filter((c) => !(named && c.field === "variantId"))
        .map((c) => changePhrase(c, nameOf));
      if (event.body !== null && (named || phrases.length === 0)) {
        phrases.push(event.body);
      }
      return `${who} changed the handset: ${phrases.join("; ")}`;
    }
    case "rated": {
      const verdict = changes.find((change) => typeof change.to === "string")?.to;
      return verdict === "good" || verdict === "bad"
        ? `${who} rated the outcome ${verdict}`
        : `${who} rated the outcome`;
    }
    case "link_revoked":
      return `${who} revoked the customer's private link`;
    case "rma_opened":
    case "rma_state_changed":
    case "rma_updated":
      return rmaStory(event, who);
    case "sla_breached":
      return slaStory(event);
    case "email_failed":
      return `An email to the customer could not be delivered${event.body ? `: ${event.body}` : ""}`;
  }
}
