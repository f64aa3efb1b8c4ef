import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { TicketDto, UserDto } from "../../../../shared/contracts/http/tickets";
import type { TicketChannel } from "../../../../shared/domain/enums";
import type { TeamMember } from "../../api/agents";
import { consoleHref } from "../../app/routes";
import { PriorityBadge, StatusBadge } from "../../components/Badges";
import { ErrorMessage } from "../../components/ErrorMessage";
import { RelativeTime } from "../../components/RelativeTime";
import { usePageTitle } from "../../components/usePageTitle";
import type { UnreadMarks } from "../queue/unread";
import { useShortcuts } from "../shortcuts/shortcuts";
import { CATEGORY_LABELS, FLAG_LABELS } from "../tickets/labels";
import { Composer } from "./Composer";
import type { ComposerMode } from "./Composer";
import { Conversation } from "./Conversation";
import { HandsetPanel } from "./HandsetPanel";
import { RmaPanel } from "../rma/RmaPanel";
import { HandsetHistory } from "../register/HandsetHistory";
import { HandsetRegisterStatus } from "../register/HandsetRegisterStatus";
import { SlaPanel } from "../sla/SlaCountdown";
import { TicketControls } from "./TicketControls";
import { useTicket } from "./useTicket";
import { Viewers } from "./Viewers";

interface TicketPageProps {
  id: string;
  user: UserDto;
  team: readonly TeamMember[];
  unread: UnreadMarks;
  /** A change this agent made, for the queue to show at once. */
  onTicketChanged: (ticket: TicketDto) => void;
}

/** One ticket: conversation and history, reply box, controls, handset panel, who else is here. */
const CHANNEL_WORDS: Record<TicketChannel, string> = {
  portal: " on the portal",
  agent: " by an agent",
  email: " by email",
};

export function TicketPage({ id, user, team, unread, onTicketChanged }: TicketPageProps) {
  const view = useTicket(id);
  const { detail } = view;
  const [mode, setMode] = useState<ComposerMode>("reply");
  const [showChanges, setShowChanges] = useState(true);
  const [guardSince, setGuardSince] = useState<number | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const assignToMe = useRef<(() => void) | null>(null);

  usePageTitle(detail === null ? "Ticket" : `${detail.ticket.number} ${detail.ticket.subject}`);

  // Opening a ticket, and watching it change while open, counts as having seen it.
  const seenTicket = detail?.ticket;
  const { markSeen } = unread;
  useEffect(() => {
    if (seenTicket !== undefined) {
      markSeen(seenTicket);
    }
  }, [seenTicket, markSeen]);

  // Move focus to the new page's heading once, so screen readers start at the ticket.
  const loaded = detail !== null && detail.ticket.id === id;
  useEffect(() => {
    if (loaded) {
      heading.current?.focus();
    }
  }, [loaded, id]);

  const nameOf = useCallback(
    (agentId: string) =>
      team.find((member) => member.id === agentId)?.name ??
      (agentId === user.id ? user.name : null) ??
      (detail?.ticket.assignee?.id === agentId ? detail.ticket.assignee.name : null),
    [team, user, detail],
  );

  const write = (next: ComposerMode) => {
    setMode(next);
    textarea.current?.focus();
  };

  useShortcuts({
    r: (event) => {
      event.preventDefault();
      write("reply");
    },
    n: (event) => {
      event.preventDefault();
      write("note");
    },
    a: (event) => {
      event.preventDefault();
      assignToMe.current?.();
    },
  });

  const { reload, setTicket, setHandset, addEvent } = view;
  const ticketChanged = (ticket: TicketDto) => {
    setTicket(ticket);
    onTicketChanged(ticket);
    reload();
  };

  if (view.error !== null && !loaded) {
    return (
      <div class="ticket-missing">
        <p>
          <a href={consoleHref({ view: "queue" })}>← Back to the queue</a>
        </p>
        <h1>
          {view.error.code === "not_found" ? "Ticket not found" : "The ticket could not load"}
        </h1>
        <ErrorMessage error={view.error} />
      </div>
    );
  }
  if (!loaded) {
    return (
      <p role="status" aria-live="polite">
        Loading the ticket…
      </p>
    );
  }

  const { ticket, customer, contact, handset, events } = detail;
  const emailVerified = customer.emailVerifiedAt !== null;
  const warnings = ticket.flags.length > 0 || contact.differsFromCustomer;
  return (
    <article class="ticket-layout" aria-labelledby="ticket-subject">
      <div class="ticket-main">
        <header class="ticket-header">
          <p class="ticket-header__back">
            <a href={consoleHref({ view: "queue" })}>← Queue</a>
          </p>
          <p class="ticket-header__meta">
            <span class="ticket-header__number">{ticket.number}</span>
            <StatusBadge status={ticket.status} />
            <PriorityBadge priority={ticket.priority} />
            <span class="muted">{CATEGORY_LABELS[ticket.category]}</span>
          </p>
          <h1
            id="ticket-subject"
            class="ticket-header__subject"
            dir="auto"
            tabIndex={-1}
            ref={heading}
          >
            {ticket.subject}
          </h1>
          <p class="ticket-header__customer">
            <strong dir="auto">{contact.name}</strong>
            <span class="muted">
              {" · "}
              <span dir="auto">{customer.email}</span>
              {!emailVerified && (
                <>
                  {" "}
                  <span
                    class="badge"
                    title="Nobody has confirmed this address: anyone can type it on the portal"
                  >
                    email not verified
                  </span>
                </>
              )}
              {contact.phone !== null && (
                <>
                  {" · "}
                  <span dir="auto">{contact.phone}</span>
                </>
              )}
              {" · opened "}
              <RelativeTime iso={ticket.createdAt} />
              {CHANNEL_WORDS[ticket.channel]}
            </span>
          </p>
          <Viewers viewers={view.viewers} userId={user.id} />
          {view.liveError !== null && <p class="muted">{view.liveError}</p>}
        </header>

        {warnings && (
          <div class="alert alert--warning ticket-flags" role="note" aria-label="Warnings">
            <p class="alert__title">
              <span aria-hidden="true">⚠ </span>Check before you act
            </p>
            <ul>
              {contact.differsFromCustomer && (
                <li>
                  This ticket was opened as <strong dir="auto">{contact.name}</strong>, but the
                  customer record for this email is <strong dir="auto">{customer.name}</strong>.
                  {emailVerified
                    ? " It may not be the same person."
                    : " The email is not verified, so it may not be the same person: share nothing of the customer's other tickets or handsets until you are sure."}
                </li>
              )}
              {ticket.flags.map((flag) => (
                <li key={flag}>{FLAG_LABELS[flag]}</li>
              ))}
            </ul>
          </div>
        )}

        <section class="ticket-conversation" aria-labelledby="conversation-title">
          <div class="section-heading">
            <h2 id="conversation-title">Conversation</h2>
            <label class="checkbox">
              <input
                type="checkbox"
                checked={showChanges}
                onChange={(event) => setShowChanges(event.currentTarget.checked)}
              />
              Show changes
            </label>
          </div>
          <Conversation
            events={events}
            nameOf={nameOf}
            showChanges={showChanges}
            highlightAfter={guardSince}
            earlier={{
              ...view.earlier,
              error:
                view.earlier.error === null
                  ? null
                  : `Earlier messages could not load: ${view.earlier.error.message}`,
              onShow: view.loadEarlier,
            }}
          />
          <Composer
            ticketId={ticket.id}
            customerName={contact.name}
            userId={user.id}
            mode={mode}
            onModeChange={setMode}
            textarea={textarea}
            events={events}
            lastSeq={view.lastSeq}
            closed={ticket.status === "closed"}
            onSent={(event) => {
              addEvent(event);
              reload();
            }}
            onConflict={reload}
            onGuardChange={setGuardSince}
          />
        </section>
      </div>

      <div class="ticket-side">
        <TicketControls
          ticket={ticket}
          team={team}
          userId={user.id}
          onUpdated={ticketChanged}
          assignToMe={assignToMe}
        />
        <SlaPanel sla={ticket.sla} />
        <HandsetPanel
          handset={handset}
          onSaved={(saved) => {
            setHandset(saved);
            reload();
          }}
        />
        {handset && <HandsetRegisterStatus handsetId={handset.id} version={ticket.updatedAt} />}
        <RmaPanel ticket={ticket} />
        {handset && <HandsetHistory handsetId={handset.id} version={handset.updatedAt} />}
      </div>
    </article>
  );
}
