import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { SlaFilter, SlaSummaryDto } from "../../../../shared/contracts/http/sla";
import { fetchSlaSummary } from "../../api/sla";
import { useReconnect, useServerEvent } from "../../realtime/hooks";
import "./sla.css";

const REFRESH_DELAY_MS = 1000;

/**
 * Breaches counted (all active tickets, and the agent's own), at risk and paused, each a filter
 * of the queue. Kept current as tickets change.
 */
export function SlaSummaryBar({
  active,
  onFilter,
}: {
  active: SlaFilter | "";
  onFilter: (filter: SlaFilter | "", mine: boolean) => void;
}) {
  const [summary, setSummary] = useState<SlaSummaryDto | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = useCallback(() => {
    fetchSlaSummary().then(setSummary, () => undefined);
  }, []);
  const later = useCallback(() => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
    }
    timer.current = setTimeout(() => {
      timer.current = null;
      refresh();
    }, REFRESH_DELAY_MS);
  }, [refresh]);

  useEffect(() => {
    refresh();
    // Overdue is a matter of time too: look again every minute.
    const every = setInterval(refresh, 60_000);
    return () => {
      clearInterval(every);
      if (timer.current !== null) {
        clearTimeout(timer.current);
      }
    };
  }, [refresh]);
  useServerEvent("ticket:updated", later);
  useServerEvent("ticket:created", later);
  useReconnect(refresh);

  if (summary === null) {
    return null;
  }
  const toggle = (filter: SlaFilter, mine = false) =>
    onFilter(active === filter && !mine ? "" : filter, mine);
  return (
    <div class="sla-summary" role="group" aria-label="SLA">
      <button
        type="button"
        class="chip chip--breached"
        aria-pressed={active === "breached"}
        onClick={() => toggle("breached")}
      >
        Breached
        <span class="chip__count">
          <span class="visually-hidden">: </span>
          {summary.breached}
        </span>
      </button>
      <button
        type="button"
        class="chip"
        aria-pressed={false}
        onClick={() => toggle("breached", true)}
      >
        Mine breached
        <span class="chip__count">
          <span class="visually-hidden">: </span>
          {summary.mine.breached}
        </span>
      </button>
      <button
        type="button"
        class="chip"
        aria-pressed={active === "at_risk"}
        onClick={() => toggle("at_risk")}
      >
        Due within the hour
        <span class="chip__count">
          <span class="visually-hidden">: </span>
          {summary.atRisk}
        </span>
      </button>
      <button
        type="button"
        class="chip"
        aria-pressed={active === "paused"}
        onClick={() => toggle("paused")}
      >
        Paused
        <span class="chip__count">
          <span class="visually-hidden">: </span>
          {summary.paused}
        </span>
      </button>
    </div>
  );
}
