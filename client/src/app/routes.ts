/** The pages of the app; the server serves index.html for each of these paths. */
export type Route =
  | { page: "sign-in" }
  | { page: "portal" }
  | { page: "portal-ticket"; token: string }
  | { page: "not-found" };

const TICKET_PATH = /^\/portal\/t\/([^/]+)$/;

/** Which page a `location.pathname` shows. A trailing slash is ignored. */
export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (path === "/" || path === "") {
    return { page: "sign-in" };
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
