import { render } from "preact";
import { matchRoute } from "./app/routes";
import "./styles.css";

// One small entry that picks the page, then loads only that page's code: customers on phones
// never download the agent console (or socket.io-client), and agents never the portal.
const root = document.getElementById("app");
if (root === null) {
  throw new Error("index.html has no #app element");
}
const mount = root;

function loadFailed(): void {
  const message = document.createElement("p");
  message.className = "page alert alert--error";
  message.setAttribute("role", "alert");
  message.textContent = "Greydesk could not load. Check your connection and reload the page.";
  mount.replaceChildren(message);
}

const route = matchRoute(window.location.pathname);
if (route.page === "console") {
  import("./app/ConsoleApp").then(({ ConsoleApp }) => render(<ConsoleApp />, mount), loadFailed);
} else {
  import("./app/PortalApp").then(
    ({ PortalApp }) => render(<PortalApp route={route} />, mount),
    loadFailed,
  );
}
