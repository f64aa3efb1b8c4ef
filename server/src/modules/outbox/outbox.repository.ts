import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { insertRow, selectRows } from "../../db/rows";
import { LINK_MARK, OutboxMessage } from "./outbox.entity";
import type { OutboxKind } from "./outbox.entity";

export interface TicketLinkMessage {
  ticketId: string;
  recipient: string;
  name: string;
  number: string;
  subject: string;
  /** The ticket's link, sealed (TicketLinks.seal): the outbox never holds it in clear. */
  sealedLink: string;
  /** The ticket has no handset yet (it came by email without an IMEI): ask for one. */
  askForImei?: boolean;
}

/**
 * Queues the message that carries a ticket's private link to its customer, in the same
 * transaction as the ticket (or the new link), so the link is never lost.
 */
export async function queueTicketLink(
  em: EntityManager,
  input: TicketLinkMessage,
  now: Date,
): Promise<void> {
  await insertRow(em, OutboxMessage, ticketLinkMessage(input, now));
}

function row(
  kind: OutboxKind,
  fields: Pick<OutboxMessage, "ticketId" | "recipient" | "subject" | "body" | "sealedLink">,
  now: Date,
): OutboxMessage {
  return Object.assign(new OutboxMessage(), {
    id: randomUUID(),
    kind,
    ...fields,
    createdAt: now,
    sentAt: null,
    state: "queued",
    attempts: 0,
    nextAttemptAt: null,
    leaseOwner: null,
    leaseUntil: null,
    messageId: null,
    lastError: null,
    updatedAt: now,
  } satisfies OutboxMessage);
}

/** The outbox row of a ticket-link message, not yet written. */
export function ticketLinkMessage(input: TicketLinkMessage, now: Date): OutboxMessage {
  const imei = input.askForImei
    ? "\nSo that we can check your phone, please reply with its IMEI (dial *#06# to see it).\n"
    : "";
  return row(
    "ticket_link",
    {
      ticketId: input.ticketId,
      recipient: input.recipient,
      subject: `Your support ticket ${input.number}`,
      body:
        `Hello ${input.name},\n\nWe have your ticket ${input.number} ("${input.subject}").\n${imei}` +
        `Follow it, reply and add photos here (keep this link private):\n\n${LINK_MARK}\n\n` +
        `You can also simply reply to this email.\n`,
      sealedLink: input.sealedLink,
    },
    now,
  );
}

/** The sealed link of a ticket's latest link message (a replaced link supersedes the older). */
async function latestSealedLink(em: EntityManager, ticketId: string): Promise<string | null> {
  const rows = await selectRows(
    em,
    OutboxMessage,
    `"ticketId" = ? AND "kind" = 'ticket_link' AND "sealedLink" IS NOT NULL ORDER BY "createdAt" DESC`,
    [ticketId],
    1,
  );
  return rows[0]?.sealedLink ?? null;
}

export interface TicketMail {
  ticketId: string;
  recipient: string;
  name: string;
  number: string;
  subject: string;
}

/**
 * Queues an agent's public reply for the customer: its text, the names of its files, and the
 * ticket's link. Internal notes never come here.
 */
export async function queueAgentReply(
  em: EntityManager,
  mail: TicketMail & { agentName: string; body: string; fileNames: string[] },
  now: Date,
): Promise<void> {
  const sealedLink = await latestSealedLink(em, mail.ticketId);
  const files =
    mail.fileNames.length === 0
      ? ""
      : `\nAttached on the ticket's page: ${mail.fileNames.join(", ")}\n`;
  const link = sealedLink === null ? "" : `\nYour ticket: ${LINK_MARK}\n`;
  await insertRow(
    em,
    OutboxMessage,
    row(
      "agent_reply",
      {
        ticketId: mail.ticketId,
        recipient: mail.recipient,
        subject: `Re: [${mail.number}] ${mail.subject}`,
        body:
          `Hello ${mail.name},\n\n${mail.body}\n\n-- \n${mail.agentName}\n${files}${link}\n` +
          `Reply to this email to answer.\n`,
        sealedLink,
      },
      now,
    ),
  );
}

/** Queues the note that a ticket is resolved, with its link (where the customer rates it). */
export async function queueResolved(em: EntityManager, mail: TicketMail, now: Date): Promise<void> {
  const sealedLink = await latestSealedLink(em, mail.ticketId);
  const link =
    sealedLink === null ? "" : `\nHow did we do? Rate the outcome here:\n\n${LINK_MARK}\n`;
  await insertRow(
    em,
    OutboxMessage,
    row(
      "resolved",
      {
        ticketId: mail.ticketId,
        recipient: mail.recipient,
        subject: `Resolved: [${mail.number}] ${mail.subject}`,
        body:
          `Hello ${mail.name},\n\nWe have marked your ticket ${mail.number} as resolved.\n${link}\n` +
          `If something is still wrong, reply to this email and the ticket opens again.\n`,
        sealedLink,
      },
      now,
    ),
  );
}

export interface ShippedLeg {
  rmaNumber: string;
  /** What the customer reads of the move ("Your phone is on its way back to you."). */
  words: string;
  /** Courier and tracking: given only for a parcel coming to the customer. */
  parcel: { courier: string; trackingNumber: string } | null;
}

/**
 * Queues the news that a leg of the ticket's RMA shipped: to the customer with its courier and
 * tracking number, to or from the repair centre as a line of progress.
 */
export async function queueRmaShipped(
  em: EntityManager,
  mail: TicketMail & ShippedLeg,
  now: Date,
): Promise<void> {
  const sealedLink = await latestSealedLink(em, mail.ticketId);
  const parcel =
    mail.parcel === null
      ? ""
      : `\nCourier: ${mail.parcel.courier}\nTracking number: ${mail.parcel.trackingNumber}\n`;
  const link = sealedLink === null ? "" : `\nFollow your return here:\n\n${LINK_MARK}\n`;
  await insertRow(
    em,
    OutboxMessage,
    row(
      "rma_shipped",
      {
        ticketId: mail.ticketId,
        recipient: mail.recipient,
        subject: `${mail.rmaNumber} shipped: [${mail.number}] ${mail.subject}`,
        body:
          `Hello ${mail.name},\n\n${mail.words} (return ${mail.rmaNumber})\n${parcel}${link}\n` +
          `Reply to this email if you have a question.\n`,
        sealedLink,
      },
      now,
    ),
  );
}

export interface QuoteMail {
  rmaNumber: string | null;
  /** As people read it: "USD 129.50". */
  amount: string;
  description: string | null;
}

/** Queues a repair quote: the amount, what it covers, and the link where it is accepted. */
export async function queueQuoteSent(
  em: EntityManager,
  mail: TicketMail & QuoteMail,
  now: Date,
): Promise<void> {
  const sealedLink = await latestSealedLink(em, mail.ticketId);
  const what = mail.description === null ? "" : `\nIt covers: ${mail.description}\n`;
  const rma = mail.rmaNumber === null ? "" : ` (return ${mail.rmaNumber})`;
  const link =
    sealedLink === null
      ? "\nReply to this email to accept or decline it.\n"
      : `\nAccept or decline it on your ticket's page:\n\n${LINK_MARK}\n`;
  await insertRow(
    em,
    OutboxMessage,
    row(
      "rma_quote",
      {
        ticketId: mail.ticketId,
        recipient: mail.recipient,
        subject: `Repair quote: [${mail.number}] ${mail.subject}`,
        body:
          `Hello ${mail.name},\n\nThe repair of your phone${rma} is not covered by the ` +
          `warranty. Our quote is ${mail.amount}.\n${what}${link}\n` +
          `Nothing is repaired or charged until you accept.\n`,
        sealedLink,
      },
      now,
    ),
  );
}

/** Queues a customer's sign-in link (sealed like a ticket link; not tied to one ticket). */
export async function queueSignInLink(
  em: EntityManager,
  mail: { recipient: string; name: string; sealedLink: string },
  now: Date,
): Promise<void> {
  await insertRow(
    em,
    OutboxMessage,
    row(
      "sign_in_link",
      {
        ticketId: null,
        recipient: mail.recipient,
        subject: "Your support tickets",
        body:
          `Hello ${mail.name},\n\nHere is the link to see all your support tickets. It works once, ` +
          `for 15 minutes:\n\n${LINK_MARK}\n\nIf you did not ask for it, ignore this email.\n`,
        sealedLink: mail.sealedLink,
      },
      now,
    ),
  );
}

/** The sealed links of tickets, by ticket (each ticket's latest link message). */
export async function sealedLinksOf(
  em: EntityManager,
  ticketIds: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const ticketId of ticketIds) {
    const sealed = await latestSealedLink(em, ticketId);
    if (sealed !== null) {
      found.set(ticketId, sealed);
    }
  }
  return found;
}
