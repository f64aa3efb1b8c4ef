import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { PortalMessageDto, PortalTicketView } from "../../../../shared/contracts/http/portal";
import type { Satisfaction } from "../../../../shared/domain/enums";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import {
  fetchPortalMessages,
  fetchPortalTicket,
  pathOfAccessUrl,
  replacePortalLink,
  tokenOfAccessUrl,
} from "../../api/portal";
import { Layout } from "../../components/Layout";
import type { EarlierControl } from "../../components/ShowEarlier";
import { usePageTitle } from "../../components/usePageTitle";
import { formatDateTime } from "../tickets/format";
import { Conversation } from "./Conversation";
import { Rating } from "./Rating";
import { RmaTimeline } from "./RmaTimeline";
import { ReplaceLink } from "./ReplaceLink";
import { ReplyBox } from "./ReplyBox";
import { problemText } from "./errors";
import { connectLive, preloadLive } from "./live";
import type { LiveStatus } from "./live";
import { STATUS_WORDS, categoryLabel, warrantyExplanation } from "./words";

type Load =
  | { kind: "loading" }
  | { kind: "dead" }
  | { kind: "failed"; error: ApiError }
  | { kind: "ready"; view: PortalTicketView };

const LIVE_WORDS: Record<LiveStatus, string> = {
  connecting: "Connecting for live updates…",
  live: "Live: new replies appear here by themselves.",
  reconnecting: "Reconnecting… new replies will appear once you are back online.",
  off: "Live updates are off: reload the page to see new replies.",
};

/** Adds `message` to the view unless it is there already (a reply comes back live too). */
function withMessage(view: PortalTicketView, message: PortalMessageDto): PortalTicketView {
  if (view.messages.some((known) => known.id === message.id)) {
    return view;
  }
  return { ...view, messages: [...view.messages, message] };
}

/**
 * A fresh view (the latest page of the conversation) over what is shown, which may include
 * earlier pages the customer opened: when the new page starts inside what is shown, the earlier
 * messages (and their cursor) stay; otherwise the fresh page replaces them.
 */
function withFreshView(current: Load, loaded: PortalTicketView): PortalTicketView {
  if (current.kind !== "ready" || loaded.messages.length === 0) {
    return loaded;
  }
  const at = current.view.messages.findIndex((message) => message.id === loaded.messages[0].id);
  if (at <= 0) {
    return loaded;
  }
  return {
    ...loaded,
    messages: [...current.view.messages.slice(0, at), ...loaded.messages],
    earlierCursor: current.view.earlierCursor,
  };
}

/**
 * `/portal/t/<token>`: a customer's ticket, opened with its private link. Live over Socket.io
 * (loaded only here); refetched after every (re)connection that may have missed events. An
 * unknown or replaced link shows "This link doesn't work".
 */
export function PortalTicketPage({ token: initialToken }: { token: string }) {
  const [token, setToken] = useState(initialToken);
  const tokenRef = useRef(token);
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [live, setLive] = useState<LiveStatus>("connecting");
  const [announcement, setAnnouncement] = useState("");
  const replacing = useRef(false);
  const inflight = useRef<AbortController | null>(null);
  const [earlierLoading, setEarlierLoading] = useState(false);
  const [earlierError, setEarlierError] = useState<ApiError | null>(null);
  const earlierRequest = useRef<AbortController | null>(null);

  /** Fetches the view for the current token. `quiet`: keep what is shown if it fails. */
  const refresh = useCallback((quiet: boolean) => {
    inflight.current?.abort();
    const controller = new AbortController();
    inflight.current = controller;
    const asked = tokenRef.current;
    fetchPortalTicket(asked, controller.signal).then(
      (view) => {
        if (asked === tokenRef.current) {
          setLoad((current) => ({ kind: "ready", view: withFreshView(current, view) }));
        }
      },
      (failure: unknown) => {
        if (controller.signal.aborted || isAbortError(failure) || asked !== tokenRef.current) {
          return;
        }
        const error = asApiError(failure);
        if (error.code === "not_found") {
          setLoad({ kind: "dead" });
        } else if (!quiet) {
          setLoad({ kind: "failed", error });
        }
      },
    );
  }, []);

  useEffect(() => {
    // The live-update code downloads while the ticket loads.
    void preloadLive();
    refresh(false);
    return () => {
      inflight.current?.abort();
      earlierRequest.current?.abort();
    };
  }, [refresh]);

  const cursor = load.kind === "ready" ? load.view.earlierCursor : null;
  /** Fetches the page of the conversation before the oldest message shown. */
  const loadEarlier = useCallback(() => {
    if (cursor === null || earlierRequest.current !== null) {
      return;
    }
    const controller = new AbortController();
    earlierRequest.current = controller;
    setEarlierLoading(true);
    setEarlierError(null);
    fetchPortalMessages(tokenRef.current, cursor, controller.signal)
      .then(
        (page) =>
          setLoad((current) => {
            // Only onto the conversation it was asked for (a refetch may have replaced it).
            if (current.kind !== "ready" || current.view.earlierCursor !== cursor) {
              return current;
            }
            const known = new Set(current.view.messages.map((message) => message.id));
            return {
              kind: "ready",
              view: {
                ...current.view,
                messages: [
                  ...page.messages.filter((message) => !known.has(message.id)),
                  ...current.view.messages,
                ],
                earlierCursor: page.earlierCursor,
              },
            };
          }),
        (failure: unknown) => {
          if (controller.signal.aborted || isAbortError(failure)) {
            return;
          }
          const error = asApiError(failure);
          if (error.code === "not_found") {
            setLoad({ kind: "dead" });
          } else {
            setEarlierError(error);
          }
        },
      )
      .finally(() => {
        if (earlierRequest.current === controller) {
          earlierRequest.current = null;
          setEarlierLoading(false);
        }
      });
  }, [cursor]);

  const ready = load.kind === "ready";
  useEffect(() => {
    if (!ready) {
      return undefined;
    }
    return connectLive(token, {
      status: setLive,
      message: (message) => {
        setLoad((current) =>
          current.kind === "ready"
            ? { kind: "ready", view: withMessage(current.view, message) }
            : current,
        );
        if (message.from === "agent") {
          setAnnouncement(`New reply from ${message.authorName}.`);
        }
      },
      ticket: (ticket) => {
        setLoad((current) =>
          current.kind === "ready" ? { kind: "ready", view: { ...current.view, ticket } } : current,
        );
        // Whether a rating is open now, and anything else that came with the change.
        refresh(true);
      },
      resync: () => refresh(true),
      refused: () => {
        if (!replacing.current) {
          refresh(true);
        }
      },
    });
  }, [ready, token, refresh]);

  // Say a change of status out loud (not the first one shown).
  const status = load.kind === "ready" ? load.view.ticket.status : null;
  const shownStatus = useRef<string | null>(null);
  useEffect(() => {
    if (status === null) {
      return;
    }
    if (shownStatus.current !== null && shownStatus.current !== status) {
      setAnnouncement(`Status changed: ${STATUS_WORDS[status].label}.`);
    }
    shownStatus.current = status;
  }, [status]);

  const replaceLink = async (): Promise<string> => {
    replacing.current = true;
    try {
      const { accessUrl } = await replacePortalLink(tokenRef.current);
      const fresh = tokenOfAccessUrl(accessUrl);
      window.history.replaceState(null, "", pathOfAccessUrl(accessUrl));
      tokenRef.current = fresh;
      setToken(fresh);
      return accessUrl;
    } finally {
      replacing.current = false;
    }
  };

  const onFailed = (error: ApiError) => {
    if (error.code === "not_found") {
      setLoad({ kind: "dead" });
    } else if (error.code === "conflict") {
      refresh(true);
    }
  };

  const onRated = (rating: Satisfaction, comment: string | null) => {
    setLoad((current) =>
      current.kind === "ready"
        ? {
            kind: "ready",
            view: {
              ...current.view,
              canRate: false,
              satisfaction: { rating, comment, ratedAt: new Date().toISOString() },
            },
          }
        : current,
    );
  };

  usePageTitle(
    load.kind === "ready"
      ? `${load.view.ticket.number}: ${load.view.ticket.subject}`
      : load.kind === "dead"
        ? "This link doesn't work"
        : "Your ticket",
  );

  return (
    <Layout wide>
      {load.kind === "loading" && (
        <p class="portal-hint" role="status">
          Loading your ticket…
        </p>
      )}
      {load.kind === "dead" && <DeadLink />}
      {load.kind === "failed" && (
        <>
          <h1>Your ticket could not be shown</h1>
          <div class="alert alert--error" role="alert">
            <p>{problemText(load.error)}</p>
          </div>
          <button type="button" class="button" onClick={() => refresh(false)}>
            Try again
          </button>
        </>
      )}
      {load.kind === "ready" && (
        <TicketView
          token={token}
          view={load.view}
          live={live}
          onSent={(message) =>
            setLoad((current) =>
              current.kind === "ready"
                ? { kind: "ready", view: withMessage(current.view, message) }
                : current,
            )
          }
          onFailed={onFailed}
          onRated={onRated}
          onReplace={replaceLink}
          earlier={{
            more: load.view.earlierCursor !== null,
            loading: earlierLoading,
            error: earlierError === null ? null : problemText(earlierError),
            onShow: loadEarlier,
          }}
        />
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </Layout>
  );
}

/** What an unknown, malformed or replaced link shows. */
function DeadLink() {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div class="portal-dead">
      <h1 class="portal-focus-target" ref={heading} tabIndex={-1}>
        This link doesn't work
      </h1>
      <p class="lead">There is no ticket at this link.</p>
      <ul>
        <li>If the link was replaced, only the newest one works: use that one.</li>
        <li>If you copied it from an email, check that you copied all of it.</li>
      </ul>
      <p>Still need help? Open a new ticket and mention your old ticket number if you have it.</p>
      <a class="button portal-action" href="/portal">
        Open a new ticket
      </a>
    </div>
  );
}

function TicketView({
  token,
  view,
  live,
  onSent,
  onFailed,
  onRated,
  onReplace,
  earlier,
}: {
  token: string;
  view: PortalTicketView;
  live: LiveStatus;
  onSent: (message: PortalMessageDto) => void;
  onFailed: (error: ApiError) => void;
  onRated: (rating: Satisfaction, comment: string | null) => void;
  onReplace: () => Promise<string>;
  /** Older messages than those shown, loaded on demand. */
  earlier: EarlierControl;
}) {
  const { ticket, messages, handset, warranty } = view;
  const words = STATUS_WORDS[ticket.status];
  const device = handset
    ? [handset.brand, handset.model].filter((part) => part !== null && part !== "").join(" ")
    : "";

  return (
    <article class="portal-ticket" aria-labelledby="ticket-subject">
      <p class="portal-ticket__number">
        Ticket <span class="portal-number">{ticket.number}</span> · {categoryLabel(ticket.category)}
      </p>
      <h1 id="ticket-subject" dir="auto">
        {ticket.subject}
      </h1>
      <p class="portal-hint">
        Opened <time dateTime={ticket.createdAt}>{formatDateTime(ticket.createdAt)}</time>
      </p>

      <section
        class={`portal-status portal-status--${ticket.status}`}
        aria-labelledby="status-heading"
      >
        <h2 id="status-heading" class="visually-hidden">
          Status
        </h2>
        <p class="portal-status__label" data-status={ticket.status}>
          {words.label}
        </p>
        <p class="portal-status__detail">{words.detail}</p>
        <p class="portal-live" data-status={live}>
          <span class="portal-live__dot" aria-hidden="true" />
          {LIVE_WORDS[live]}
        </p>
      </section>

      {view.rma && <RmaTimeline token={token} rma={view.rma} onFailed={onFailed} />}

      <Rating
        token={token}
        satisfaction={view.satisfaction}
        canRate={view.canRate}
        onRated={onRated}
        onFailed={onFailed}
      />

      <section aria-labelledby="conversation-heading">
        <h2 id="conversation-heading">Conversation</h2>
        <Conversation token={token} messages={messages} earlier={earlier} />
      </section>

      <section aria-labelledby="reply-heading">
        <h2 id="reply-heading">Reply</h2>
        {ticket.status === "closed" ? (
          <p>
            This ticket is closed, so it takes no more replies. If you need more help,{" "}
            <a href="/portal">open a new ticket</a>.
          </p>
        ) : (
          <ReplyBox
            token={token}
            ticketNumber={ticket.number}
            status={ticket.status}
            onSent={onSent}
            onFailed={onFailed}
          />
        )}
      </section>

      <section class="portal-card" aria-labelledby="phone-heading">
        <h2 id="phone-heading">Your phone</h2>
        {handset === null ? (
          <p>No phone is linked to this ticket.</p>
        ) : (
          <dl class="portal-facts">
            <div>
              <dt>Phone</dt>
              <dd dir="auto">{device === "" ? "Not named yet" : device}</dd>
            </div>
            {handset.imeiMasked !== null && (
              <div>
                <dt>IMEI</dt>
                <dd class="mono" data-testid="portal-imei">
                  {handset.imeiMasked}
                </dd>
              </div>
            )}
          </dl>
        )}
        {view.network !== null && (
          <div class="portal-network" data-level={view.network.level} data-testid="portal-network">
            <h3>
              {view.network.carrier === null ? "On our network" : `On ${view.network.carrier}`}
            </h3>
            <p>{view.network.words}</p>
          </div>
        )}
        {warranty !== null && (
          <div class={`portal-warranty portal-warranty--${warranty.status}`}>
            <h3>Warranty</h3>
            <p class="portal-warranty__summary">{warranty.summary}</p>
            <p>{warrantyExplanation(warranty)}</p>
          </div>
        )}
      </section>

      <ReplaceLink onReplace={onReplace} onFailed={onFailed} />
    </article>
  );
}
