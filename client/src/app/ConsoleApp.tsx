import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { UserDto } from "../../../shared/contracts/http/tickets";
import { fetchTeam, listAgents } from "../api/agents";
import type { TeamMember } from "../api/agents";
import { fetchCsrfToken, fetchMe, logout } from "../api/auth";
import { asApiError, onAuthLost } from "../api/http";
import type { ApiError } from "../api/http";
import { ConnectionIndicator } from "../components/ConnectionIndicator";
import { ErrorMessage } from "../components/ErrorMessage";
import { Layout } from "../components/Layout";
import { AdminPage } from "../features/admin/AdminPage";
import { OutboxPage } from "../features/admin/OutboxPage";
import { AssignedNotices } from "../features/assignment/AssignedNotices";
import { CarrierPage, CarriersPage } from "../features/catalog/CarriersPage";
import { CatalogPage } from "../features/catalog/CatalogPage";
import { CertificationPage } from "../features/catalog/CertificationPage";
import { ModelPage } from "../features/catalog/ModelPage";
import { BatchHealthPage } from "../features/batches/BatchHealthPage";
import { BatchPage } from "../features/batches/BatchPage";
import { BatchesPage } from "../features/batches/BatchesPage";
import { SlaPolicyPage } from "../features/sla/SlaPolicyPage";
import { RegisterPage } from "../features/register/RegisterPage";
import { SignInPage } from "../features/auth/SignInPage";
import { QueuePage } from "../features/queue/QueuePage";
import { useUnreadMarks } from "../features/queue/unread";
import { useQueue } from "../features/queue/useQueue";
import { HelpDialog } from "../features/shortcuts/HelpDialog";
import { installShortcuts, useShortcuts } from "../features/shortcuts/shortcuts";
import { TicketPage } from "../features/ticket/TicketPage";
import { connectRealtime, disconnectRealtime } from "../realtime/socket";
import { consoleHref, matchConsoleView } from "./routes";
import type { ConsoleView } from "./routes";

type Session =
  | { kind: "checking" }
  | { kind: "unreachable"; error: ApiError }
  | { kind: "signed-out"; notice?: string }
  | { kind: "signed-in"; user: UserDto };

const SESSION_ENDED = "Your session has ended. Sign in again to carry on.";

/** `/`: the agent console, or its sign-in page while signed out. */
export function ConsoleApp() {
  const [session, setSession] = useState<Session>({ kind: "checking" });

  useEffect(() => {
    let live = true;
    fetchMe()
      .then(async (user) => {
        if (user === null) {
          return { kind: "signed-out" } as const;
        }
        await fetchCsrfToken();
        return { kind: "signed-in", user } as const;
      })
      .then(
        (next) => live && setSession(next),
        (error: unknown) => live && setSession({ kind: "unreachable", error: asApiError(error) }),
      );
    return () => {
      live = false;
    };
  }, []);

  const signedOut = useCallback((notice?: string) => {
    setSession((current) =>
      current.kind === "signed-out" ? current : { kind: "signed-out", notice },
    );
  }, []);
  useEffect(() => onAuthLost(() => signedOut(SESSION_ENDED)), [signedOut]);

  switch (session.kind) {
    case "checking":
      return (
        <Layout>
          <p role="status">Loading Greydesk…</p>
        </Layout>
      );
    case "unreachable":
      return (
        <Layout>
          <h1>Greydesk is not answering</h1>
          <ErrorMessage error={session.error} />
          <p>Reload the page to try again.</p>
        </Layout>
      );
    case "signed-out":
      return (
        <SignInPage
          notice={session.notice}
          onSignedIn={(user) => setSession({ kind: "signed-in", user })}
        />
      );
    case "signed-in":
      return <Console user={session.user} onSignedOut={signedOut} />;
  }
}

/** The active agents for the assignee picker; admins fall back to the agent list. */
function useTeam(user: UserDto): { team: TeamMember[]; refresh: () => void } {
  const [team, setTeam] = useState<TeamMember[]>([
    { id: user.id, name: user.name, role: user.role },
  ]);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    fetchTeam(controller.signal)
      .catch(async (error: unknown) => {
        if (asApiError(error).code === "not_found" && user.role === "admin") {
          const agents = await listAgents(controller.signal);
          return agents
            .filter((agent) => !agent.disabled)
            .map(({ id, name, role }) => ({ id, name, role }));
        }
        throw error;
      })
      .then(
        (members) => {
          const withMe = members.some((member) => member.id === user.id)
            ? members
            : [...members, { id: user.id, name: user.name, role: user.role }];
          setTeam([...withMe].sort((a, b) => a.name.localeCompare(b.name)));
        },
        () => undefined, // keep what we have: the picker still offers "me" and "unassigned"
      );
    return () => controller.abort();
  }, [user, generation]);
  return { team, refresh: useCallback(() => setGeneration((value) => value + 1), []) };
}

function useConsoleView(): ConsoleView {
  const [view, setView] = useState(() => matchConsoleView(window.location.hash));
  useEffect(() => {
    const onHashChange = () => setView(matchConsoleView(window.location.hash));
    window.addEventListener("hashchange", onHashChange);
    return () => window.removeEventListener("hashchange", onHashChange);
  }, []);
  return view;
}

function navigate(view: ConsoleView): void {
  window.location.hash = consoleHref(view);
}

/** The signed-in console: top bar, the current view, the shortcuts and their help. */
function Console({ user, onSignedOut }: { user: UserDto; onSignedOut: (notice?: string) => void }) {
  const view = useConsoleView();
  const queue = useQueue(user.id);
  const unread = useUnreadMarks(user.id);
  const { team, refresh: refreshTeam } = useTeam(user);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [focusSearch, setFocusSearch] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [signOutError, setSignOutError] = useState<ApiError | null>(null);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    connectRealtime(() => onSignedOut(SESSION_ENDED));
    return disconnectRealtime;
  }, [onSignedOut]);
  useEffect(installShortcuts, []);

  // Console-wide keys; a page's own keys come first.
  useShortcuts(
    {
      "?": (event) => {
        event.preventDefault();
        setHelpOpen(true);
      },
      "/": (event) => {
        event.preventDefault();
        setFocusSearch(true);
        navigate({ view: "queue" });
      },
    },
    { fallback: true },
  );

  // Just signed in, the form that had the focus is gone: start at the page.
  useEffect(() => {
    if (document.activeElement === null || document.activeElement === document.body) {
      main.current?.focus();
    }
  }, []);

  const ticketId = view.view === "ticket" ? view.id : null;
  useEffect(() => {
    if (ticketId !== null) {
      setSelectedId(ticketId);
    }
  }, [ticketId]);

  const signOut = () => {
    setSignOutError(null);
    // Close the socket first: the server ending it would otherwise read as a lost session.
    disconnectRealtime();
    logout().then(
      () => onSignedOut("You have signed out."),
      (error: unknown) => {
        setSignOutError(asApiError(error));
        connectRealtime(() => onSignedOut(SESSION_ENDED));
      },
    );
  };

  return (
    <div class="console">
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          // The hash is the console's route: move focus without touching it.
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="topbar topbar--console">
        <a class="brand" href={consoleHref({ view: "queue" })}>
          Greydesk
        </a>
        <nav class="topbar__nav" aria-label="Console">
          <a
            href={consoleHref({ view: "queue" })}
            aria-current={view.view === "queue" ? "page" : undefined}
          >
            Queue
          </a>
          <a
            href={consoleHref({ view: "catalog" })}
            aria-current={view.view === "catalog" || view.view === "model" ? "page" : undefined}
          >
            Catalogue
          </a>
          <a
            href={consoleHref({ view: "carriers" })}
            aria-current={
              view.view === "carriers" || view.view === "carrier" || view.view === "certification"
                ? "page"
                : undefined
            }
          >
            Carriers
          </a>
          <a
            href={consoleHref({ view: "sla" })}
            aria-current={view.view === "sla" ? "page" : undefined}
          >
            SLA
          </a>
          <a
            href={consoleHref({ view: "batches" })}
            aria-current={view.view === "batches" || view.view === "batch" ? "page" : undefined}
          >
            Batches
          </a>
          <a
            href={consoleHref({ view: "batch-health" })}
            aria-current={view.view === "batch-health" ? "page" : undefined}
          >
            Batch health
          </a>
          <a
            href={consoleHref({ view: "register", imei: null })}
            aria-current={view.view === "register" ? "page" : undefined}
          >
            Lost/stolen
          </a>
          {user.role === "admin" && (
            <a
              href={consoleHref({ view: "admin" })}
              aria-current={view.view === "admin" ? "page" : undefined}
            >
              Agents
            </a>
          )}
          {user.role === "admin" && (
            <a
              href={consoleHref({ view: "outbox" })}
              aria-current={view.view === "outbox" ? "page" : undefined}
            >
              Outbox
            </a>
          )}
        </nav>
        <div class="topbar__end">
          <ConnectionIndicator />
          <button
            type="button"
            class="topbar__button"
            aria-keyshortcuts="?"
            onClick={() => setHelpOpen(true)}
          >
            Shortcuts
          </button>
          <span class="topbar__user" dir="auto">
            {user.name}
          </span>
          <button type="button" class="topbar__button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" class="console-main" ref={main} tabIndex={-1}>
        {signOutError !== null && <ErrorMessage error={signOutError} title="Could not sign out" />}
        {view.view === "queue" && (
          <QueuePage
            queue={queue}
            userId={user.id}
            unread={unread}
            selectedId={selectedId}
            onSelect={setSelectedId}
            onOpen={(id) => navigate({ view: "ticket", id })}
            focusSearch={focusSearch}
            onSearchFocused={() => setFocusSearch(false)}
          />
        )}
        {view.view === "ticket" && (
          <TicketPage
            key={view.id}
            id={view.id}
            user={user}
            team={team}
            unread={unread}
            onTicketChanged={queue.apply}
          />
        )}
        {view.view === "admin" && <AdminPage user={user} onTeamChanged={refreshTeam} />}
        {view.view === "sla" && <SlaPolicyPage user={user} />}
        {view.view === "outbox" && <OutboxPage user={user} />}
        {view.view === "catalog" && <CatalogPage user={user} />}
        {view.view === "model" && <ModelPage key={view.id} id={view.id} user={user} />}
        {view.view === "carriers" && <CarriersPage />}
        {view.view === "carrier" && <CarrierPage key={view.id} id={view.id} user={user} />}
        {view.view === "certification" && (
          <CertificationPage key={view.id} id={view.id} user={user} />
        )}
        {view.view === "batches" && <BatchesPage user={user} />}
        {view.view === "batch" && <BatchPage key={view.id} id={view.id} user={user} />}
        {view.view === "batch-health" && <BatchHealthPage />}
        {view.view === "register" && (
          <RegisterPage imei={view.imei} onImei={(imei) => navigate({ view: "register", imei })} />
        )}
      </main>
      <AssignedNotices userId={user.id} />
      <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
