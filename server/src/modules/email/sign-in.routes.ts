import type { Express, RequestHandler } from "express";
import express from "express";
import {
  SignInLinkAccepted,
  SignInLinkRequest,
  SignInRedeemResponse,
  SignInTokenParams,
} from "../../../../shared/contracts/http/email";
import type { ApiRouter } from "../../http/api-router";
import { AppError } from "../../errors/app-error";
import { escapeHtml } from "./render";
import type { CustomerTicketItem, SignInService } from "./sign-in.service";

export interface SignInLimits {
  /** Asking for links: per IP and per address (each one mails the customer). */
  request: RequestHandler[];
  /** Using a link: wrong tokens counted like wrong ticket links. */
  redeem: RequestHandler[];
}

/** `POST /api/portal/sign-in-link` and `POST /api/portal/sign-in/:token`. */
export function registerSignInRoutes(
  api: ApiRouter,
  signIn: SignInService,
  limits: SignInLimits,
): void {
  api.add({
    method: "post",
    path: "/portal/sign-in-link",
    status: 202,
    summary:
      "Email a customer a one-time link to their tickets (202 whether or not the address is known)",
    access: "public",
    before: limits.request,
    body: SignInLinkRequest,
    response: SignInLinkAccepted,
    handler: async ({ body }) => {
      await signIn.request(body.email);
      return { accepted: true as const };
    },
  });
  api.add({
    method: "post",
    path: "/portal/sign-in/:token",
    summary: "Use an emailed sign-in link (once, within 15 minutes): the customer's tickets",
    access: "public",
    notFound: "Sign-in link",
    before: limits.redeem,
    params: SignInTokenParams,
    response: SignInRedeemResponse,
    handler: async ({ params }) => ({ tickets: await signIn.redeem(params.token) }),
  });
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title></head>` +
  `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

function ticketList(tickets: CustomerTicketItem[]): string {
  if (tickets.length === 0) {
    return "<p>You have no tickets with us.</p>";
  }
  const items = tickets
    .map((ticket) => {
      const label = `${ticket.number}: ${ticket.subject} (${ticket.status.replace(/_/g, " ")})`;
      return ticket.url === null
        ? `<li>${escapeHtml(label)}</li>`
        : `<li><a href="${escapeHtml(ticket.url)}">${escapeHtml(label)}</a></li>`;
    })
    .join("");
  return `<ul>${items}</ul>`;
}

/**
 * The page the emailed link opens. It only shows a button: mail scanners that fetch every link
 * must not use up the one-time token; the button's POST does (no script, so the strict CSP holds).
 */
export function registerSignInPage(
  app: Express,
  signIn: SignInService,
  redeem: RequestHandler[],
): void {
  app.get("/portal/sign-in/:token", (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const token = SignInTokenParams.safeParse(req.params);
    if (!token.success) {
      res.status(404).type("html").send(page("Link not valid", "<p>This link is not valid.</p>"));
      return;
    }
    res
      .type("html")
      .send(
        page(
          "Your support tickets",
          `<form method="post"><button type="submit">Show my tickets</button></form>`,
        ),
      );
  });
  app.post(
    "/portal/sign-in/:token",
    ...redeem,
    express.urlencoded({ extended: false, limit: 1024 }),
    async (req, res) => {
      res.setHeader("Cache-Control", "no-store");
      const token = SignInTokenParams.safeParse(req.params);
      try {
        if (!token.success) {
          throw new AppError("not_found", "Sign-in link not found");
        }
        const tickets = await signIn.redeem(token.data.token);
        res.type("html").send(page("Your support tickets", ticketList(tickets)));
      } catch (error) {
        if (!(error instanceof AppError)) {
          throw error;
        }
        res
          .status(404)
          .type("html")
          .send(
            page(
              "Link used or expired",
              "<p>This link was used already or is more than 15 minutes old. Ask for a new one on the portal.</p>",
            ),
          );
      }
    },
  );
}
