import { SLA_AT_RISK_MS } from "../../../../shared/contracts/http/sla";
import { insertStatement } from "../../db/rows";
import type { TicketExtension } from "../tickets/extensions";
import { presentTicketSla } from "./sla.presenter";
import { TicketSla } from "./ticket-sla.entity";
import {
  applySlaFilter,
  findPolicyFor,
  findTicketSlas,
  recomputeTicketSla,
  recordBreaches,
  startTicketSla,
} from "./ticket-sla.repository";

/**
 * What SLA clocks add to tickets, registered with tickets' extension point: the clocks start
 * with a ticket (and set its queue order), move when it changes, show on its row and filter the
 * queue.
 */
export const slaTicketExtension: TicketExtension = {
  async extras(em, ticketIds, now) {
    const slas = await findTicketSlas(em, ticketIds);
    return (id) => ({ sla: presentTicketSla(slas.get(id), now) });
  },
  async changed(em, ticketId, now) {
    await recomputeTicketSla(em, ticketId, now);
  },
  filter(qb, filter, now, dateParam) {
    if (filter.sla !== undefined) {
      applySlaFilter(
        qb,
        filter.sla,
        dateParam(now),
        dateParam(new Date(now.getTime() + SLA_AT_RISK_MS)),
      );
    }
  },
  async opening(em, { priority, category }) {
    const policy = await findPolicyFor(em, priority, category);
    return (ticket, now) => {
      // The SLA clocks start with the ticket (and its slaDueAt is set for the queue's order).
      const sla = startTicketSla(ticket, policy, now);
      return {
        slaDueAt: sla.nextDueAt,
        writes: [insertStatement(em, TicketSla, sla.row)],
        after: (unit) => recordBreaches(unit, ticket.id, sla.row, sla.newlyBreached, now),
      };
    };
  },
};
