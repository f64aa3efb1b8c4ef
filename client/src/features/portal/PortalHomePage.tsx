import { useState } from "preact/hooks";
import type { PortalCreateTicketResponse } from "../../../../shared/contracts/http/portal";
import { Layout } from "../../components/Layout";
import { usePageTitle } from "../../components/usePageTitle";
import { Confirmation } from "./Confirmation";
import type { OpenedTicket } from "./Confirmation";
import { NewTicketForm } from "./NewTicketForm";
import { readStored, removeStored, storedStrings, writeStored } from "./storage";

/**
 * The opened ticket, kept for this tab so a reload of the confirmation still shows the link
 * (the tab's history holds the link too once the ticket page is opened).
 */
const OPENED_KEY = "greydesk.portal.opened";

function restoreOpened(): OpenedTicket | null {
  const { number, subject, accessUrl, email } = storedStrings(readStored(OPENED_KEY));
  if (number === undefined || accessUrl === undefined) {
    return null;
  }
  return { number, subject: subject ?? "", accessUrl, email: email ?? "" };
}

/** `/portal`: the form to open a ticket, then the confirmation with the private link. */
export function PortalHomePage() {
  const [opened, setOpened] = useState<OpenedTicket | null>(restoreOpened);
  usePageTitle(opened === null ? "Open a support ticket" : `Ticket ${opened.number} is open`);

  const onOpened = (answer: PortalCreateTicketResponse, email: string) => {
    const next: OpenedTicket = {
      number: answer.ticket.number,
      subject: answer.ticket.subject,
      accessUrl: answer.accessUrl,
      email,
    };
    writeStored(OPENED_KEY, next);
    setOpened(next);
  };

  const onAnother = () => {
    removeStored(OPENED_KEY);
    setOpened(null);
    window.scrollTo(0, 0);
  };

  return (
    <Layout>
      {opened !== null ? (
        <Confirmation opened={opened} onAnother={onAnother} />
      ) : (
        <>
          <h1>Open a support ticket</h1>
          <p class="lead">
            Tell us about your phone and what is wrong with it. No account needed: you get a private
            link to follow your ticket and talk to our team.
          </p>
          <NewTicketForm onOpened={onOpened} />
        </>
      )}
    </Layout>
  );
}
