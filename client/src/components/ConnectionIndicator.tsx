import { useConnectionStatus } from "../realtime/hooks";
import type { ConnectionStatus } from "../realtime/socket";

const LABELS: Record<ConnectionStatus, string> = {
  connecting: "Connecting…",
  connected: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/** Whether live updates are flowing; announced politely when it changes. */
export function ConnectionIndicator() {
  const status = useConnectionStatus();
  return (
    <span
      class={`connection connection--${status}`}
      role="status"
      data-status={status}
      title={
        status === "connected"
          ? "Live updates are on"
          : "Live updates are paused; the page catches up when the connection is back"
      }
    >
      <span class="connection__dot" aria-hidden="true" />
      <span class="visually-hidden">Connection: </span>
      {LABELS[status]}
    </span>
  );
}
