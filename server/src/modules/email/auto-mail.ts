import type { ParsedMail } from "mailparser";

const header = (mail: ParsedMail, name: string): string => {
  const value = mail.headers.get(name);
  if (value === undefined) {
    return "";
  }
  if (typeof value === "string") {
    return value.toLowerCase();
  }
  return JSON.stringify(value).toLowerCase();
};

/**
 * Whether a message was sent by a machine: a bounce or delivery report (DSN), an auto-reply
 * (RFC 3834 `Auto-Submitted`, the `X-Autoreply` family, `Precedence: auto_reply`), or list or
 * bulk mail. Such mail never opens or feeds a ticket: two desks answering each other would loop.
 */
export function automaticKind(
  mail: ParsedMail,
  envelopeFrom: string,
): "bounce" | "auto_reply" | "list" | null {
  const contentType = header(mail, "content-type");
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? "";
  if (
    envelopeFrom === "" ||
    /multipart\/report/.test(contentType) ||
    /^(mailer-daemon|postmaster)@/.test(from) ||
    mail.attachments.some((part) =>
      /^message\/(delivery-status|global-delivery-status)$/i.test(part.contentType),
    )
  ) {
    return "bounce";
  }
  const auto = header(mail, "auto-submitted");
  if (auto !== "" && auto !== "no") {
    return "auto_reply";
  }
  if (
    mail.headers.has("x-autoreply") ||
    mail.headers.has("x-autorespond") ||
    mail.headers.has("x-autoresponse") ||
    /\bauto[_-]?reply\b/.test(header(mail, "precedence"))
  ) {
    return "auto_reply";
  }
  if (/\b(bulk|junk|list)\b/.test(header(mail, "precedence")) || mail.headers.has("list-id")) {
    return "list";
  }
  return null;
}

/** The addresses a bounce says could not be reached (its `Final-Recipient` lines). */
export function bouncedAddresses(mail: ParsedMail): string[] {
  const reports = mail.attachments
    .filter((part) => /^message\/(global-)?delivery-status$/i.test(part.contentType))
    .map((part) => part.content.toString("utf8"));
  const text = reports.length > 0 ? reports.join("\n") : (mail.text ?? "");
  const found = new Set<string>();
  for (const match of text.matchAll(
    /^(?:Final|Original)-Recipient:\s*rfc822;\s*<?([^\s>]+@[^\s>]+)>?/gim,
  )) {
    found.add(match[1].toLowerCase());
  }
  return [...found];
}
