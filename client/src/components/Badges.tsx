import type { TicketDto } from "../../../shared/contracts/http/tickets";
import type { Priority, TicketStatus } from "../../../shared/domain/enums";
import type { WarrantyDecision } from "../../../shared/domain/warranty";
import {
  AGENT_STATUS_LABELS,
  FLAG_SHORT_LABELS,
  PRIORITY_LABELS,
  WARRANTY_STATUS_LABELS,
} from "../features/tickets/labels";

// Every badge says what it means in words; colour only repeats it.

export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span class={`badge badge--status-${status}`}>{AGENT_STATUS_LABELS[status]}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span class={`badge badge--priority-${priority}`}>
      <span class="visually-hidden">Priority: </span>
      {PRIORITY_LABELS[priority]}
    </span>
  );
}

/** The warranty decision as a badge; `withSummary` adds the decision's sentence after it. */
export function WarrantyBadge({
  warranty,
  withSummary = false,
}: {
  warranty: WarrantyDecision | null;
  withSummary?: boolean;
}) {
  if (warranty === null) {
    return <span class="badge badge--warranty-none">No handset</span>;
  }
  return (
    <>
      <span
        class={`badge badge--warranty-${warranty.status}`}
        title={withSummary ? undefined : warranty.summary}
      >
        <span class="visually-hidden">Warranty: </span>
        {WARRANTY_STATUS_LABELS[warranty.status]}
      </span>
      {withSummary && (
        <span class="warranty-summary" dir="auto">
          {" "}
          {warranty.summary}
        </span>
      )}
    </>
  );
}

/** The ticket's flags as short warning chips. */
export function FlagChips({ flags }: { flags: TicketDto["flags"] }) {
  if (flags.length === 0) {
    return null;
  }
  return (
    <ul class="chips" aria-label="Flags">
      {flags.map((flag) => (
        <li key={flag} class="badge badge--flag">
          <span aria-hidden="true">⚠ </span>
          {FLAG_SHORT_LABELS[flag]}
        </li>
      ))}
    </ul>
  );
}
