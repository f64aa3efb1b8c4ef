import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { TicketSort } from "../../../../shared/contracts/http/agent-tickets";
import type { TicketDto } from "../../../../shared/contracts/http/tickets";
import {
  CATEGORIES,
  PRIORITIES,
  TICKET_FLAGS,
  TICKET_STATUSES,
  WARRANTY_SOURCES,
} from "../../../../shared/domain/enums";
import type { TicketFlag, TicketStatus } from "../../../../shared/domain/enums";
import { VERDICT_LEVELS } from "../../../../shared/domain/verdict";
import type { VerdictLevel } from "../../../../shared/domain/verdict";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { updateTicket } from "../../api/tickets";
import type { TicketFilters } from "../../api/tickets";
import { consoleHref } from "../../app/routes";
import { FlagChips, PriorityBadge, StatusBadge, WarrantyBadge } from "../../components/Badges";
import { ErrorMessage } from "../../components/ErrorMessage";
import { RelativeTime } from "../../components/RelativeTime";
import { usePageTitle } from "../../components/usePageTitle";
import { useShortcuts } from "../shortcuts/shortcuts";
import { deviceName } from "../tickets/format";
import {
  AGENT_STATUS_LABELS,
  CATEGORY_LABELS,
  FLAG_SHORT_LABELS,
  PRIORITY_LABELS,
  WARRANTY_SOURCE_LABELS,
} from "../tickets/labels";
import type { UnreadMarks } from "./unread";
import { ACTIVE_STATUSES, DEFAULT_FILTERS } from "./useQueue";
import { SLA_FILTERS } from "../../../../shared/domain/sla";
import { RMA_STATES, RMA_STATE_LABELS } from "../../../../shared/domain/rma";
import type { RmaState } from "../../../../shared/domain/rma";
import type { Category, Priority } from "../../../../shared/domain/enums";
import { RmaBadge } from "../rma/RmaBadge";
import { SlaChip } from "../sla/SlaCountdown";
import { SlaSummaryBar } from "../sla/SlaSummaryBar";
import { SavedViews } from "../views/SavedViews";
import type { Queue } from "./useQueue";

const SORT_LABELS: Record<TicketSort, string> = {
  updated_desc: "Recently updated",
  updated_asc: "Least recently updated",
  created_desc: "Newest first",
  created_asc: "Oldest first",
  sla_asc: "SLA due soonest",
};

const SEARCH_DELAY_MS = 300;

interface QueuePageProps {
  queue: Queue;
  userId: string;
  unread: UnreadMarks;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  onOpen: (id: string) => void;
  /** Focus the search box on arrival (the `/` shortcut from another page). */
  focusSearch: boolean;
  onSearchFocused: () => void;
}

/** The queue: filters, search, counts per status and the live list of tickets. */
export function QueuePage(props: QueuePageProps) {
  const { queue, selectedId, onSelect, onOpen, unread } = props;
  usePageTitle("Queue");
  const searchBox = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const [assignError, setAssignError] = useState<ApiError | null>(null);

  const focusRow = (id: string) => {
    const link = list.current?.querySelector<HTMLAnchorElement>(
      `a[data-ticket-id="${CSS.escape(id)}"]`,
    );
    link?.focus();
    link?.closest("li")?.scrollIntoView({ block: "nearest" });
  };

  // Coming back from a ticket: put the keyboard where the agent left the list.
  useEffect(() => {
    if (props.focusSearch) {
      searchBox.current?.focus();
      props.onSearchFocused();
    } else if (selectedId !== null) {
      focusRow(selectedId);
    }
    // Only on arrival: later selection changes move the focus themselves.
  }, []);

  const move = (step: 1 | -1) => {
    const { items } = queue;
    if (items.length === 0) {
      return;
    }
    const index = selectedId === null ? -1 : items.findIndex((item) => item.id === selectedId);
    let next = index === -1 ? 0 : index + step;
    if (next >= items.length) {
      queue.loadMore();
      next = items.length - 1;
    }
    next = Math.max(0, next);
    onSelect(items[next].id);
    focusRow(items[next].id);
  };

  const assignSelectedToMe = () => {
    const ticket = queue.items.find((item) => item.id === selectedId);
    if (ticket === undefined || ticket.assignee?.id === props.userId) {
      return;
    }
    const wasRead = !unread.isUnread(ticket);
    setAssignError(null);
    updateTicket(ticket.id, { assigneeId: props.userId }).then(
      (updated) => {
        queue.apply(updated);
        if (wasRead) {
          unread.markSeen(updated);
        }
      },
      (error: unknown) => setAssignError(asApiError(error)),
    );
  };

  useShortcuts({
    j: (event) => {
      event.preventDefault();
      move(1);
    },
    k: (event) => {
      event.preventDefault();
      move(-1);
    },
    Enter: (event) => {
      // On a focused link or button the browser activates it already.
      if (event.target instanceof HTMLAnchorElement || event.target instanceof HTMLButtonElement) {
        return;
      }
      if (selectedId !== null) {
        event.preventDefault();
        onOpen(selectedId);
      }
    },
    "/": (event) => {
      event.preventDefault();
      searchBox.current?.focus();
      searchBox.current?.select();
    },
    a: (event) => {
      if (selectedId !== null) {
        event.preventDefault();
        assignSelectedToMe();
      }
    },
  });

  return (
    <div class="queue">
      <div class="page-heading">
        <h1 id="queue-title">Queue</h1>
        <p class="muted page-heading__hint">
          Press <kbd>?</kbd> for keyboard shortcuts
        </p>
      </div>
      <SavedViews filters={queue.filters} onApply={(filters) => queue.setFilters(filters)} />
      <SlaSummaryBar
        active={queue.filters.sla}
        onFilter={(sla, mine) => queue.setFilters(mine ? { sla, assignee: "me" } : { sla })}
      />
      <QueueFilters queue={queue} searchBox={searchBox} />
      {queue.error !== null && (
        <ErrorMessage error={queue.error} title="The queue could not load" />
      )}
      {assignError !== null && <ErrorMessage error={assignError} title="Could not assign" />}
      <p class="queue__summary muted" role="status" aria-live="polite">
        {queue.loading === "first"
          ? "Loading tickets…"
          : `${queue.items.length}${queue.nextCursor !== null ? "+" : ""} ${
              queue.items.length === 1 ? "ticket" : "tickets"
            }`}
      </p>
      {queue.loading !== "first" && queue.items.length === 0 && queue.error === null ? (
        <p class="empty">No tickets match these filters.</p>
      ) : (
        <ol
          class="queue-list"
          ref={list}
          aria-labelledby="queue-title"
          aria-busy={queue.loading === "first"}
        >
          {queue.items.map((ticket) => (
            <QueueRow
              key={ticket.id}
              ticket={ticket}
              selected={ticket.id === selectedId}
              unread={unread.isUnread(ticket)}
              arrived={queue.arrived.has(ticket.id)}
              onFocus={() => onSelect(ticket.id)}
            />
          ))}
        </ol>
      )}
      {queue.nextCursor !== null && (
        <button
          type="button"
          class="button button--secondary queue__more"
          onClick={queue.loadMore}
          disabled={queue.loading !== null}
        >
          {queue.loading === "more" ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}

function QueueFilters({
  queue,
  searchBox,
}: {
  queue: Queue;
  searchBox: RefObject<HTMLInputElement>;
}) {
  const { filters, setFilters, counts } = queue;
  const [text, setText] = useState(filters.q);
  const pushed = useRef(filters.q);

  // A saved view (or Reset) changed the search: show it in the box.
  useEffect(() => {
    if (filters.q !== pushed.current) {
      pushed.current = filters.q;
      setText(filters.q);
    }
  }, [filters.q]);

  useEffect(() => {
    if (text === filters.q) {
      return;
    }
    const timer = setTimeout(() => {
      pushed.current = text;
      setFilters({ q: text });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, filters.q, setFilters]);

  // Leaving the queue before the delay ran out keeps what was typed.
  const pending = useRef({ text, q: filters.q });
  pending.current = { text, q: filters.q };
  useEffect(
    () => () => {
      if (pending.current.text !== pending.current.q) {
        setFilters({ q: pending.current.text });
      }
    },
    [setFilters],
  );

  const toggleStatus = (status: TicketStatus) => {
    const next = filters.status.includes(status)
      ? filters.status.filter((value) => value !== status)
      : TICKET_STATUSES.filter((value) => value === status || filters.status.includes(value));
    setFilters({ status: next });
  };
  const sameStatuses = (wanted: readonly TicketStatus[]) =>
    wanted.length === filters.status.length &&
    wanted.every((status) => filters.status.includes(status));

  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter the queue"
      onSubmit={(event) => {
        event.preventDefault();
        setFilters({ q: text });
      }}
    >
      <div class="field filters__search">
        <label for="queue-search">Search</label>
        <input
          id="queue-search"
          ref={searchBox}
          type="search"
          value={text}
          placeholder="Ticket number, IMEI, email or words"
          aria-keyshortcuts="/"
          autoComplete="off"
          onInput={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              if (text !== "") {
                setText("");
                setFilters({ q: "" });
              } else {
                event.currentTarget.blur();
              }
            }
          }}
        />
      </div>
      <fieldset class="filters__statuses">
        <legend>Status</legend>
        <div class="chips">
          <button
            type="button"
            class="chip"
            aria-pressed={sameStatuses(ACTIVE_STATUSES)}
            onClick={() => setFilters({ status: ACTIVE_STATUSES })}
          >
            Active
          </button>
          <button
            type="button"
            class="chip"
            aria-pressed={filters.status.length === 0}
            onClick={() => setFilters({ status: [] })}
          >
            All
          </button>
          <span class="chips__divider" aria-hidden="true" />
          {TICKET_STATUSES.map((status) => (
            <button
              key={status}
              type="button"
              class={`chip chip--${status}`}
              aria-pressed={filters.status.includes(status)}
              onClick={() => toggleStatus(status)}
            >
              {AGENT_STATUS_LABELS[status]}
              {counts !== null && (
                <span class="chip__count">
                  <span class="visually-hidden">: </span>
                  {counts[status] ?? 0}
                </span>
              )}
            </button>
          ))}
        </div>
      </fieldset>
      <div class="filters__selects">
        <SelectField
          id="filter-priority"
          label="Priority"
          value={oneOf(filters.priority)}
          options={[
            ["", "Any"],
            ...several(filters.priority),
            ...PRIORITIES.map((p) => [p, PRIORITY_LABELS[p]] as const),
          ]}
          onChange={(value) => setFilters({ priority: value === "" ? [] : [value as Priority] })}
        />
        <SelectField
          id="filter-category"
          label="Category"
          value={oneOf(filters.category)}
          options={[
            ["", "Any"],
            ...several(filters.category),
            ...CATEGORIES.map((c) => [c, CATEGORY_LABELS[c]] as const),
          ]}
          onChange={(value) => setFilters({ category: value === "" ? [] : [value as Category] })}
        />
        <SelectField
          id="filter-assignee"
          label="Assignee"
          value={filters.assignee}
          options={[
            ["", "Anyone"],
            ["me", "Me"],
            ["none", "Unassigned"],
            ...(["", "me", "none"].includes(filters.assignee)
              ? []
              : [[filters.assignee, "Another agent"] as const]),
          ]}
          onChange={(value) => setFilters({ assignee: value })}
        />
        <SelectField
          id="filter-sla"
          label="SLA"
          value={filters.sla}
          options={[["", "Any"], ...SLA_FILTERS.map((f) => [f, SLA_FILTER_LABELS[f]] as const)]}
          onChange={(value) => setFilters({ sla: value as TicketFilters["sla"] })}
        />
        <SelectField
          id="filter-rma"
          label="RMA step"
          value={oneOf(filters.rmaState)}
          options={[
            ["", "Any"],
            ...several(filters.rmaState),
            ...RMA_STATES.map((state) => [state, RMA_STATE_LABELS[state]] as const),
          ]}
          onChange={(value) => setFilters({ rmaState: value === "" ? [] : [value as RmaState] })}
        />
        <div class="field field--compact filters__days">
          <label for="filter-distributor-days">At distributor over (days)</label>
          <input
            id="filter-distributor-days"
            type="number"
            min={1}
            max={3650}
            inputMode="numeric"
            value={filters.atDistributorDays ?? ""}
            onChange={(event) => {
              const days = Number.parseInt(event.currentTarget.value, 10);
              setFilters({
                atDistributorDays:
                  Number.isInteger(days) && days >= 1 && days <= 3650 ? days : null,
              });
            }}
          />
        </div>
        <SelectField
          id="filter-warranty"
          label="Warranty"
          value={filters.warrantySource}
          options={[
            ["", "Any"],
            ...WARRANTY_SOURCES.map((s) => [s, WARRANTY_SOURCE_LABELS[s]] as const),
          ]}
          onChange={(value) =>
            setFilters({ warrantySource: value as TicketFilters["warrantySource"] })
          }
        />
        <SelectField
          id="filter-verdict"
          label="Verdict at opening"
          value={oneOf(filters.verdict)}
          options={[
            ["", "Any"],
            ...several(filters.verdict),
            ...VERDICT_LEVELS.map((level) => [level, VERDICT_FILTER_LABELS[level]] as const),
          ]}
          onChange={(value) => setFilters({ verdict: value === "" ? [] : [value as VerdictLevel] })}
        />
        <SelectField
          id="filter-flag"
          label="Flag"
          value={oneOf(filters.flag)}
          options={[
            ["", "Any"],
            ...several(filters.flag),
            ...TICKET_FLAGS.map((flag) => [flag, FLAG_SHORT_LABELS[flag]] as const),
          ]}
          onChange={(value) => setFilters({ flag: value === "" ? [] : [value as TicketFlag] })}
        />
        <SelectField
          id="filter-sort"
          label="Sort"
          value={filters.sort}
          options={Object.entries(SORT_LABELS)}
          onChange={(value) => setFilters({ sort: value as TicketSort })}
        />
        <button
          type="button"
          class="button button--quiet filters__reset"
          onClick={() => {
            setText("");
            setFilters(DEFAULT_FILTERS);
          }}
        >
          Reset
        </button>
      </div>
    </form>
  );
}

/** A multi-valued filter as a one-value select: "" for any, the value, or "several". */
function oneOf(values: readonly string[]): string {
  return values.length === 0 ? "" : values.length === 1 ? values[0] : SEVERAL;
}

/** The "several" option, only while a saved view has chosen more than one value. */
function several(values: readonly string[]): (readonly [string, string])[] {
  return values.length > 1 ? [[SEVERAL, `${values.length} chosen (from a view)`] as const] : [];
}

const SEVERAL = "__several";

/** The verdict kept from the ticket's opening (a ticket opened without one is "unknown"). */
const VERDICT_FILTER_LABELS: Record<VerdictLevel, string> = {
  full: "Full service",
  partial: "Partial",
  legacy_only: "3G/2G only",
  none: "No service",
  unknown: "Unknown",
};

const SLA_FILTER_LABELS: Record<(typeof SLA_FILTERS)[number], string> = {
  breached: "Breached",
  at_risk: "Due within the hour",
  paused: "Paused",
};

function SelectField({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
}) {
  return (
    <div class="field field--compact">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.currentTarget.value)}>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </div>
  );
}

function QueueRow({
  ticket,
  selected,
  unread,
  arrived,
  onFocus,
}: {
  ticket: TicketDto;
  selected: boolean;
  unread: boolean;
  arrived: boolean;
  onFocus: () => void;
}) {
  const device = deviceName(ticket.handset);
  const classes = ["queue-row"];
  if (selected) {
    classes.push("queue-row--selected");
  }
  if (unread) {
    classes.push("queue-row--unread");
  }
  if (arrived) {
    classes.push("queue-row--arrived");
  }
  return (
    <li class={classes.join(" ")} data-ticket-id={ticket.id} aria-current={selected || undefined}>
      <div class="queue-row__title">
        <span class="queue-row__number">{ticket.number}</span>
        {unread && (
          <span class="unread-mark" title="Updated since you last opened it">
            <span class="visually-hidden">Unread</span>
          </span>
        )}
        <a
          class="queue-row__subject"
          href={consoleHref({ view: "ticket", id: ticket.id })}
          data-ticket-id={ticket.id}
          dir="auto"
          onFocus={onFocus}
        >
          {ticket.subject}
        </a>
      </div>
      <div class="queue-row__customer" dir="auto">
        <span class="visually-hidden">Customer: </span>
        {ticket.customer.name}
      </div>
      <div class="queue-row__badges">
        <StatusBadge status={ticket.status} />
        <PriorityBadge priority={ticket.priority} />
        <WarrantyBadge warranty={ticket.warranty} />
        <SlaChip sla={ticket.sla} />
        {ticket.rma !== null && <RmaBadge rma={ticket.rma} />}
      </div>
      <div class="queue-row__device" dir="auto">
        <span class="visually-hidden">Handset: </span>
        {device === "" ? <span class="muted">Unknown handset</span> : device}
      </div>
      <div class="queue-row__assignee" dir="auto">
        <span class="visually-hidden">Assignee: </span>
        {ticket.assignee === null ? <span class="muted">Unassigned</span> : ticket.assignee.name}
      </div>
      <div class="queue-row__updated">
        <span class="visually-hidden">Updated </span>
        <RelativeTime iso={ticket.updatedAt} />
      </div>
      {ticket.flags.length > 0 && (
        <div class="queue-row__flags">
          <FlagChips flags={ticket.flags} />
        </div>
      )}
    </li>
  );
}
