import { RMA_DISTRIBUTOR_STATES } from "../../../../shared/domain/rma";
import type { TicketExtension } from "../tickets/extensions";
import { presentRmaSummary } from "./rma.presenter";
import { Rma } from "./rma.entity";
import { findLatestRmas } from "./rma.repository";

const DAY_MS = 86_400_000;

/**
 * What RMAs add to tickets, registered with tickets' extension point: a ticket's latest RMA on
 * its queue row, and the queue's RMA filters (`rmaState`, and `atDistributorDays`: a unit that
 * went to the distributor more than so many days ago and is still there). Values are bound
 * parameters; states come from the shared enums.
 */
export const rmaTicketExtension: TicketExtension = {
  async extras(em, ticketIds) {
    const rmas = await findLatestRmas(em, ticketIds);
    return (id) => {
      const rma = rmas.get(id);
      return { rma: rma ? presentRmaSummary(rma) : null };
    };
  },
  filter(qb, filter, now, dateParam) {
    if (filter.rmaState !== undefined) {
      qb.andWhere(
        `t.id IN ${qb
          .subQuery()
          .select("rs.ticketId")
          .from(Rma, "rs")
          .where("rs.state IN (:...rmaStates)")
          .getQuery()}`,
        { rmaStates: filter.rmaState },
      );
    }
    if (filter.atDistributorDays !== undefined) {
      qb.andWhere(
        `t.id IN ${qb
          .subQuery()
          .select("rd.ticketId")
          .from(Rma, "rd")
          .where("rd.state IN (:...distributorStates)")
          .andWhere("rd.distributorSince <= :distributorSince")
          .getQuery()}`,
        {
          distributorStates: RMA_DISTRIBUTOR_STATES,
          distributorSince: dateParam(new Date(now.getTime() - filter.atDistributorDays * DAY_MS)),
        },
      );
    }
  },
};
