/** The pages of the app; the server serves index.html for each of these paths. */
export type Route =
  | { page: "console" }
  | { page: "portal" }
  | { page: "portal-ticket"; token: string }
  | { page: "not-found" };

const TICKET_PATH = /^\/portal\/t\/([^/]+)$/;

/** Which page a `location.pathname` shows. A trailing slash is ignored. */
export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (path === "/" || path === "") {
    return { page: "console" };
  }
  if (path === "/portal") {
    return { page: "portal" };
  }
  const ticket = TICKET_PATH.exec(path);
  if (ticket !== null) {
    try {
      return { page: "portal-ticket", token: decodeURIComponent(ticket[1]) };
    } catch {
      return { page: "not-found" };
    }
  }
  return { page: "not-found" };
}

/**
 * The console's own views. The server serves the console only at `/`, so the console keeps
 * its place in the hash: `#/` the queue, `#/t/<ticket id>` a ticket, `#/admin` the agents,
 * `#/sla` the SLA policies and round-robin assignment, `#/outbox` the email outbox (admins),
 * `#/register` the lost/stolen register (`#/register/<IMEI>` opens one IMEI).
 */
export type ConsoleView =
  | { view: "queue" }
  | { view: "ticket"; id: string }
  | { view: "admin" }
  | { view: "sla" }
  | { view: "outbox" }
  | { view: "register"; imei: string | null };

const REGISTER_HASH = /^#\/register(?:\/(\d{15}))?$/;

const TICKET_HASH = /^#\/t\/([A-Za-z0-9-]{1,64})$/;

/** Which console view a `location.hash` shows; anything unknown is the queue. */
export function matchConsoleView(hash: string): ConsoleView {
  if (hash === "#/admin") {
    return { view: "admin" };
  }
  if (hash === "#/sla") {
    return { view: "sla" };
  }
  if (hash === "#/outbox") {
    return { view: "outbox" };
  }
  const ticket = TICKET_HASH.exec(hash);
  if (ticket !== null) {
    return { view: "ticket", id: ticket[1] };
  }
  const register = REGISTER_HASH.exec(hash);
  if (register !== null) {
    return { view: "register", imei: register[1] ?? null };
  }
  return { view: "queue" };
}

/** The hash of a console view, for links and `location.hash`. */
export function consoleHref(view: ConsoleView): string {
  switch (view.view) {
    case "queue":
      return "#/";
    case "admin":
      return "#/admin";
    case "sla":
      return "#/sla";
    case "outbox":
      return "#/outbox";
    case "ticket":
      return `#/t/${encodeURIComponent(view.id)}`;
    case "register":
      return view.imei === null ? "#/register" : `#/register/${view.imei}`;
  }
}
