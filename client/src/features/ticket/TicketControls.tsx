import { useState } from "preact/hooks";
import type { TicketDto } from "../../../../shared/contracts/http/tickets";
import { CATEGORIES, PRIORITIES, TICKET_STATUSES } from "../../../../shared/domain/enums";
import type { Category, Priority, TicketStatus } from "../../../../shared/domain/enums";
import { STATUS_TRANSITIONS } from "../../../../shared/domain/status";
import type { TeamMember } from "../../api/agents";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { updateTicket } from "../../api/tickets";
import { autoAssign } from "../../api/assignment";
import type { TicketChange } from "../../api/tickets";
import { ErrorMessage } from "../../components/ErrorMessage";
import { AGENT_STATUS_LABELS, CATEGORY_LABELS, PRIORITY_LABELS } from "../tickets/labels";

interface ControlsProps {
  ticket: TicketDto;
  team: readonly TeamMember[];
  userId: string;
  onUpdated: (ticket: TicketDto) => void;
  /** Filled with the "assign to me" action, for the `a` shortcut. */
  assignToMe: { current: (() => void) | null };
}

/**
 * Status (only the moves the workflow allows), priority, category, assignee, and "assign to me".
 * Each change is saved at once; the server's answer replaces the ticket.
 */
export function TicketControls({ ticket, team, userId, onUpdated, assignToMe }: ControlsProps) {
  const [saving, setSaving] = useState<keyof TicketChange | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const save = (field: keyof TicketChange, change: TicketChange) => {
    setSaving(field);
    setError(null);
    updateTicket(ticket.id, change)
      .then(onUpdated, (failure: unknown) => setError(asApiError(failure)))
      .finally(() => setSaving(null));
  };

  const nextStatuses = new Set<TicketStatus>([ticket.status, ...STATUS_TRANSITIONS[ticket.status]]);
  const statuses = TICKET_STATUSES.filter((status) => nextStatuses.has(status));
  const assignees = team.some((member) => member.id === ticket.assignee?.id)
    ? team
    : ticket.assignee !== null
      ? [...team, { id: ticket.assignee.id, name: ticket.assignee.name, role: "agent" as const }]
      : team;
  const mine = ticket.assignee?.id === userId;
  assignToMe.current = () => {
    if (!mine && saving === null) {
      save("assigneeId", { assigneeId: userId });
    }
  };
  const idPrefix = `ticket-${ticket.id}`;

  return (
    <section class="card controls" aria-labelledby={`${idPrefix}-controls`}>
      <h2 id={`${idPrefix}-controls`} class="card__title">
        Ticket
      </h2>
      <div class="controls__grid">
        <div class="field field--compact">
          <label for={`${idPrefix}-status`}>Status</label>
          <select
            id={`${idPrefix}-status`}
            value={ticket.status}
            disabled={saving !== null || statuses.length === 1}
            aria-describedby={ticket.status === "closed" ? `${idPrefix}-final` : undefined}
            onChange={(event) =>
              save("status", { status: event.currentTarget.value as TicketStatus })
            }
          >
            {statuses.map((status) => (
              <option key={status} value={status}>
                {AGENT_STATUS_LABELS[status]}
              </option>
            ))}
          </select>
          {ticket.status === "closed" && (
            <p id={`${idPrefix}-final`} class="muted field__hint">
              Closed is final.
            </p>
          )}
        </div>
        <div class="field field--compact">
          <label for={`${idPrefix}-priority`}>Priority</label>
          <select
            id={`${idPrefix}-priority`}
            value={ticket.priority}
            disabled={saving !== null}
            onChange={(event) =>
              save("priority", { priority: event.currentTarget.value as Priority })
            }
          >
            {PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {PRIORITY_LABELS[priority]}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--compact field--wide">
          <label for={`${idPrefix}-category`}>Category</label>
          <select
            id={`${idPrefix}-category`}
            value={ticket.category}
            disabled={saving !== null}
            onChange={(event) =>
              save("category", { category: event.currentTarget.value as Category })
            }
          >
            {CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {CATEGORY_LABELS[category]}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--compact field--wide">
          <label for={`${idPrefix}-assignee`}>Assignee</label>
          <select
            id={`${idPrefix}-assignee`}
            value={ticket.assignee?.id ?? ""}
            disabled={saving !== null}
            onChange={(event) => {
              const value = event.currentTarget.value;
              save("assigneeId", { assigneeId: value === "" ? null : value });
            }}
          >
            <option value="">Unassigned</option>
            {assignees.map((member) => (
              <option key={member.id} value={member.id}>
                {member.id === userId ? `${member.name} (me)` : member.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button
        type="button"
        class="button button--secondary"
        disabled={mine || saving !== null}
        aria-keyshortcuts="a"
        onClick={() => save("assigneeId", { assigneeId: userId })}
      >
        {mine ? "Assigned to you" : "Assign to me"}
      </button>{" "}
      <button
        type="button"
        class="button button--quiet"
        disabled={saving !== null || ticket.status === "closed"}
        title="To the next agent online in the console, in turn"
        onClick={() => {
          setSaving("assigneeId");
          setError(null);
          autoAssign(ticket.id)
            .then(onUpdated, (failure: unknown) => setError(asApiError(failure)))
            .finally(() => setSaving(null));
        }}
      >
        Auto-assign
      </button>
      <p class="visually-hidden" role="status">
        {saving !== null ? "Saving…" : ""}
      </p>
      {error !== null && <ErrorMessage error={error} title="The change was not saved" />}
    </section>
  );
}
