import { useEffect, useRef, useState } from "preact/hooks";
import type { PortalMessageDto } from "../../../../shared/contracts/http/portal";
import type { TicketStatus } from "../../../../shared/domain/enums";
import { Limits } from "../../../../shared/domain/limits";
import { asApiError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { sendPortalReply } from "../../api/portal";
import { Field, describedBy } from "./Field";
import { FilePicker, usePickedFiles } from "./FilePicker";
import { detailsByField, problemText } from "./errors";
import { readStored, removeStored, writeStored } from "./storage";

const LABELS = { body: "Your reply", attachments: "Attachments" } as const;

/**
 * The customer's reply, with up to five files. The text is kept (also across a reload, per
 * ticket) until it is sent; a closed ticket takes no replies, so the box is not shown then.
 */
export function ReplyBox({
  token,
  ticketNumber,
  status,
  onSent,
  onFailed,
}: {
  token: string;
  ticketNumber: string;
  status: TicketStatus;
  onSent: (message: PortalMessageDto) => void;
  /** The server said no in a way that changes the page (closed ticket, dead link). */
  onFailed: (error: ApiError) => void;
}) {
  const draftKey = `greydesk.portal.reply.${ticketNumber}`;
  const [body, setBody] = useState(() => {
    const stored = readStored(draftKey);
    return typeof stored === "string" ? stored : "";
  });
  const [files, updateFiles, clearFiles] = usePickedFiles();
  const [error, setError] = useState<string | undefined>(undefined);
  const [filesError, setFilesError] = useState<string | undefined>(undefined);
  const [fileErrors, setFileErrors] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [said, setSaid] = useState("");
  const text = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (body === "") {
      removeStored(draftKey);
    } else {
      writeStored(draftKey, body);
    }
  }, [body, draftKey]);

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (sending) {
      return;
    }
    const trimmed = body.trim();
    if (trimmed === "") {
      setError("Write your reply first.");
      text.current?.focus();
      return;
    }
    if ([...trimmed].length > Limits.messageMax) {
      setError(`Your reply can be at most ${Limits.messageMax} characters.`);
      text.current?.focus();
      return;
    }
    setSending(true);
    setProblem(null);
    setSaid("");
    sendPortalReply(
      token,
      trimmed,
      files.map((picked) => picked.file),
      {
        onProgress:
          files.length > 0
            ? (sent, total) => setProgress(Math.round((sent / total) * 100))
            : undefined,
      },
    ).then(
      (message) => {
        setSending(false);
        setProgress(null);
        setBody("");
        clearFiles();
        setError(undefined);
        setFilesError(undefined);
        setFileErrors({});
        setSaid("Your reply was sent.");
        onSent(message);
      },
      (failure: unknown) => {
        const apiError = asApiError(failure);
        setSending(false);
        setProgress(null);
        const { fields, files: perFile, other } = detailsByField(apiError, LABELS);
        setError(fields.body);
        setFilesError(
          fields.attachments ??
            (apiError.code === "payload_too_large"
              ? "A file is too large: each file can be at most 10 MB."
              : undefined),
        );
        setFileErrors(perFile);
        if (fields.body !== undefined) {
          text.current?.focus();
        }
        const hasFieldErrors =
          fields.body !== undefined ||
          fields.attachments !== undefined ||
          Object.keys(perFile).length > 0;
        setProblem(
          hasFieldErrors && other.length === 0
            ? "Your reply was not sent: see below."
            : [problemText(apiError), ...other].join(" "),
        );
        if (apiError.code === "conflict" || apiError.code === "not_found") {
          onFailed(apiError);
        }
      },
    );
  };

  return (
    <form class="portal-reply" noValidate onSubmit={onSubmit}>
      {problem !== null && (
        <div class="alert alert--error" role="alert">
          <p>{problem}</p>
        </div>
      )}
      <Field
        id="reply-body"
        label="Your reply"
        hint={
          status === "resolved"
            ? "Replying reopens this ticket."
            : status === "pending_customer"
              ? "We are waiting for your answer."
              : undefined
        }
        error={error}
      >
        <textarea
          ref={text}
          id="reply-body"
          name="body"
          rows={5}
          dir="auto"
          value={body}
          aria-invalid={error !== undefined ? "true" : undefined}
          aria-describedby={
            describedBy(
              "reply-body",
              status === "resolved" || status === "pending_customer",
              error,
            ) || undefined
          }
          onInput={(event) => {
            setBody(event.currentTarget.value);
            if (error !== undefined) {
              setError(undefined);
            }
          }}
        />
      </Field>
      <FilePicker
        id="reply-files"
        label="Photos, screenshots or PDFs"
        hint="Up to 5 files, 10 MB each: JPEG, PNG, GIF, WebP, HEIC or PDF."
        files={files}
        onFilesChange={(update) => {
          updateFiles(update);
          setFileErrors({});
          setFilesError(undefined);
        }}
        error={filesError}
        fileErrors={fileErrors}
        disabled={sending}
      />
      <div class="portal-submit">
        <button type="submit" class="button" disabled={sending}>
          {sending ? "Sending…" : "Send reply"}
        </button>
        <p class="portal-hint" role="status" aria-live="polite">
          {sending
            ? progress !== null && progress < 100
              ? `Uploading your files: ${progress}%`
              : "Sending…"
            : said}
        </p>
      </div>
    </form>
  );
}
