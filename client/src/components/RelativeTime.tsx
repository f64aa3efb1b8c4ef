import { ticker } from "./ticker";
import { formatDateTime, formatRelative } from "../features/tickets/format";

/** The current time, updated every 30 s. */
export const useNow = ticker(30_000);

/** "5 min ago", with the exact time as the tooltip and machine-readable value. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
