import { randomUUID } from "node:crypto";
import { ticketNumberLabel } from "../../../../shared/contracts/http/common";
import type { TicketStatus } from "../../../../shared/domain/enums";
import type { Clock } from "../../clock";
import type { Database } from "../../db/database";
import { queryReturning } from "../../db/rows";
import { NotFoundError } from "../../errors/app-error";
import { Customer } from "../customers/customer.entity";
import { queueSignInLink, sealedLinksOf } from "../outbox/outbox.repository";
import { hashLinkToken, newLinkToken } from "../tickets/link-tokens";
import type { TicketLinks } from "../tickets/link-tokens";
import { Ticket } from "../tickets/ticket.entity";
import type { MailKeys } from "./mail-keys";
import { SignInLink } from "./sign-in-link.entity";

export const SIGN_IN_LINK_MS = 15 * 60 * 1000;

export interface CustomerTicketItem {
  number: string;
  subject: string;
  status: TicketStatus;
  /** The ticket's page; null when its link cannot be given (sealed under an older secret). */
  url: string | null;
  updatedAt: string;
}

/**
 * The customer's emailed sign-in link (docs/SECURITY.md, "Email"): asked for by address, answered
 * the same whether the address is known or not; a known one gets a 256-bit token by email, kept
 * only as its hash, good for 15 minutes and one use, which shows their tickets with their pages.
 */
export class SignInService {
  constructor(
    private readonly db: Database,
    private readonly links: TicketLinks,
    private readonly keys: MailKeys,
    private readonly clock: Clock,
  ) {}

  /** Queues the link when the address is a customer's; says nothing either way. */
  async request(email: string): Promise<void> {
    const now = this.clock.now();
    const token = newLinkToken();
    const url = `${this.links.base()}/portal/sign-in/${token}`;
    const sealed = this.links.seal(url);
    await this.db.transaction(async (em) => {
      const customer = await em.getRepository(Customer).findOneBy({ email: email.toLowerCase() });
      if (customer === null) {
        return;
      }
      await em.getRepository(SignInLink).insert({
        id: randomUUID(),
        customerId: customer.id,
        tokenHash: hashLinkToken(token),
        expiresAt: new Date(now.getTime() + SIGN_IN_LINK_MS),
        usedAt: null,
        createdAt: now,
      });
      await queueSignInLink(
        em,
        { recipient: customer.email, name: customer.name, sealedLink: sealed },
        now,
      );
    });
  }

  /**
   * Uses the link (one atomic UPDATE: a second use, or one after 15 minutes, finds nothing) and
   * gives the customer's tickets; 404 for an unknown, used or expired link.
   */
  async redeem(token: string): Promise<CustomerTicketItem[]> {
    const now = this.clock.now();
    return this.db.transaction(async (em) => {
      const column = em.connection.getMetadata(SignInLink).findColumnWithPropertyName("usedAt")!;
      const at = em.connection.driver.preparePersistentValue(now, column) as unknown;
      const used = await queryReturning<{ customerId: string }>(
        em,
        `UPDATE "customer_sign_in_links" SET "usedAt" = ? ` +
          `WHERE "tokenHash" = ? AND "usedAt" IS NULL AND "expiresAt" > ? RETURNING "customerId"`,
        [at, hashLinkToken(token), at],
      );
      if (used.length !== 1) {
        throw new NotFoundError("Sign-in link");
      }
      const tickets = await em.getRepository(Ticket).find({
        where: { customerId: used[0].customerId },
        order: { updatedAt: "DESC" },
        take: 200,
      });
      const sealed = await sealedLinksOf(
        em,
        tickets.map((ticket) => ticket.id),
      );
      return tickets.map((ticket) => {
        const seal = sealed.get(ticket.id);
        return {
          number: ticketNumberLabel(ticket.number),
          subject: ticket.subject,
          status: ticket.status,
          url: seal === undefined ? null : this.keys.open(seal),
          updatedAt: ticket.updatedAt.toISOString(),
        };
      });
    });
  }
}
