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
 * `#/catalog` the device catalogue and `#/catalog/<model id>` a model, `#/carriers` the carriers,
 * `#/carriers/<id>` a carrier's band profile and `#/carriers/<id>/certification` its
 * certification of every variant;
 * `#/batches` the import batches, `#/batches/<id>` one batch, `#/batch-health` the defect rate,
 * `#/register` the lost/stolen register (`#/register/<IMEI>` opens one IMEI).
 */
export type ConsoleView =
  | { view: "queue" }
  | { view: "ticket"; id: string }
  | { view: "admin" }
  | { view: "sla" }
  | { view: "outbox" }
  | { view: "catalog" }
  | { view: "model"; id: string }
  | { view: "carriers" }
  | { view: "carrier"; id: string }
  | { view: "certification"; id: string }
  | { view: "batches" }
  | { view: "batch"; id: string }
  | { view: "batch-health" }
  | { view: "register"; imei: string | null };

const REGISTER_HASH = /^#\/register(?:\/(\d{15}))?$/;

const BATCH_HASH = /^#\/batches\/([A-Za-z0-9-]{1,64})$/;
const TICKET_HASH = /^#\/t\/([A-Za-z0-9-]{1,64})$/;
const MODEL_HASH = /^#\/catalog\/([A-Za-z0-9-]{1,64})$/;
const CARRIER_HASH = /^#\/carriers\/([A-Za-z0-9-]{1,64})(\/certification)?$/;

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
  if (hash === "#/catalog") {
    return { view: "catalog" };
  }
  if (hash === "#/carriers") {
    return { view: "carriers" };
  }
  if (hash === "#/batches") {
    return { view: "batches" };
  }
  if (hash === "#/batch-health") {
    return { view: "batch-health" };
  }
  const batch = BATCH_HASH.exec(hash);
  if (batch !== null) {
    return { view: "batch", id: batch[1] };
  }
  const ticket = TICKET_HASH.exec(hash);
  if (ticket !== null) {
    return { view: "ticket", id: ticket[1] };
  }
  const model = MODEL_HASH.exec(hash);
  if (model !== null) {
    return { view: "model", id: model[1] };
  }
  const carrier = CARRIER_HASH.exec(hash);
  if (carrier !== null) {
    return carrier[2] === undefined
      ? { view: "carrier", id: carrier[1] }
      : { view: "certification", id: carrier[1] };
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
    case "batches":
      return "#/batches";
    case "batch":
      return `#/batches/${encodeURIComponent(view.id)}`;
    case "batch-health":
      return "#/batch-health";
    case "ticket":
      return `#/t/${encodeURIComponent(view.id)}`;
    case "catalog":
      return "#/catalog";
    case "model":
      return `#/catalog/${encodeURIComponent(view.id)}`;
    case "carriers":
      return "#/carriers";
    case "carrier":
      return `#/carriers/${encodeURIComponent(view.id)}`;
    case "certification":
      return `#/carriers/${encodeURIComponent(view.id)}/certification`;
    case "register":
      return view.imei === null ? "#/register" : `#/register/${view.imei}`;
  }
}
