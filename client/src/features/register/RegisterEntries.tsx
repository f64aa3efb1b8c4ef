import type { RegisterEntryDto } from "../../../../shared/contracts/http/register";
import { consoleHref } from "../../app/routes";
import { formatDateTime } from "../tickets/format";
import { entryAuthor, entryTitle, entryTone } from "./words";

/** An IMEI's entries, newest first: what each says, who wrote it and when, its note. */
export function RegisterEntries({
  entries,
  decidedBy,
}: {
  entries: readonly RegisterEntryDto[];
  decidedBy: string | null;
}) {
  if (entries.length === 0) {
    return <p class="muted">No report and no check recorded for this IMEI.</p>;
  }
  return (
    <ol class="register-entries">
      {entries.map((entry) => (
        <li key={entry.id} class={`register-entry register-entry--${entryTone(entry)}`}>
          <p class="register-entry__title">
            {entryTitle(entry)}
            {entry.id === decidedBy && (
              <span class="register-entry__decides">(decides the status)</span>
            )}
          </p>
          <p class="register-entry__meta">
            {entryAuthor(entry)} ·{" "}
            <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
            {entry.reference !== null && <> · reference {entry.reference}</>}
            {entry.ticket !== null && (
              <>
                {" · "}
                <a href={consoleHref({ view: "ticket", id: entry.ticket.id })}>
                  ticket {entry.ticket.number}
                </a>
              </>
            )}
          </p>
          {entry.note !== null && (
            <p class="register-entry__note" dir="auto">
              {entry.note}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
