import { useEffect, useRef } from "preact/hooks";

/** The console's single-key shortcuts (the help dialog lists them). */
export type ShortcutKey = "j" | "k" | "Enter" | "r" | "n" | "a" | "/" | "?" | "Escape";

export type ShortcutHandlers = Partial<Record<ShortcutKey, (event: KeyboardEvent) => void>>;

/** What the help dialog shows, in order. */
export const SHORTCUT_HELP: readonly { keys: readonly string[]; does: string }[] = [
  { keys: ["j", "k"], does: "Move the selection down or up in the queue" },
  { keys: ["Enter"], does: "Open the selected ticket" },
  { keys: ["/"], does: "Search the queue" },
  { keys: ["r"], does: "Write a reply to the customer" },
  { keys: ["n"], does: "Write an internal note" },
  { keys: ["a"], does: "Assign the ticket to me" },
  { keys: ["?"], does: "Show this list" },
  { keys: ["Esc"], does: "Close this list" },
];

const KEYS: ReadonlySet<string> = new Set<ShortcutKey>([
  "j",
  "k",
  "Enter",
  "r",
  "n",
  "a",
  "/",
  "?",
  "Escape",
]);

/** Registered handler sets, the most recent last: it gets a key first. */
const layers: { current: ShortcutHandlers }[] = [];

/**
 * Whether a key press there is typing, not a command: text fields, selects (type-ahead),
 * anything editable.
 */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

function onKeyDown(event: KeyboardEvent): void {
  if (
    event.defaultPrevented ||
    event.ctrlKey ||
    event.metaKey ||
    event.altKey ||
    event.isComposing ||
    !KEYS.has(event.key) ||
    isTypingTarget(event.target)
  ) {
    return;
  }
  // A modal dialog (the help) owns the keyboard; it closes itself on Esc.
  if (document.querySelector("dialog[open]") !== null) {
    return;
  }
  const key = event.key as ShortcutKey;
  for (let index = layers.length - 1; index >= 0; index--) {
    const handler = layers[index].current[key];
    if (handler !== undefined) {
      handler(event);
      return;
    }
  }
}

/** Listens for the shortcuts on the whole document; returns the function that stops it. */
export function installShortcuts(): () => void {
  document.addEventListener("keydown", onKeyDown);
  return () => document.removeEventListener("keydown", onKeyDown);
}

/**
 * Handles some shortcuts while the component is mounted. Handlers may change every render.
 * A key goes to the most recently mounted page first; `fallback` layers (the console's own
 * keys) come last whatever the mount order (Preact runs a child's effects before its parent's).
 */
export function useShortcuts(
  handlers: ShortcutHandlers,
  options: { fallback?: boolean } = {},
): void {
  const layer = useRef(handlers);
  layer.current = handlers;
  const fallback = options.fallback === true;
  useEffect(() => {
    const entry = layer;
    if (fallback) {
      layers.unshift(entry);
    } else {
      layers.push(entry);
    }
    return () => {
      const index = layers.indexOf(entry);
      if (index >= 0) {
        layers.splice(index, 1);
      }
    };
  }, [fallback]);
}
