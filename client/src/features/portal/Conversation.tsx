import type { PortalMessageDto } from "../../../../shared/contracts/http/portal";
import type { AttachmentDto } from "../../../../shared/contracts/http/tickets";
import { portalAttachmentUrl } from "../../api/portal";
import { ShowEarlier } from "../../components/ShowEarlier";
import type { EarlierControl } from "../../components/ShowEarlier";
import { formatDateTime } from "../tickets/format";
import { formatSize, kindOf } from "./words";

/**
 * The public conversation: the customer's messages and the support team's replies, told apart
 * by words as well as by colour and side. Bodies and file names are untrusted text, rendered
 * as text only (never as HTML), keeping line breaks, with their own text direction.
 */
export function Conversation({
  token,
  messages,
  earlier,
}: {
  token: string;
  messages: readonly PortalMessageDto[];
  /** Older messages, loaded on demand. */
  earlier: EarlierControl;
}) {
  if (messages.length === 0) {
    return <p class="portal-hint">No messages yet.</p>;
  }
  return (
    <>
      <ShowEarlier {...earlier} />
      <ol class="portal-messages">
        {messages.map((message) => (
          <li
            key={message.id}
            class={`portal-message portal-message--${message.from}`}
            data-from={message.from}
          >
            <p class="portal-message__meta">
              {message.from === "customer" ? (
                <span class="portal-message__who">You</span>
              ) : (
                <>
                  <span class="portal-message__who" dir="auto">
                    {message.authorName}
                  </span>
                  <span class="portal-message__role">Support team</span>
                </>
              )}
              <time class="portal-message__time" dateTime={message.createdAt}>
                {formatDateTime(message.createdAt)}
              </time>
            </p>
            <p class="portal-message__body" dir="auto">
              {message.body}
            </p>
            <Attachments token={token} attachments={message.attachments} />
          </li>
        ))}
      </ol>
    </>
  );
}

/** Files of a message as download links (served as attachments; never shown inline). */
function Attachments({
  token,
  attachments,
}: {
  token: string;
  attachments: readonly AttachmentDto[];
}) {
  if (attachments.length === 0) {
    return null;
  }
  return (
    <ul class="portal-attachments" aria-label="Attached files">
      {attachments.map((attachment) => (
        <li key={attachment.id}>
          <a href={portalAttachmentUrl(token, attachment.id)} download="">
            <span dir="auto" class="portal-file__name">
              {attachment.filename}
            </span>
          </a>{" "}
          <span class="portal-hint">
            ({kindOf(attachment.contentType)}, {formatSize(attachment.size)})
          </span>
        </li>
      ))}
    </ul>
  );
}
