/**
 * The new part of a reply: the quoted history and the signature are cut. Mail programs mark them
 * in a few well-known ways; what is cut is the first of them and everything after it.
 */
export function trimReply(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // RFC 3676 signature separator.
    if (line === "-- " || line === "--") {
      break;
    }
    // "On Tue, 3 Dec 2026 at 10:00, Greydesk <support@...> wrote:" (may wrap onto a second line).
    if (
      /^On .+wrote:\s*$/.test(line) ||
      (/^On .+/.test(line) && /wrote:\s*$/.test(lines[i + 1] ?? ""))
    ) {
      break;
    }
    if (/^-{2,}\s*Original Message\s*-{2,}/i.test(line) || /^_{10,}$/.test(line)) {
      break;
    }
    // Outlook's header block of the quoted message.
    if (/^From: .+/.test(line) && /^(Sent|Date): .+/.test(lines[i + 1] ?? "")) {
      break;
    }
    if (/^>/.test(line)) {
      continue;
    }
    kept.push(line);
  }
  return kept.join("\n").trim();
}

/** Text fit for a one-line field (a subject, a name): no control characters, one line. */
export function oneLine(text: string, max: number): string {
  return clean(text)
    .replace(/[\r\n\t]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim()
    .slice(0, max);
}

/** Text fit for the database: well-formed Unicode, no NUL or other control characters but lines. */
export function clean(text: string): string {
  return (
    text
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
  );
}
