import type { SavedViewFiltersDto } from "../../../../shared/contracts/http/views";
import type { TicketFilters } from "../../api/tickets";
import { ACTIVE_STATUSES, DEFAULT_FILTERS } from "../queue/useQueue";

/** The queue's filters as a saved view keeps them (empty ones left out; statuses always kept). */
export function toSaved(filters: TicketFilters): SavedViewFiltersDto {
  const saved: SavedViewFiltersDto = { status: [...filters.status], sort: filters.sort };
  if (filters.priority.length > 0) {
    saved.priority = [...filters.priority];
  }
  if (filters.category.length > 0) {
    saved.category = [...filters.category];
  }
  if (filters.assignee !== "") {
    saved.assignee = filters.assignee;
  }
  if (filters.warrantySource !== "") {
    saved.warrantySource = filters.warrantySource;
  }
  if (filters.q.trim() !== "") {
    saved.q = filters.q.trim();
  }
  if (filters.sla !== "") {
    saved.sla = filters.sla;
  }
  if (filters.atDistributorDays !== null) {
    saved.atDistributorDays = filters.atDistributorDays;
  }
  if (filters.rmaState.length > 0) {
    saved.rmaState = [...filters.rmaState];
  }
  if (filters.verdict.length > 0) {
    saved.verdict = [...filters.verdict];
  }
  if (filters.flag.length > 0) {
    saved.flag = [...filters.flag];
  }
  return saved;
}

/** A saved view as the queue's filters: what it does not say is "any". */
export function fromSaved(saved: SavedViewFiltersDto): TicketFilters {
  return {
    status: saved.status ?? [],
    priority: saved.priority ?? [],
    category: saved.category ?? [],
    assignee: saved.assignee ?? "",
    warrantySource: saved.warrantySource ?? "",
    q: saved.q ?? "",
    sort: saved.sort ?? DEFAULT_FILTERS.sort,
    sla: saved.sla ?? "",
    atDistributorDays: saved.atDistributorDays ?? null,
    rmaState: saved.rmaState ?? [],
    verdict: saved.verdict ?? [],
    flag: saved.flag ?? [],
  };
}

/** Whether the queue shows exactly what a view says. */
export function sameFilters(a: TicketFilters, b: TicketFilters): boolean {
  return JSON.stringify(toSaved(a)) === JSON.stringify(toSaved(b));
}

/** Views worth having from the start (ISSUE 7): offered until the agent saves their own. */
export const SUGGESTED_VIEWS: { name: string; filters: SavedViewFiltersDto }[] = [
  {
    name: "My breaching tickets",
    filters: { assignee: "me", sla: "breached", status: [...ACTIVE_STATUSES], sort: "sla_asc" },
  },
  {
    name: "At distributor > 14 days",
    filters: { atDistributorDays: 14, status: [...ACTIVE_STATUSES], sort: "updated_asc" },
  },
];
