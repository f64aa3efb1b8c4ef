import { useCallback, useEffect, useState } from "preact/hooks";

/**
 * Unread marks. For each ticket the agent opened, the ticket's own `updatedAt` as it was when
 * they last looked (server time, so the browser's clock cannot skew it). A ticket is unread when
 * it changed after that, or, never opened, changed after the agent first used this browser
 * (so an old backlog does not arrive all bold). Kept in localStorage per agent.
 */
interface SeenRecord {
  /** When this browser first showed this agent the console (ISO). */
  since: string;
  /** ticket id -> updatedAt seen. */
  seen: Record<string, string>;
}

const MAX_ENTRIES = 2000;
const storageKey = (userId: string) => `greydesk:seen:${userId}`;

function load(userId: string): SeenRecord {
  try {
    const raw = window.localStorage.getItem(storageKey(userId));
    if (raw !== null) {
      const parsed = JSON.parse(raw) as Partial<SeenRecord>;
      if (typeof parsed.since === "string" && typeof parsed.seen === "object" && parsed.seen) {
        return { since: parsed.since, seen: parsed.seen };
      }
    }
  } catch {
    // Unreadable or unavailable storage: start afresh below.
  }
  const fresh: SeenRecord = { since: new Date().toISOString(), seen: {} };
  save(userId, fresh);
  return fresh;
}

function save(userId: string, record: SeenRecord): void {
  const entries = Object.entries(record.seen);
  if (entries.length > MAX_ENTRIES) {
    entries.sort((a, b) => Date.parse(b[1]) - Date.parse(a[1]));
    record.seen = Object.fromEntries(entries.slice(0, MAX_ENTRIES));
  }
  try {
    window.localStorage.setItem(storageKey(userId), JSON.stringify(record));
  } catch {
    // Storage full or blocked (private mode): marks just do not survive a reload.
  }
}

export interface UnreadMarks {
  isUnread: (ticket: { id: string; updatedAt: string }) => boolean;
  /** Records that the agent has seen the ticket as of its `updatedAt`. */
  markSeen: (ticket: { id: string; updatedAt: string }) => void;
}

/** The agent's unread marks; re-renders when they change (in this tab or another). */
export function useUnreadMarks(userId: string): UnreadMarks {
  const [record, setRecord] = useState(() => load(userId));

  useEffect(() => {
    setRecord(load(userId));
    const onStorage = (event: StorageEvent) => {
      if (event.key === storageKey(userId)) {
        setRecord(load(userId));
      }
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [userId]);

  const isUnread = useCallback(
    (ticket: { id: string; updatedAt: string }) => {
      const seen = record.seen[ticket.id] ?? record.since;
      return Date.parse(ticket.updatedAt) > Date.parse(seen);
    },
    [record],
  );

  const markSeen = useCallback(
    (ticket: { id: string; updatedAt: string }) => {
      setRecord((current) => {
        const previous = current.seen[ticket.id];
        if (previous !== undefined && Date.parse(previous) >= Date.parse(ticket.updatedAt)) {
          return current;
        }
        const next = {
          since: current.since,
          seen: { ...current.seen, [ticket.id]: ticket.updatedAt },
        };
        save(userId, next);
        return next;
      });
    },
    [userId],
  );

  return { isUnread, markSeen };
}
