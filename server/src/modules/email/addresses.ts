import type { MailConfig } from "../../config/config";
import type { MailKeys } from "./mail-keys";
import { REPLY_TOKEN_LENGTH } from "./mail-keys";

/** `local` and `domain` of the support address (MAIL_FROM). */
export function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf("@");
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/**
 * The addresses of the email channel, all on the support address's domain: a ticket's reply
 * address `support+<token>@domain` (the token is the ticket and its HMAC), its unsubscribe
 * address `support+u<token>@domain`, and Message-IDs.
 */
export class MailAddresses {
  readonly support: string;
  readonly domain: string;
  private readonly local: string;

  constructor(
    readonly from: MailConfig["from"],
    private readonly keys: MailKeys,
  ) {
    this.support = from.address;
    const { local, domain } = splitAddress(from.address);
    this.local = local;
    this.domain = domain;
  }

  replyTo(ticketId: string): string {
    return `${this.local}+${this.keys.replyToken(ticketId)}@${this.domain}`;
  }

  unsubscribe(ticketId: string): string {
    return `${this.local}+u${this.keys.replyToken(ticketId, "unsubscribe")}@${this.domain}`;
  }

  /** The Message-ID every message of a ticket refers to, so mail programs thread them. */
  threadId(ticketId: string): string {
    return `<ticket-${ticketId}@${this.domain}>`;
  }

  /** The Message-ID of an outbox row: fixed by its id, so a retry is the same message. */
  messageIdSuffix(): string {
    return `@${this.domain}>`;
  }

  /**
   * What an address to the desk names: a ticket (reply token checked), an unsubscribe for one,
   * the support address itself, or nothing of ours.
   */
  classify(
    address: string,
  ):
    | { kind: "reply"; ticketId: string | null }
    | { kind: "unsubscribe"; ticketId: string | null }
    | { kind: "support" }
    | { kind: "other" } {
    const lower = address.trim().toLowerCase();
    const { local, domain } = splitAddress(lower);
    if (domain !== this.domain) {
      return { kind: "other" };
    }
    if (local === this.local) {
      return { kind: "support" };
    }
    const prefix = `${this.local}+`;
    if (!local.startsWith(prefix)) {
      return { kind: "other" };
    }
    const tag = local.slice(prefix.length);
    if (tag.startsWith("u") && tag.length === REPLY_TOKEN_LENGTH + 1) {
      return { kind: "unsubscribe", ticketId: this.keys.ticketOf(tag.slice(1), "unsubscribe") };
    }
    // A tag of the wrong length is still a reply attempt to a ticket: it is checked (and fails).
    return { kind: "reply", ticketId: this.keys.ticketOf(tag) };
  }
}
