import { ticker } from "../../components/ticker";
import type { SlaClockDto, TicketSlaDto } from "../../../../shared/contracts/http/sla";
import { formatDuration } from "../../../../shared/domain/sla";
import { formatDateTime } from "../tickets/format";
import "./sla.css";

/** The current time, every second, for every countdown on the page. */
export const useSecond = ticker(1000);

export type SlaTone = "ok" | "soon" | "breached" | "paused" | "met" | "none";

/** Within this much of its due time a running clock shows as "soon". */
const SOON_MS = 60 * 60_000;

/** A countdown: minutes and hours, seconds in the last ten minutes. */
function countdown(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 10 * 60_000) {
    const minutes = Math.floor(abs / 60_000);
    const seconds = Math.floor((abs % 60_000) / 1000);
    return `${minutes}m ${String(seconds).padStart(2, "0")}s`;
  }
  return formatDuration(abs);
}

/** One clock in words at `now`, with its tone. */
export function clockText(clock: SlaClockDto, now: number): { text: string; tone: SlaTone } {
  switch (clock.state) {
    case "running": {
      const left = clock.dueAt === null ? 0 : Date.parse(clock.dueAt) - now;
      if (left < 0 || clock.breached) {
        return { text: `Overdue by ${countdown(left)}`, tone: "breached" };
      }
      return { text: `Due in ${countdown(left)}`, tone: left <= SOON_MS ? "soon" : "ok" };
    }
    case "paused": {
      const left = clock.remainingMs ?? 0;
      return left < 0 || clock.breached
        ? { text: `Paused, overdue by ${formatDuration(left)}`, tone: "breached" }
        : { text: `Paused, ${formatDuration(left)} left`, tone: "paused" };
    }
    case "met":
      return clock.breached ? { text: "Met late", tone: "breached" } : { text: "Met", tone: "met" };
    case "stopped":
      return { text: "Stopped", tone: "none" };
  }
}

/** The clock the queue shows: the next one due, else a paused one, else how it ended. */
export function leadingClock(sla: TicketSlaDto): SlaClockDto | null {
  const clocks = [sla.firstResponse, sla.resolution].filter(
    (clock): clock is SlaClockDto => clock !== null,
  );
  const running = clocks
    .filter((clock) => clock.state === "running" && clock.dueAt !== null)
    .sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!));
  return (
    running[0] ??
    clocks.find((clock) => clock.state === "paused") ??
    clocks.find((clock) => clock.breached) ??
    clocks[clocks.length - 1] ??
    null
  );
}

/** The queue row's SLA chip: a live countdown to the next due time, or why there is none. */
export function SlaChip({ sla }: { sla: TicketSlaDto | null }) {
  const now = useSecond();
  const clock = sla === null ? null : leadingClock(sla);
  if (sla === null || clock === null) {
    return null;
  }
  const { text, tone } = clockText(clock, now);
  const which = clock === sla.firstResponse ? "First response" : "Resolution";
  return (
    <span
      class={`sla-chip sla-chip--${sla.breached ? "breached" : tone}`}
      data-sla-tone={sla.breached ? "breached" : tone}
      title={clock.dueAt !== null ? `${which} due ${formatDateTime(clock.dueAt)}` : which}
    >
      <span class="visually-hidden">SLA {which.toLowerCase()}: </span>
      {sla.breached && tone !== "breached" ? `Breached · ${text}` : text}
    </span>
  );
}

function ClockRow({
  label,
  clock,
  now,
}: {
  label: string;
  clock: SlaClockDto | null;
  now: number;
}) {
  if (clock === null) {
    return null;
  }
  const { text, tone } = clockText(clock, now);
  return (
    <div class="sla-panel__row">
      <dt>
        {label} <span class="muted">({formatDuration(clock.targetMinutes * 60_000)} target)</span>
      </dt>
      <dd>
        <span class={`sla-chip sla-chip--${tone}`} data-sla-tone={tone}>
          {text}
        </span>
        {clock.dueAt !== null && clock.state !== "met" && (
          <span class="muted sla-panel__due"> due {formatDateTime(clock.dueAt)}</span>
        )}
        {clock.achievedAt !== null && (
          <span class="muted sla-panel__due"> at {formatDateTime(clock.achievedAt)}</span>
        )}
        {clock.breachedAt !== null && (
          <span class="sla-panel__breach"> Breached at {formatDateTime(clock.breachedAt)}</span>
        )}
      </dd>
    </div>
  );
}

/** The ticket's SLA card: both clocks, live, with the policy that sets them. */
export function SlaPanel({ sla }: { sla: TicketSlaDto | null }) {
  const now = useSecond();
  return (
    <section class="card sla-panel" aria-labelledby="sla-title">
      <h2 id="sla-title" class="card__title">
        SLA
      </h2>
      {sla === null ? (
        <p class="muted">No SLA policy applies to this ticket.</p>
      ) : (
        <>
          <p class="muted sla-panel__policy">
            Policy: <span dir="auto">{sla.policy.name}</span>
            {sla.paused && sla.pausedSince !== null && (
              <> · paused since {formatDateTime(sla.pausedSince)} (waiting)</>
            )}
          </p>
          <dl class="sla-panel__clocks">
            <ClockRow label="First response" clock={sla.firstResponse} now={now} />
            <ClockRow label="Resolution" clock={sla.resolution} now={now} />
          </dl>
        </>
      )}
    </section>
  );
}
