import { useEffect, useState } from "preact/hooks";
import type { AssignmentNoticeDto } from "../../../../shared/contracts/http/assignment";
import { consoleHref } from "../../app/routes";
import { useServerEvent } from "../../realtime/hooks";
import "../sla/sla.css";

/** How long a notice stays up. */
const SHOW_MS = 12_000;

/**
 * "GD-1042 was assigned to you": shown live when a ticket is assigned to this agent (by someone
 * else, or round-robin), read out by screen readers, gone after a while or when dismissed.
 */
export function AssignedNotices({ userId }: { userId: string }) {
  const [notices, setNotices] = useState<(AssignmentNoticeDto & { key: number })[]>([]);

  useServerEvent("ticket:assigned", (notice) => {
    // Taking a ticket oneself needs no telling.
    if (notice.by?.id === userId) {
      return;
    }
    setNotices((current) => [...current.slice(-2), { ...notice, key: Date.now() + Math.random() }]);
  });

  useEffect(() => {
    if (notices.length === 0) {
      return undefined;
    }
    const timer = setTimeout(() => setNotices((current) => current.slice(1)), SHOW_MS);
    return () => clearTimeout(timer);
  }, [notices]);

  return (
    <ul class="assigned-notices" aria-live="polite" aria-label="Assigned to you">
      {notices.map((notice) => (
        <li key={notice.key} class="assigned-notice" data-ticket-id={notice.ticketId}>
          <p>
            <a href={consoleHref({ view: "ticket", id: notice.ticketId })}>
              {notice.number} <span dir="auto">{notice.subject}</span>
            </a>{" "}
            was assigned to you
            {notice.roundRobin
              ? notice.by === null
                ? " (round-robin, as it arrived)"
                : ` by ${notice.by.name} (round-robin)`
              : notice.by !== null
                ? ` by ${notice.by.name}`
                : ""}
            .
          </p>
          <button
            type="button"
            class="button button--quiet button--small"
            aria-label={`Dismiss the notice about ${notice.number}`}
            onClick={() =>
              setNotices((current) => current.filter((item) => item.key !== notice.key))
            }
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
