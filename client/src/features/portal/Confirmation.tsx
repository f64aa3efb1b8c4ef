import { useEffect, useRef } from "preact/hooks";
import { pathOfAccessUrl } from "../../api/portal";
import { CopyLink } from "./CopyLink";

/** What the portal keeps of an opened ticket for the confirmation page. */
export interface OpenedTicket {
  number: string;
  subject: string;
  accessUrl: string;
  email: string;
}

/**
 * After the form: the ticket number, the private link with a copy button, and what happens
 * next. The heading takes the focus, so screen readers start here.
 */
export function Confirmation({
  opened,
  onAnother,
}: {
  opened: OpenedTicket;
  onAnother: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    window.scrollTo(0, 0);
    heading.current?.focus();
  }, []);

  return (
    <div class="portal-confirmation">
      <p class="portal-confirmation__badge" aria-hidden="true">
        ✓
      </p>
      <h1 class="portal-focus-target" ref={heading} tabIndex={-1}>
        Your ticket is open
      </h1>
      <p class="lead">
        Your ticket number is <strong class="portal-number">{opened.number}</strong>
        {opened.subject !== "" && (
          <>
            : <span dir="auto">{opened.subject}</span>
          </>
        )}
        .
      </p>

      <section class="portal-card" aria-labelledby="confirm-link">
        <h2 id="confirm-link">Your private link</h2>
        <p>
          This link opens your ticket: follow replies there, answer, and add photos. It is the same
          link our email to <span dir="auto">{opened.email}</span> carries; email can be slow or end
          up in spam, so copy it or bookmark your ticket now.
        </p>
        <CopyLink id="confirm-link-url" label="Link to your ticket" url={opened.accessUrl} />
        <a class="button portal-action portal-button-wide" href={pathOfAccessUrl(opened.accessUrl)}>
          Open your ticket
        </a>
      </section>

      <section aria-labelledby="confirm-next">
        <h2 id="confirm-next">What happens next</h2>
        <ol class="portal-steps">
          <li>An agent reads your ticket and replies within one business day.</li>
          <li>Replies appear on your ticket page as soon as they are sent: no need to reload.</li>
          <li>
            Keep the link private: anyone who has it can read and answer your ticket. If you shared
            it by mistake, you can replace it from the ticket page.
          </li>
          <li>You can come back any time with the link, until the ticket is closed.</li>
        </ol>
      </section>

      <p>
        <button type="button" class="button button--quiet" onClick={onAnother}>
          Open another ticket
        </button>
      </p>
    </div>
  );
}
