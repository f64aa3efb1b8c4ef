import { NotFoundPage } from "../components/NotFoundPage";
import { PortalHomePage } from "../features/portal/PortalHomePage";
import { PortalTicketPage } from "../features/portal/PortalTicketPage";
import type { Route } from "./routes";

/** The customers' side: `/portal`, `/portal/t/<token>`, and any unknown path. */
export function PortalApp({ route }: { route: Exclude<Route, { page: "console" }> }) {
  switch (route.page) {
    case "portal":
      return <PortalHomePage />;
    case "portal-ticket":
      return <PortalTicketPage token={route.token} />;
    case "not-found":
      return <NotFoundPage />;
  }
}
