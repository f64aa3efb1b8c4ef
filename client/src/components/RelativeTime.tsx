import { useEffect, useState } from "preact/hooks";
import { formatDateTime, formatRelative } from "../features/tickets/format";

const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | null = null;

/** The current time, updated every 30 s for every subscriber from one timer. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    listeners.add(setNow);
    if (timer === null) {
      timer = setInterval(() => {
        const at = Date.now();
        listeners.forEach((listener) => listener(at));
      }, 30_000);
    }
    return () => {
      listeners.delete(setNow);
      if (listeners.size === 0 && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, []);
  return now;
}

/** "5 min ago", with the exact time as the tooltip and machine-readable value. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
