import { LINK_MARK } from "../outbox/outbox.entity";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text as HTML text: nothing anyone typed (a name, a subject, a reply) becomes markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

export interface RenderedMail {
  text: string;
  html: string;
}

/**
 * The text and HTML parts of an outbox body: the link goes where the body marks it (or the mark
 * is dropped when there is none). The HTML is the text, escaped, in paragraphs; the link is the
 * one anchor, and it comes from the desk (PUBLIC_URL), never from what anyone wrote.
 */
export function renderMail(body: string, link: string | null): RenderedMail {
  const parts = body.split(LINK_MARK);
  const text = parts.join(link ?? "");
  const anchor = link === null ? "" : `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`;
  const htmlBody = parts
    .map((part) => escapeHtml(part))
    .join(anchor)
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, "<br>\n")}</p>`)
    .join("\n");
  const html =
    `<!doctype html><html><head><meta charset="utf-8"></head>` +
    `<body style="font-family:system-ui,sans-serif;line-height:1.5">\n${htmlBody}\n</body></html>`;
  return { text, html };
}
