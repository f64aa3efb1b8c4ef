import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { TicketEventDto } from "../../../../shared/contracts/http/tickets";
import { Limits } from "../../../../shared/domain/limits";
import { codePointLength } from "../../../../shared/domain/text";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { postMessage } from "../../api/tickets";
import { ErrorMessage } from "../../components/ErrorMessage";
import { sendTyping } from "../../realtime/socket";
import { Message } from "./Conversation";
import { actorName } from "./story";

export type ComposerMode = "reply" | "note";

/** Send `typing: true` again after this long while the agent keeps typing. */
const TYPING_REPEAT_MS = 2000;
/** ...and `typing: false` after this long without a key press. */
const TYPING_IDLE_MS = 3000;

interface Draft {
  text: string;
  /** The newest seq on screen when the agent started this draft (the reply guard's base). */
  baseSeq: number | null;
}

/** Unsent drafts per ticket, kept while the console is open (switching tickets keeps them). */
const drafts = new Map<string, Draft>();

interface ComposerProps {
  ticketId: string;
  customerName: string;
  userId: string;
  mode: ComposerMode;
  onModeChange: (mode: ComposerMode) => void;
  textarea: RefObject<HTMLTextAreaElement>;
  events: readonly TicketEventDto[];
  lastSeq: number;
  closed: boolean;
  onSent: (event: TicketEventDto) => void;
  /** The server refused the reply because of newer messages: fetch them. */
  onConflict: () => void;
  /** Which seq the conflict is about, so the conversation can mark the new messages. */
  onGuardChange: (since: number | null) => void;
}

/**
 * The reply box: a public reply or an internal note, with the typing signal and the reply
 * guard (a reply that would land after someone else's new message is held back with a warning).
 */
export function Composer(props: ComposerProps) {
  const { ticketId, mode, userId, events } = props;
  const key = ticketId;
  const [draft, setDraftState] = useState<Draft>(
    () => drafts.get(key) ?? { text: "", baseSeq: null },
  );
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  /** The seq the agent had seen when the server refused the reply; null when no conflict. */
  const [conflictSince, setConflictSince] = useState<number | null>(null);
  const typing = useRef({
    active: false,
    lastSent: 0,
    idle: null as ReturnType<typeof setTimeout> | null,
  });

  useEffect(() => {
    setDraftState(drafts.get(key) ?? { text: "", baseSeq: null });
    setError(null);
    setConflictSince(null);
  }, [key]);

  const { onGuardChange } = props;
  useEffect(() => onGuardChange(conflictSince), [conflictSince, onGuardChange]);

  const stopTyping = () => {
    const state = typing.current;
    if (state.idle !== null) {
      clearTimeout(state.idle);
      state.idle = null;
    }
    if (state.active) {
      state.active = false;
      sendTyping(ticketId, false);
    }
  };

  // Leaving the ticket (or unmounting) ends the typing signal.
  useEffect(() => stopTyping, [ticketId]);

  const noteTyping = (text: string) => {
    const state = typing.current;
    if (text.trim() === "") {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (!state.active || now - state.lastSent >= TYPING_REPEAT_MS) {
      state.active = true;
      state.lastSent = now;
      sendTyping(ticketId, true);
    }
    if (state.idle !== null) {
      clearTimeout(state.idle);
    }
    state.idle = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const setDraft = (next: Draft) => {
    setDraftState(next);
    if (next.text === "") {
      drafts.delete(key);
    } else {
      drafts.set(key, next);
    }
  };

  const send = async (force: boolean) => {
    const body = draft.text.trim();
    if (body === "" || sending) {
      return;
    }
    stopTyping();
    setSending(true);
    setError(null);
    const lastSeenSeq = draft.baseSeq ?? props.lastSeq;
    try {
      const event = await postMessage(ticketId, {
        body,
        internal: mode === "note",
        ...(force ? {} : { lastSeenSeq }),
      });
      setDraft({ text: "", baseSeq: null });
      setConflictSince(null);
      props.onSent(event);
    } catch (failure) {
      const apiError = asApiError(failure);
      if (apiError.code === "conflict" && apiError.detailFor("lastSeenSeq") !== undefined) {
        setConflictSince(lastSeenSeq);
        props.onConflict();
      } else {
        setError(apiError);
      }
    } finally {
      setSending(false);
    }
  };

  const newer =
    conflictSince === null
      ? []
      : events.filter(
          (event) =>
            event.seq > conflictSince &&
            (event.type === "message" || event.type === "note") &&
            event.actor.id !== userId,
        );
  const names = [...new Set(newer.map(actorName))];
  const who =
    names.length === 0
      ? "Someone"
      : names.length === 1
        ? names[0]
        : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

  const length = codePointLength(draft.text);
  const tooLong = length > Limits.messageMax;
  const isNote = mode === "note";
  const fieldId = `composer-${ticketId}`;

  if (props.closed) {
    return (
      <section class="composer composer--closed" aria-label="Reply">
        <p class="muted">This ticket is closed: it takes no more replies or notes.</p>
      </section>
    );
  }

  return (
    <section
      class={`composer${isNote ? " composer--note" : ""}`}
      aria-label="Write a reply or a note"
    >
      <div class="composer__modes" role="group" aria-label="Write a">
        <button
          type="button"
          class="composer__mode"
          aria-pressed={!isNote}
          aria-keyshortcuts="r"
          onClick={() => props.onModeChange("reply")}
        >
          Reply
        </button>
        <button
          type="button"
          class="composer__mode composer__mode--note"
          aria-pressed={isNote}
          aria-keyshortcuts="n"
          onClick={() => props.onModeChange("note")}
        >
          Internal note
        </button>
      </div>
      {conflictSince !== null && (
        <div class="alert alert--warning reply-guard" role="alert">
          <p class="alert__title">
            {who}{" "}
            {newer.length > 0 && newer.every((e) => e.type === "note") ? "added a note" : "replied"}{" "}
            while you were typing
          </p>
          {newer.length > 0 ? (
            <ol class="messages reply-guard__messages">
              {newer.map((event) => (
                <Message key={event.id} event={event} fresh />
              ))}
            </ol>
          ) : (
            <p>Loading the new message…</p>
          )}
          <p>Your {isNote ? "note" : "reply"} has not been sent. Read the new message, then:</p>
          <div class="button-row">
            <button type="button" class="button" disabled={sending} onClick={() => void send(true)}>
              Send anyway
            </button>
            <button
              type="button"
              class="button button--secondary"
              onClick={() => {
                setDraft({ text: draft.text, baseSeq: props.lastSeq });
                setConflictSince(null);
                props.textarea.current?.focus();
              }}
            >
              Edit my {isNote ? "note" : "reply"}
            </button>
          </div>
        </div>
      )}
      <form
        class="composer__form"
        onSubmit={(event) => {
          event.preventDefault();
          void send(false);
        }}
      >
        <label id={`${fieldId}-label`} for={fieldId} class="composer__label">
          {isNote ? "Internal note (only agents see it)" : `Reply to ${props.customerName}`}
        </label>
        <textarea
          id={fieldId}
          ref={props.textarea}
          class="composer__text"
          dir="auto"
          rows={5}
          value={draft.text}
          aria-invalid={tooLong}
          aria-describedby={`${fieldId}-hint`}
          onInput={(event) => {
            const text = event.currentTarget.value;
            setDraft({
              text,
              baseSeq: text === "" ? null : (draft.baseSeq ?? props.lastSeq),
            });
            noteTyping(text);
          }}
          onBlur={stopTyping}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void send(false);
            }
          }}
        />
        <div class="composer__footer">
          <p id={`${fieldId}-hint`} class={tooLong ? "field__error" : "muted"}>
            {tooLong ? `${length - Limits.messageMax} characters too long` : "Ctrl+Enter sends"}
          </p>
          <button
            type="submit"
            class={isNote ? "button button--note" : "button"}
            disabled={sending || draft.text.trim() === "" || tooLong || conflictSince !== null}
          >
            {sending ? "Sending…" : isNote ? "Add note" : "Send reply"}
          </button>
        </div>
        {error !== null && (
          <ErrorMessage
            error={error}
            title={isNote ? "The note was not added" : "The reply was not sent"}
          />
        )}
      </form>
    </section>
  );
}
