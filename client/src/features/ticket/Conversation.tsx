import type { AttachmentDto, TicketEventDto } from "../../../../shared/contracts/http/tickets";
import { ShowEarlier } from "../../components/ShowEarlier";
import type { EarlierControl } from "../../components/ShowEarlier";
import { formatDateTime } from "../tickets/format";
import { actorName, storyOf } from "./story";
import type { NameOf } from "./story";

/**
 * The ticket's history in order: the customer's first message, replies, internal notes (marked
 * in words and colour), and every change told as a sentence. All text is rendered as text.
 */
export function Conversation({
  events,
  nameOf,
  showChanges,
  highlightAfter,
  earlier,
}: {
  events: readonly TicketEventDto[];
  nameOf: NameOf;
  showChanges: boolean;
  /** Messages after this seq by others are marked new (the reply guard's warning). */
  highlightAfter: number | null;
  /** Older history than `events`, loaded on demand. */
  earlier: EarlierControl;
}) {
  const shown = showChanges ? events : events.filter((event) => storyOf(event, nameOf) === null);
  if (shown.length === 0) {
    return earlier.more ? <ShowEarlier {...earlier} /> : <p class="muted">Nothing here yet.</p>;
  }
  return (
    <>
      <ShowEarlier {...earlier} />
      <ol class="timeline">
        {shown.map((event) => {
          const story = storyOf(event, nameOf);
          if (story !== null) {
            return (
              <li key={event.id} class="timeline__change" data-event-type={event.type}>
                <span dir="auto">{story}</span>
                <span class="muted">
                  {" · "}
                  <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
                </span>
              </li>
            );
          }
          return (
            <Message
              key={event.id}
              event={event}
              fresh={highlightAfter !== null && event.seq > highlightAfter}
            />
          );
        })}
      </ol>
    </>
  );
}

type MessageKind = "from-customer" | "reply" | "note";

function kindOf(event: TicketEventDto): MessageKind {
  if (event.type === "note") {
    return "note";
  }
  return event.actor.type === "customer" ? "from-customer" : "reply";
}

const KIND_LABELS: Record<MessageKind, string> = {
  "from-customer": "Customer",
  reply: "Public reply",
  note: "Internal note",
};

/** A message, a note, or the opening description. */
export function Message({ event, fresh = false }: { event: TicketEventDto; fresh?: boolean }) {
  const kind = kindOf(event);
  const who = actorName(event);
  const opening = event.type === "created";
  return (
    <li
      id={`event-${event.id}`}
      class={`message message--${kind}${fresh ? " message--fresh" : ""}`}
      data-event-type={event.type}
      data-seq={event.seq}
    >
      <p class="message__meta">
        <span class={`message__kind message__kind--${kind}`}>{KIND_LABELS[kind]}</span>{" "}
        <strong dir="auto">{who}</strong>
        {opening && (
          <span class="muted">
            {event.actor.type === "customer"
              ? " opened the ticket"
              : " opened the ticket for the customer"}
          </span>
        )}
        <span class="muted">
          {" · "}
          <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
        </span>
        {fresh && <span class="badge badge--fresh">New</span>}
      </p>
      <p class="message__body" dir="auto">
        {event.body ?? ""}
      </p>
      <Attachments attachments={event.attachments ?? []} />
    </li>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${Math.round(bytes / 1024)} KB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Files on a message, by name (the customer's filename is untrusted text, shown as text). */
function Attachments({ attachments }: { attachments: readonly AttachmentDto[] }) {
  if (attachments.length === 0) {
    return null;
  }
  return (
    <ul class="attachments" aria-label="Attachments">
      {attachments.map((attachment) => (
        <li key={attachment.id}>
          <span dir="auto" class="attachments__name">
            {attachment.filename}
          </span>{" "}
          <span class="muted">({formatSize(attachment.size)})</span>
        </li>
      ))}
    </ul>
  );
}
