import { useEffect, useRef, useState } from "preact/hooks";
import type { ServerToClientEvents } from "../../../shared/contracts/realtime";
import { connectionStatus, onConnectionStatus, onReconnect, onServerEvent } from "./socket";
import type { ConnectionStatus } from "./socket";

/** The connection status, re-rendering on every change. */
export function useConnectionStatus(): ConnectionStatus {
  const [status, setStatus] = useState(connectionStatus);
  useEffect(() => {
    setStatus(connectionStatus());
    return onConnectionStatus(setStatus);
  }, []);
  return status;
}

/**
 * Listens to a server event for as long as the component is mounted. The handler may change on
 * every render (it is read through a ref), so it can close over current state.
 */
export function useServerEvent<K extends keyof ServerToClientEvents>(
  event: K,
  handler: ServerToClientEvents[K],
): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const forward = ((...args: Parameters<ServerToClientEvents[K]>) =>
      (latest.current as (...a: Parameters<ServerToClientEvents[K]>) => void)(
        ...args,
      )) as ServerToClientEvents[K];
    return onServerEvent(event, forward);
  }, [event]);
}

/** Runs `handler(recovered)` after every reconnection, for as long as the component is mounted. */
export function useReconnect(handler: (recovered: boolean) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => onReconnect((recovered) => latest.current(recovered)), []);
}
