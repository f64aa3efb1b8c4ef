import type { SelectQueryBuilder } from "typeorm";
import type { ListTicketsInput } from "../../../../shared/contracts/http/agent-tickets";
import { SLA_AT_RISK_MS } from "../../../../shared/contracts/http/sla";
import { RMA_DISTRIBUTOR_STATES } from "../../../../shared/domain/rma";
import { Rma } from "../rma/rma.entity";
import { applySlaFilter } from "../sla/ticket-sla.repository";
import type { Ticket } from "../tickets/ticket.entity";

const DAY_MS = 86_400_000;

/**
 * The queue's SLA and RMA filters on a query over tickets (alias `t`): `sla`, `rmaState` and
 * `atDistributorDays` (an RMA whose unit went to the distributor more than so many days ago and
 * is still there). Values are bound parameters; states come from the shared enums.
 */
export function applyQueueFilters(
  qb: SelectQueryBuilder<Ticket>,
  filter: Pick<ListTicketsInput, "sla" | "rmaState" | "atDistributorDays">,
  now: Date,
  dateParam: (date: Date) => Date | string,
): void {
  if (filter.sla !== undefined) {
    applySlaFilter(
      qb,
      filter.sla,
      dateParam(now),
      dateParam(new Date(now.getTime() + SLA_AT_RISK_MS)),
    );
  }
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
}
