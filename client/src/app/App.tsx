import { SignInPage } from "../features/auth/SignInPage";
import { PortalHomePage } from "../features/portal/PortalHomePage";
import { PortalTicketPage } from "../features/portal/PortalTicketPage";
import { NotFoundPage } from "../components/NotFoundPage";
import { matchRoute } from "./routes";

/** The whole app: one page per path, chosen once per page load. */
export function App({ pathname }: { pathname: string }) {
  const route = matchRoute(pathname);
  switch (route.page) {
    case "sign-in":
      return <SignInPage />;
    case "portal":
      return <PortalHomePage />;
    case "portal-ticket":
      return <PortalTicketPage token={route.token} />;
    case "not-found":
      return <NotFoundPage />;
  }
}
