import type {
  SlaClockDto,
  SlaPolicyDto,
  TicketSlaDto,
} from "../../../../shared/contracts/http/sla";
import type { SlaPolicy } from "./sla-policy.entity";
import type { TicketSla } from "./ticket-sla.entity";
import { SLA_CLOCKS } from "./ticket-sla.repository";
import type { SlaClockName } from "./ticket-sla.repository";

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

function presentClock(row: TicketSla, name: SlaClockName, now: Date): SlaClockDto | null {
  const state = row[`${name}State`];
  const target = row[`${name}TargetMinutes`];
  if (state === null || target === null) {
    return null;
  }
  const dueAt = row[`${name}DueAt`];
  // A running clock falls due between two computations: it reads as breached at once, before
  // the sweep records it.
  const overdue = state === "running" && dueAt !== null && now.getTime() > dueAt.getTime();
  const breachedAt = row[`${name}BreachedAt`] ?? (overdue ? dueAt : null);
  return {
    state,
    targetMinutes: target,
    dueAt: iso(dueAt),
    achievedAt: iso(row[`${name}At`]),
    remainingMs: state === "running" ? null : row[`${name}RemainingMs`],
    breached: breachedAt !== null,
    breachedAt: iso(breachedAt),
  };
}

/** A ticket's clocks as of `now`; null when no policy applies. */
export function presentTicketSla(row: TicketSla | undefined, now: Date): TicketSlaDto | null {
  if (row === undefined || row.policyId === null || !row.policy) {
    return null;
  }
  const [firstResponse, resolution] = SLA_CLOCKS.map((name) => presentClock(row, name, now));
  const running = [firstResponse, resolution].flatMap((clock) =>
    clock !== null && clock.state === "running" && clock.dueAt !== null ? [clock.dueAt] : [],
  );
  return {
    policy: { id: row.policy.id, name: row.policy.name },
    paused: row.pausedSince !== null,
    pausedSince: iso(row.pausedSince),
    firstResponse,
    resolution,
    nextDueAt: running.length > 0 ? running.sort()[0] : null,
    breached: Boolean(firstResponse?.breached || resolution?.breached),
  };
}

export function presentSlaPolicy(policy: SlaPolicy): SlaPolicyDto {
  return {
    id: policy.id,
    name: policy.name,
    priority: policy.priority,
    category: policy.category,
    firstResponseMinutes: policy.firstResponseMinutes,
    resolutionMinutes: policy.resolutionMinutes,
    businessHours: policy.businessHours,
    pauseStatuses: policy.pauseStatuses,
    createdAt: policy.createdAt.toISOString(),
    updatedAt: policy.updatedAt.toISOString(),
  };
}
