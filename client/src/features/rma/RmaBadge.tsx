import type { TicketRmaSummaryDto } from "../../../../shared/contracts/http/rma";
import { RMA_DISTRIBUTOR_STATES, RMA_STATE_LABELS } from "../../../../shared/domain/rma";
import { useNow } from "../../components/RelativeTime";
import "./rma.css";

const DAY_MS = 86_400_000;

/** The ticket's RMA in a queue row: its step, and how long the unit has been away. */
export function RmaBadge({ rma }: { rma: TicketRmaSummaryDto }) {
  const now = useNow();
  const since = rma.distributorSince === null ? null : Date.parse(rma.distributorSince);
  const days =
    since !== null && RMA_DISTRIBUTOR_STATES.includes(rma.state)
      ? Math.floor((now - since) / DAY_MS)
      : null;
  return (
    <span class={`badge rma-badge rma-badge--${rma.state}`} title={rma.number ?? "RMA"}>
      <span class="visually-hidden">RMA: </span>
      {RMA_STATE_LABELS[rma.state]}
      {days !== null && ` · ${days} d`}
    </span>
  );
}
