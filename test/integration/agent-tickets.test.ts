import { randomUUID } from "node:crypto";
import { expect } from "chai";
import request from "supertest";
import { Agent } from "../../server/src/modules/agents/agent.entity";
import { Customer } from "../../server/src/modules/customers/customer.entity";
import { Handset } from "../../server/src/modules/handsets/handset.entity";
import { HandsetIdentifier } from "../../server/src/modules/handsets/handset-identifier.entity";
import { hashLinkToken } from "../../server/src/modules/tickets/link-tokens";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { canTransition } from "../../shared/domain/status";
import type { TicketStatus } from "../../shared/domain/enums";
import { TicketEvent } from "../../server/src/modules/tickets/ticket-event.entity";
import { listTicketIds } from "../../server/src/modules/tickets/ticket-list.repository";
import { TICKET_SORTS } from "../../shared/contracts/http/agent-tickets";
import type { TicketSort } from "../../shared/contracts/http/agent-tickets";
import { buildAgent, signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildEmail, buildImei, buildPortalTicket, tokenOf } from "../support/factories";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

type Body = Record<string, unknown>;

/** A valid `POST /api/tickets` body: a caller on the phone, with a handset. */
function agentTicketBody(overrides: Body = {}): Body {
  return {
    customer: { email: buildEmail(), name: "Mo Caller", phone: "+1 555 010 9999" },
    imei: buildImei(),
    category: "network",
    subject: "No LTE on T-Mobile",
    description: "Caller says the phone only ever shows 3G.",
    ...overrides,
  };
}

/** The error of a response without its per-request id, to compare two error bodies. */
function errorOf(res: request.Response): Body {
  const error = { ...(res.body.error as Body) };
  delete error.requestId;
  return error;
}

function pathsOf(res: request.Response): string[] {
  return ((res.body.error?.details ?? []) as { path: string }[]).map((detail) => detail.path);
}

function messagesOf(res: request.Response): string {
  return ((res.body.error?.details ?? []) as { message: string }[])
    .map((d) => d.message)
    .join(" | ");
}

/** Whether the error names `path` itself or a part of it (`query.status.1` names `query.status`). */
function names(res: request.Response, path: string): boolean {
  return pathsOf(res).some((p) => p === path || p.startsWith(`${path}.`));
}

const numberOf = (label: string): number => Number(label.slice(3));

/** Ids that name no ticket: well-formed but unknown, and malformed in several ways. */
const MISSING_IDS: [string, string][] = [
  ["an unknown uuid", "0b0d3a0e-9d3c-4c71-8a8e-2c9f6f3e4a11"],
  ["a sequential number", "1"],
  ["an SQL payload", "' OR 1=1--"],
  ["a NUL byte", "\u0000"],
  ["a uuid with a trailing quote", "0b0d3a0e-9d3c-4c71-8a8e-2c9f6f3e4a11'"],
];

const NOT_FOUND = { code: "not_found", message: "Ticket not found" };
const UNAUTHENTICATED = { code: "authentication_required", message: "Sign in first" };

describe("agent tickets API", () => {
  let t: TestServer;
  let agent: SignedIn;
  let other: SignedIn;

  before(async () => {
    t = await startTestServer();
    agent = await signedInAs(t, "agent", "Riley Agent");
    other = await signedInAs(t, "agent", "Sam Second");
  });
  after(async () => {
    await t.stop();
  });

  const em = () => t.server.db.dataSource.manager;

  /** The ticket row as stored, with its secret-hash column too. */
  async function row(id: string): Promise<Ticket> {
    return em()
      .getRepository(Ticket)
      .createQueryBuilder("t")
      .addSelect("t.accessTokenHash")
      .where("t.id = :id", { id })
      .getOneOrFail();
  }

  async function eventsOf(id: string): Promise<TicketEvent[]> {
    return em()
      .getRepository(TicketEvent)
      .find({ where: { ticketId: id }, order: { seq: "ASC" } });
  }

  async function openPortal(overrides: Parameters<typeof buildPortalTicket>[0] = {}) {
    const body = buildPortalTicket(overrides);
    const res = await request(t.url).post("/api/portal/tickets").send(body).expect(201);
    const number = res.body.ticket.number as string;
    const ticket = await em()
      .getRepository(Ticket)
      .findOneByOrFail({ number: numberOf(number) });
    return { body, id: ticket.id, number, token: tokenOf(res.body.accessUrl as string) };
  }

  async function openByAgent(overrides: Body = {}, client: SignedIn = agent) {
    const body = agentTicketBody(overrides);
    const res = await client.post("/api/tickets", body).expect(201);
    return {
      body,
      res,
      id: res.body.ticket.id as string,
      number: res.body.ticket.number as string,
      token: tokenOf(res.body.accessUrl as string),
    };
  }

  async function portalView(token: string) {
    return request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
  }

  describe("every ticket route", () => {
    it("answers an unauthenticated client with 401 and no data, and changes nothing", async () => {
      const { id, body } = await openByAgent();
      const before = await row(id);
      const ticketsBefore = await em().getRepository(Ticket).count();
      const anon = request(t.url);
      const answers: [string, request.Response][] = [
        ["list", await anon.get("/api/tickets")],
        ["search", await anon.get("/api/tickets").query({ q: body.subject as string })],
        ["create", await anon.post("/api/tickets").send(agentTicketBody())],
        ["detail", await anon.get(`/api/tickets/${id}`)],
        ["update", await anon.patch(`/api/tickets/${id}`).send({ status: "closed" })],
        ["reply", await anon.post(`/api/tickets/${id}/messages`).send({ body: "hello" })],
      ];
      for (const [route, res] of answers) {
        expect(res.status, route).to.equal(401);
        expect(errorOf(res)).to.deep.equal(UNAUTHENTICATED);
        expect(JSON.stringify(res.body)).to.not.include(body.subject);
      }
      expect(await row(id)).to.deep.equal(before);
      expect(await em().getRepository(Ticket).count()).to.equal(ticketsBefore);
    });

    it("answers unknown and malformed ids alike with the same 404, signed in", async () => {
      const { id } = await openByAgent();
      const seqBefore = (await row(id)).lastEventSeq;
      for (const [what, missing] of MISSING_IDS) {
        const path = `/api/tickets/${encodeURIComponent(missing)}`;
        const answers: [string, request.Response][] = [
          ["GET", await agent.get(path)],
          ["PATCH", await agent.patch(path, { priority: "high" })],
          ["POST messages", await agent.post(`${path}/messages`, { body: "hello" })],
        ];
        for (const [route, res] of answers) {
          expect(res.status, `${what}: ${route}`).to.equal(404);
          expect(errorOf(res), what).to.deep.equal(NOT_FOUND);
        }
      }
      expect((await row(id)).lastEventSeq).to.equal(seqBefore);
    });
  });

  describe("GET /api/tickets", () => {
    it("requires a session (401)", async () => {
      const res = await request(t.url).get("/api/tickets").expect(401);
      expect(errorOf(res)).to.deep.equal(UNAUTHENTICATED);
    });

    it("lists tickets as the queue shows them, with a masked IMEI", async () => {
      const { id, body, number } = await openByAgent({ priority: "high" });
      const res = await agent.get("/api/tickets").query({ q: number }).expect(200);
      expect(res.body.items).to.have.length(1);
      const item = (res.body.items as Body[]).find((x) => x.id === id);
      expect(item).to.not.equal(undefined);
      expect(item).to.include({
        subject: body.subject,
        priority: "high",
        status: "new",
        channel: "agent",
      });
      const imei = body.imei as string;
      expect((item!.handset as Body).imeiMasked).to.equal(
        `${imei.slice(0, 8)}******${imei.slice(-2)}`,
      );
      expect(JSON.stringify(res.body)).to.not.include(imei);
    });
  });

  describe("POST /api/tickets (on a customer's behalf)", () => {
    it("requires a session (401) and writes nothing", async () => {
      const before = await em().getRepository(Ticket).count();
      const res = await request(t.url).post("/api/tickets").send(agentTicketBody()).expect(401);
      expect(errorOf(res)).to.deep.equal(UNAUTHENTICATED);
      expect(await em().getRepository(Ticket).count()).to.equal(before);
    });

    it("requires the CSRF token (403 csrf_failed) and writes nothing", async () => {
      const before = await em().getRepository(Ticket).count();
      const body = agentTicketBody();
      const res = await agent.http.post("/api/tickets").send(body).expect(403);
      expect(res.body.error.code).to.equal("csrf_failed");
      const wrong = await agent.http
        .post("/api/tickets")
        .set("X-CSRF-Token", "forged")
        .send(body)
        .expect(403);
      expect(wrong.body.error.code).to.equal("csrf_failed");
      expect(await em().getRepository(Ticket).count()).to.equal(before);
      const customer = await em()
        .getRepository(Customer)
        .findOneBy({ email: (body.customer as Body).email as string });
      expect(customer).to.equal(null);
    });

    it("creates the customer, the handset, the ticket and a `created` event by the agent", async () => {
      const email = buildEmail();
      const imei = buildImei();
      const dashed = `${imei.slice(0, 2)}-${imei.slice(2, 8)}-${imei.slice(8, 14)}-${imei.slice(14)}`;
      const { res, id, body } = await openByAgent({
        customer: { email: email.toUpperCase(), name: "Ada Walk-in", phone: "+44 20 7946 0000" },
        imei: dashed,
        brand: "Xiaomi",
        priority: "urgent",
        category: "doa",
        assigneeId: other.agent.id,
      });
      expect(res.body.ticket).to.include({
        subject: body.subject,
        category: "doa",
        priority: "urgent",
        status: "new",
        channel: "agent",
      });
      expect(res.body.ticket.number).to.match(/^GD-\d{4,}$/);
      expect(res.body.ticket.assignee).to.deep.equal({
        id: other.agent.id,
        name: other.agent.name,
      });
      expect(res.body.ticket.customer).to.include({ email, name: "Ada Walk-in" });
      expect(res.body.accessUrl).to.match(/\/portal\/t\/[A-Za-z0-9_-]{43}$/);

      const ticket = await row(id);
      expect(ticket).to.include({
        status: "new",
        priority: "urgent",
        category: "doa",
        channel: "agent",
        assigneeId: other.agent.id,
        lastEventSeq: 1,
        resolvedAt: null,
      });
      expect(ticket.accessTokenHash).to.equal(hashLinkToken(tokenOf(res.body.accessUrl as string)));

      const customer = await em()
        .getRepository(Customer)
        .findOneByOrFail({ id: ticket.customerId });
      expect(customer).to.include({ email, name: "Ada Walk-in", phone: "+44 20 7946 0000" });

      const identifier = await em()
        .getRepository(HandsetIdentifier)
        .findOneByOrFail({ kind: "imei", value: imei });
      expect(identifier).to.include({ handsetId: ticket.handsetId, slot: 1, source: "agent" });
      const handset = await em().getRepository(Handset).findOneByOrFail({ id: ticket.handsetId! });
      expect(handset).to.include({
        customerId: customer.id,
        brand: "Xiaomi",
        warrantySource: "carrier",
      });

      const events = await eventsOf(id);
      expect(events).to.have.length(1);
      expect(events[0]).to.include({
        seq: 1,
        type: "created",
        public: true,
        actorType: "agent",
        actorId: agent.agent.id,
        actorName: agent.agent.name,
        body: body.description,
      });
    });

    it("returns a link whose token opens the customer's portal view", async () => {
      const { res, body, token } = await openByAgent();
      const view = await portalView(token);
      expect(view.body.ticket).to.include({
        number: res.body.ticket.number,
        subject: body.subject,
        status: "new",
      });
      expect(view.body.messages).to.have.length(1);
      expect(view.body.messages[0]).to.include({
        from: "agent",
        authorName: agent.agent.name,
        body: body.description,
      });
    });

    it("opens a ticket without a handset when no IMEI is given", async () => {
      const handsets = await em().getRepository(Handset).count();
      const { res, id } = await openByAgent({ imei: undefined });
      expect(res.body.ticket.handset).to.equal(null);
      expect(res.body.ticket.warranty).to.equal(null);
      expect((await row(id)).handsetId).to.equal(null);
      expect(await em().getRepository(Handset).count()).to.equal(handsets);
      const detail = await agent.get(`/api/tickets/${id}`).expect(200);
      expect(detail.body.handset).to.equal(null);
    });

    it("reuses a returning customer (by email) and a known handset (by IMEI)", async () => {
      const first = await openPortal();
      const { id } = await openByAgent({
        customer: { email: first.body.email, name: "Another Name" },
        imei: first.body.imei,
      });
      const ticket = await row(id);
      const firstRow = await row(first.id);
      expect(ticket.customerId).to.equal(firstRow.customerId);
      expect(ticket.handsetId).to.equal(firstRow.handsetId);
      expect(await em().getRepository(Customer).countBy({ email: first.body.email })).to.equal(1);
    });

    for (const [what, assigneeId] of [
      ["an unknown agent", randomUUID()],
      ["a malformed id", "me"],
    ] as const) {
      it(`refuses ${what} as assignee with 400 naming assigneeId, and writes nothing`, async () => {
        const body = agentTicketBody({ assigneeId });
        const tickets = await em().getRepository(Ticket).count();
        const res = await agent.post("/api/tickets", body).expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.deep.equal(["assigneeId"]);
        expect(await em().getRepository(Ticket).count()).to.equal(tickets);
        const email = (body.customer as Body).email as string;
        expect(await em().getRepository(Customer).findOneBy({ email })).to.equal(null);
      });
    }

    it("refuses a disabled agent as assignee with 400 naming assigneeId", async () => {
      const gone = await buildAgent(t, "agent", "Gone Agent");
      await em().getRepository(Agent).update({ id: gone.id }, { disabled: true });
      const tickets = await em().getRepository(Ticket).count();
      const res = await agent
        .post("/api/tickets", agentTicketBody({ assigneeId: gone.id }))
        .expect(400);
      expect(pathsOf(res)).to.deep.equal(["assigneeId"]);
      expect(await em().getRepository(Ticket).count()).to.equal(tickets);
    });

    const invalid: [string, Body, string][] = [
      ["no customer", { customer: undefined }, "customer"],
      ["a bad customer email", { customer: { email: "nope", name: "X" } }, "customer.email"],
      ["a customer without a name", { customer: { email: buildEmail() } }, "customer.name"],
      [
        "a name with CR/LF",
        { customer: { email: buildEmail(), name: "A\r\nBcc: x@y.z" } },
        "customer.name",
      ],
      ["a bad IMEI", { imei: "490154203237517" }, "imei"],
      ["an IMEI as an object", { imei: { $ne: null } }, "imei"],
      ["an unknown category", { category: "refund_me" }, "category"],
      ["an unknown priority", { priority: "critical" }, "priority"],
      ["no subject", { subject: undefined }, "subject"],
      ["a subject over 200 characters", { subject: "s".repeat(201) }, "subject"],
      ["a description with a NUL byte", { description: "a\u0000b" }, "description"],
      ["an array as assigneeId", { assigneeId: [randomUUID()] }, "assigneeId"],
    ];
    for (const [what, patch, field] of invalid) {
      it(`refuses ${what} with 400 naming "${field}"`, async () => {
        const tickets = await em().getRepository(Ticket).count();
        const res = await agent.post("/api/tickets", agentTicketBody(patch)).expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.include(field);
        expect(await em().getRepository(Ticket).count()).to.equal(tickets);
      });
    }

    for (const field of [
      "status",
      "channel",
      "number",
      "id",
      "createdAt",
      "customerId",
      "accessTokenHash",
    ]) {
      it(`refuses the server-owned field "${field}" with 400 and writes nothing`, async () => {
        const tickets = await em().getRepository(Ticket).count();
        const res = await agent
          .post("/api/tickets", { ...agentTicketBody(), [field]: "closed" })
          .expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.include(field);
        expect(await em().getRepository(Ticket).count()).to.equal(tickets);
      });
    }

    it("refuses an unknown field inside customer (e.g. an id) with 400", async () => {
      const res = await agent
        .post(
          "/api/tickets",
          agentTicketBody({ customer: { email: buildEmail(), name: "X", id: randomUUID() } }),
        )
        .expect(400);
      expect(pathsOf(res)).to.include("customer.id");
    });
  });

  describe("GET /api/tickets/:id", () => {
    it("requires a session (401)", async () => {
      const { id } = await openByAgent();
      const res = await request(t.url).get(`/api/tickets/${id}`).expect(401);
      expect(errorOf(res)).to.deep.equal(UNAUTHENTICATED);
    });

    for (const [what, missing] of MISSING_IDS) {
      it(`answers ${what} with the same 404`, async () => {
        const res = await agent.get(`/api/tickets/${encodeURIComponent(missing)}`).expect(404);
        expect(errorOf(res)).to.deep.equal(NOT_FOUND);
      });
    }

    it("shows the ticket, its customer, its handset with all identifiers and the history", async () => {
      const { id, body } = await openPortal({ brand: "Xiaomi", model: "Redmi Note 3" });
      const res = await agent.get(`/api/tickets/${id}`).expect(200);
      expect(res.body.ticket).to.include({
        id,
        subject: body.subject,
        status: "new",
        channel: "portal",
      });
      expect(res.body.customer).to.include({
        name: body.name,
        email: body.email,
        phone: body.phone,
      });
      expect(res.body.handset).to.include({
        brand: "Xiaomi",
        model: "Redmi Note 3",
        warrantySource: "carrier",
      });
      expect(res.body.handset.identifiers).to.deep.equal([
        { kind: "imei", value: body.imei, slot: 1, source: "customer", softwareVersion: null },
      ]);
      expect(res.body.handset.warranty).to.include({ status: "pending", reason: "dates_unknown" });
      expect(res.body.events).to.have.length(1);
      expect(res.body.events[0]).to.include({
        seq: 1,
        type: "created",
        public: true,
        body: body.description,
      });
      expect(res.body.events[0].actor).to.include({ type: "customer", name: body.name });
    });

    it("tells the whole history in order, like a story", async () => {
      const { id, token, body } = await openPortal();
      await agent
        .patch(`/api/tickets/${id}`, { priority: "high", assigneeId: agent.agent.id })
        .expect(200);
      await agent
        .post(`/api/tickets/${id}/messages`, { body: "Customer sounds upset", internal: true })
        .expect(201);
      await agent
        .post(`/api/tickets/${id}/messages`, { body: "Which band does it show?" })
        .expect(201);
      await request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .send({ body: "Only H+" })
        .expect(201);
      await other.patch(`/api/tickets/${id}`, { status: "resolved" }).expect(200);
      await agent.patch(`/api/tickets/${id}`, { status: "open" }).expect(200);
      await agent.patch(`/api/tickets/${id}`, { status: "closed" }).expect(200);

      const res = await agent.get(`/api/tickets/${id}`).expect(200);
      const story = (res.body.events as Body[]).map((e) => [
        e.seq,
        e.type,
        e.public,
        (e.actor as Body).name,
        e.body,
        e.changes,
      ]);
      const me = agent.agent.name;
      expect(story).to.deep.equal([
        [1, "created", true, body.name, body.description, null],
        [
          2,
          "priority_changed",
          false,
          me,
          null,
          [{ field: "priority", from: "normal", to: "high" }],
        ],
        [
          3,
          "assignee_changed",
          false,
          me,
          null,
          [{ field: "assigneeId", from: null, to: agent.agent.id }],
        ],
        [4, "note", false, me, "Customer sounds upset", null],
        [5, "message", true, me, "Which band does it show?", null],
        [6, "status_changed", true, me, null, [{ field: "status", from: "new", to: "open" }]],
        [7, "message", true, body.name, "Only H+", null],
        [
          8,
          "status_changed",
          true,
          other.agent.name,
          null,
          [{ field: "status", from: "open", to: "resolved" }],
        ],
        [9, "status_changed", true, me, null, [{ field: "status", from: "resolved", to: "open" }]],
        [10, "status_changed", true, me, null, [{ field: "status", from: "open", to: "closed" }]],
      ]);
      const stored = await eventsOf(id);
      expect(stored.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await row(id)).lastEventSeq).to.equal(10);
    });
  });

  describe("PATCH /api/tickets/:id", () => {
    it("requires a session (401) and changes nothing", async () => {
      const { id } = await openByAgent();
      const before = await row(id);
      const res = await request(t.url)
        .patch(`/api/tickets/${id}`)
        .send({ status: "closed" })
        .expect(401);
      expect(errorOf(res)).to.deep.equal(UNAUTHENTICATED);
      expect(await row(id)).to.deep.equal(before);
    });

    it("requires the CSRF token (403 csrf_failed) and changes nothing", async () => {
      const { id } = await openByAgent();
      const before = await row(id);
      const res = await agent.http
        .patch(`/api/tickets/${id}`)
        .send({ status: "closed" })
        .expect(403);
      expect(res.body.error.code).to.equal("csrf_failed");
      expect(await row(id)).to.deep.equal(before);
    });

    for (const [what, missing] of MISSING_IDS) {
      it(`answers ${what} with the same 404`, async () => {
        const res = await agent
          .patch(`/api/tickets/${encodeURIComponent(missing)}`, { status: "open" })
          .expect(404);
        expect(errorOf(res)).to.deep.equal(NOT_FOUND);
      });
    }

    it("walks the allowed transitions, one audited public event each", async () => {
      const { id } = await openByAgent();
      const path: string[] = [
        "open",
        "pending_customer",
        "pending_internal",
        "pending_distributor",
        "open",
        "resolved",
        "open",
        "closed",
      ];
      let from = "new";
      for (const to of path) {
        const seq = (await row(id)).lastEventSeq;
        const res = await agent.patch(`/api/tickets/${id}`, { status: to }).expect(200);
        expect(res.body.ticket).to.include({ id, status: to });
        const stored = await row(id);
        expect(stored.status).to.equal(to);
        expect(stored.lastEventSeq).to.equal(seq + 1);
        const [event] = (await eventsOf(id)).slice(-1);
        expect(event).to.include({
          seq: seq + 1,
          type: "status_changed",
          public: true,
          actorType: "agent",
          actorId: agent.agent.id,
          actorName: agent.agent.name,
        });
        expect(event.changes).to.deep.equal([{ field: "status", from, to }]);
        from = to;
      }
    });

    it("allows closing a new ticket and resolving it straight away", async () => {
      const a = await openByAgent();
      await agent.patch(`/api/tickets/${a.id}`, { status: "closed" }).expect(200);
      expect((await row(a.id)).status).to.equal("closed");
      const b = await openByAgent();
      await agent.patch(`/api/tickets/${b.id}`, { status: "resolved" }).expect(200);
      expect((await row(b.id)).status).to.equal("resolved");
    });

    const illegal: [string, string[], string, string[]][] = [
      ["closed -> open", ["closed"], "open", []],
      ["closed -> new", ["closed"], "new", []],
      [
        "open -> new",
        ["open"],
        "new",
        ["pending_customer", "pending_internal", "pending_distributor", "resolved", "closed"],
      ],
      ["resolved -> pending_customer", ["resolved"], "pending_customer", ["open", "closed"]],
      ["resolved -> new", ["resolved"], "new", ["open", "closed"]],
      [
        "pending_customer -> new",
        ["open", "pending_customer"],
        "new",
        ["open", "pending_internal", "pending_distributor", "resolved", "closed"],
      ],
    ];
    for (const [what, setup, to, allowed] of illegal) {
      it(`refuses ${what} with 409 conflict naming status and the allowed next states`, async () => {
        const { id } = await openByAgent();
        for (const status of setup) {
          await agent.patch(`/api/tickets/${id}`, { status }).expect(200);
        }
        const before = await row(id);
        const res = await agent
          .patch(`/api/tickets/${id}`, { status: to, priority: "urgent" })
          .expect(409);
        expect(res.body.error.code).to.equal("conflict");
        expect(res.body.error.details).to.have.length(1);
        expect(res.body.error.details[0].path).to.equal("status");
        const message = res.body.error.details[0].message as string;
        if (allowed.length === 0) {
          expect(message).to.match(/none/);
        }
        const named = message.replace(/^allowed next: /, "").split(", ");
        expect(named).to.deep.equal(allowed.length === 0 ? ["none"] : allowed);
        // Nothing else in the request was applied either.
        expect(await row(id)).to.deep.equal(before);
      });
    }

    it("writes one event per changed field: status public, the others internal", async () => {
      const { id } = await openByAgent({ category: "network", priority: "normal" });
      const res = await agent
        .patch(`/api/tickets/${id}`, {
          status: "open",
          priority: "urgent",
          category: "billing",
          assigneeId: other.agent.id,
        })
        .expect(200);
      expect(res.body.ticket).to.include({
        status: "open",
        priority: "urgent",
        category: "billing",
      });
      expect(res.body.ticket.assignee).to.deep.equal({
        id: other.agent.id,
        name: other.agent.name,
      });
      expect(await row(id)).to.include({
        status: "open",
        priority: "urgent",
        category: "billing",
        assigneeId: other.agent.id,
        lastEventSeq: 5,
      });
      const events = (await eventsOf(id)).slice(1);
      expect(
        events.map((e) => [e.seq, e.type, e.public, e.actorType, e.actorId, e.actorName]),
      ).to.deep.equal([
        [2, "status_changed", true, "agent", agent.agent.id, agent.agent.name],
        [3, "priority_changed", false, "agent", agent.agent.id, agent.agent.name],
        [4, "category_changed", false, "agent", agent.agent.id, agent.agent.name],
        [5, "assignee_changed", false, "agent", agent.agent.id, agent.agent.name],
      ]);
      expect(events.map((e) => e.changes)).to.deep.equal([
        [{ field: "status", from: "new", to: "open" }],
        [{ field: "priority", from: "normal", to: "urgent" }],
        [{ field: "category", from: "network", to: "billing" }],
        [{ field: "assigneeId", from: null, to: other.agent.id }],
      ]);
    });

    it("writes an event only for the fields that really change", async () => {
      const { id } = await openByAgent({ priority: "high", category: "doa" });
      await agent
        .patch(`/api/tickets/${id}`, { priority: "high", category: "billing" })
        .expect(200);
      const events = await eventsOf(id);
      expect(events.map((e) => e.type)).to.deep.equal(["created", "category_changed"]);
    });

    it("writes no event and leaves the row alone for a no-op PATCH", async () => {
      const { id } = await openByAgent({ priority: "low" });
      const before = await row(id);
      const res = await agent
        .patch(`/api/tickets/${id}`, {
          status: "new",
          priority: "low",
          category: "network",
          assigneeId: null,
        })
        .expect(200);
      expect(res.body.ticket).to.include({ id, status: "new", priority: "low" });
      expect(await row(id)).to.deep.equal(before);
      expect(await eventsOf(id)).to.have.length(1);
    });

    it("sets resolvedAt on resolve and clears it on reopen", async () => {
      const { id } = await openByAgent();
      expect((await row(id)).resolvedAt).to.equal(null);
      const before = Date.now();
      await agent.patch(`/api/tickets/${id}`, { status: "resolved" }).expect(200);
      const resolved = await row(id);
      expect(resolved.resolvedAt).to.be.instanceOf(Date);
      expect(resolved.resolvedAt!.getTime()).to.be.within(before - 1000, Date.now() + 1000);
      await agent.patch(`/api/tickets/${id}`, { status: "open" }).expect(200);
      expect((await row(id)).resolvedAt).to.equal(null);
      // Closing a resolved ticket keeps when it was resolved.
      await agent.patch(`/api/tickets/${id}`, { status: "resolved" }).expect(200);
      const again = (await row(id)).resolvedAt;
      expect(again).to.be.instanceOf(Date);
      await agent.patch(`/api/tickets/${id}`, { status: "closed" }).expect(200);
      expect((await row(id)).resolvedAt).to.deep.equal(again);
    });

    it("assigns, reassigns and unassigns with null, each audited", async () => {
      const { id } = await openByAgent();
      await agent.patch(`/api/tickets/${id}`, { assigneeId: agent.agent.id }).expect(200);
      expect((await row(id)).assigneeId).to.equal(agent.agent.id);
      await agent.patch(`/api/tickets/${id}`, { assigneeId: other.agent.id }).expect(200);
      expect((await row(id)).assigneeId).to.equal(other.agent.id);
      const res = await agent.patch(`/api/tickets/${id}`, { assigneeId: null }).expect(200);
      expect(res.body.ticket.assignee).to.equal(null);
      expect((await row(id)).assigneeId).to.equal(null);
      const changes = (await eventsOf(id)).slice(1).map((e) => [e.type, e.changes]);
      expect(changes).to.deep.equal([
        ["assignee_changed", [{ field: "assigneeId", from: null, to: agent.agent.id }]],
        ["assignee_changed", [{ field: "assigneeId", from: agent.agent.id, to: other.agent.id }]],
        ["assignee_changed", [{ field: "assigneeId", from: other.agent.id, to: null }]],
      ]);
    });

    it("refuses an unknown or disabled agent as assignee with 400 naming assigneeId", async () => {
      const { id } = await openByAgent();
      const gone = await buildAgent(t, "agent", "Disabled Dee");
      await em().getRepository(Agent).update({ id: gone.id }, { disabled: true });
      const before = await row(id);
      for (const assigneeId of [randomUUID(), gone.id]) {
        const res = await agent
          .patch(`/api/tickets/${id}`, { assigneeId, priority: "urgent" })
          .expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.deep.equal(["assigneeId"]);
      }
      expect(await row(id)).to.deep.equal(before);
      expect(await eventsOf(id)).to.have.length(1);
    });

    for (const field of ["id", "number", "createdAt", "customerId", "subject", "accessTokenHash"]) {
      it(`refuses mass assignment of "${field}" with 400 and leaves the row unchanged`, async () => {
        const { id } = await openByAgent();
        const before = await row(id);
        const value =
          field === "number"
            ? 1
            : field === "createdAt"
              ? "2000-01-01T00:00:00.000Z"
              : randomUUID();
        const res = await agent
          .patch(`/api/tickets/${id}`, { [field]: value, priority: "urgent" })
          .expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.include(field);
        expect(await row(id)).to.deep.equal(before);
        expect(await eventsOf(id)).to.have.length(1);
      });
    }

    const invalid: [string, unknown, string][] = [
      ["an unknown status", { status: "reopened" }, "status"],
      ["an operator object as status", { status: { $ne: null } }, "status"],
      ["an unknown priority", { priority: "critical" }, "priority"],
      ["an unknown category", { category: "refund" }, "category"],
      ["a non-uuid assigneeId", { assigneeId: "me" }, "assigneeId"],
      ["an object as assigneeId", { assigneeId: { $ne: null } }, "assigneeId"],
    ];
    for (const [what, body, field] of invalid) {
      it(`refuses ${what} with 400 naming "${field}"`, async () => {
        const { id } = await openByAgent();
        const before = await row(id);
        const res = await agent.patch(`/api/tickets/${id}`, body as Body).expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.include(field);
        expect(await row(id)).to.deep.equal(before);
      });
    }

    it("refuses an empty body, and a JSON array, with 400", async () => {
      const { id } = await openByAgent();
      const before = await row(id);
      const empty = await agent.patch(`/api/tickets/${id}`, {}).expect(400);
      expect(empty.body.error.code).to.equal("validation_failed");
      expect(messagesOf(empty)).to.match(/at least one field/);
      const array = await agent
        .patch(`/api/tickets/${id}`)
        .send([{ status: "open" }])
        .expect(400);
      expect(array.body.error.code).to.equal("validation_failed");
      expect(await row(id)).to.deep.equal(before);
    });
  });

  describe("concurrent changes to one ticket", () => {
    /** Replays the status events: each must start where the last ended and be an allowed move. */
    function expectConsistentStory(events: TicketEvent[], finalStatus: string): void {
      let status = "new";
      let closedAt: number | null = null;
      for (const event of events) {
        if (closedAt !== null) {
          expect.fail(
            `event ${event.seq} (${event.type}) was written after the ticket closed at ${closedAt}`,
          );
        }
        if (event.type !== "status_changed") {
          continue;
        }
        const [change] = event.changes!;
        expect(change.from, `event ${event.seq} starts from the current status`).to.equal(status);
        expect(
          canTransition(status as TicketStatus, change.to as TicketStatus),
          `${status} -> ${change.to}`,
        ).to.equal(true);
        status = change.to as string;
        if (status === "closed") {
          closedAt = event.seq;
        }
      }
      expect(finalStatus).to.equal(status);
    }

    it("keeps the history consistent when agents change the status at the same time", async () => {
      for (let round = 0; round < 3; round++) {
        const { id } = await openByAgent();
        const targets = [
          "open",
          "pending_customer",
          "resolved",
          "closed",
          "pending_internal",
          "open",
          "closed",
        ];
        const answers = await Promise.all(
          targets.map((status, i) =>
            (i % 2 === 0 ? agent : other).patch(`/api/tickets/${id}`, { status }),
          ),
        );
        for (const res of answers) {
          expect([200, 409], JSON.stringify(res.body)).to.include(res.status);
        }
        const events = await eventsOf(id);
        expect(events.map((e) => e.seq)).to.deep.equal(events.map((_, i) => i + 1));
        expectConsistentStory(events, (await row(id)).status);
      }
    });

    it("never lets a reply reopen or extend a ticket that is being closed", async () => {
      for (let round = 0; round < 3; round++) {
        const { id } = await openByAgent();
        const answers = await Promise.all([
          agent.post(`/api/tickets/${id}/messages`, { body: "Reply racing the close" }),
          other.patch(`/api/tickets/${id}`, { status: "closed" }),
          agent.post(`/api/tickets/${id}/messages`, { body: "Another reply" }),
        ]);
        for (const res of answers) {
          expect([200, 201, 409], JSON.stringify(res.body)).to.include(res.status);
        }
        const events = await eventsOf(id);
        expectConsistentStory(events, (await row(id)).status);
        expect((await row(id)).status).to.equal("closed");
      }
    });
  });

  describe("POST /api/tickets/:id/messages", () => {
    it("requires a session (401) and writes nothing", async () => {
      const { id } = await openByAgent();
      const res = await request(t.url)
        .post(`/api/tickets/${id}/messages`)
        .send({ body: "hi" })
        .expect(401);
      expect(errorOf(res)).to.deep.equal(UNAUTHENTICATED);
      expect(await eventsOf(id)).to.have.length(1);
    });

    it("requires the CSRF token (403 csrf_failed) and writes nothing", async () => {
      const { id } = await openByAgent();
      const res = await agent.http
        .post(`/api/tickets/${id}/messages`)
        .send({ body: "hi" })
        .expect(403);
      expect(res.body.error.code).to.equal("csrf_failed");
      expect(await eventsOf(id)).to.have.length(1);
      expect((await row(id)).status).to.equal("new");
    });

    for (const [what, missing] of MISSING_IDS) {
      it(`answers ${what} with the same 404`, async () => {
        const res = await agent
          .post(`/api/tickets/${encodeURIComponent(missing)}/messages`, { body: "hi" })
          .expect(404);
        expect(errorOf(res)).to.deep.equal(NOT_FOUND);
      });
    }

    const invalid: [string, Body, string][] = [
      ["a missing body", {}, "body"],
      ["an empty body", { body: "   " }, "body"],
      ["a body over the limit", { body: "x".repeat(20_001) }, "body"],
      ["an array as body", { body: ["a"] }, "body"],
      ["a NUL byte in the body", { body: "a\u0000b" }, "body"],
      ["internal as a string", { body: "hi", internal: "yes" }, "internal"],
    ];
    for (const [what, body, field] of invalid) {
      it(`refuses ${what} with 400 naming "${field}"`, async () => {
        const { id } = await openByAgent();
        const res = await agent.post(`/api/tickets/${id}/messages`, body).expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.include(field);
        expect(await eventsOf(id)).to.have.length(1);
      });
    }

    for (const spoof of [
      { actorId: randomUUID() },
      { author: "The Customer" },
      { actorType: "customer" },
      { public: false },
    ]) {
      const [field] = Object.keys(spoof);
      it(`refuses a spoofed author field "${field}" with 400`, async () => {
        const { id } = await openByAgent();
        const res = await agent
          .post(`/api/tickets/${id}/messages`, { body: "I am someone else", ...spoof })
          .expect(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res)).to.include(field);
        expect(await eventsOf(id)).to.have.length(1);
      });
    }

    it("posts a public reply the customer sees in the portal under the agent's name", async () => {
      const { id, token } = await openPortal();
      const res = await agent
        .post(`/api/tickets/${id}/messages`, { body: "Please dial *#06#." })
        .expect(201);
      expect(res.body.event).to.include({
        ticketId: id,
        type: "message",
        public: true,
        body: "Please dial *#06#.",
      });
      expect(res.body.event.actor).to.deep.equal({
        type: "agent",
        id: agent.agent.id,
        name: agent.agent.name,
      });

      const stored = await em()
        .getRepository(TicketEvent)
        .findOneByOrFail({ id: res.body.event.id as string });
      expect(stored).to.include({
        ticketId: id,
        type: "message",
        public: true,
        actorType: "agent",
        actorId: agent.agent.id,
        actorName: agent.agent.name,
        body: "Please dial *#06#.",
      });

      const view = await portalView(token);
      const last = view.body.messages[view.body.messages.length - 1];
      expect(last).to.include({
        from: "agent",
        authorName: agent.agent.name,
        body: "Please dial *#06#.",
      });
      expect(JSON.stringify(view.body)).to.not.include(agent.agent.email);
    });

    it("moves a new ticket to open on the first public reply, with an audited status event", async () => {
      const { id, token } = await openPortal();
      await agent.post(`/api/tickets/${id}/messages`, { body: "On it." }).expect(201);
      expect((await row(id)).status).to.equal("open");
      const events = await eventsOf(id);
      expect(events.map((e) => [e.seq, e.type, e.public])).to.deep.equal([
        [1, "created", true],
        [2, "message", true],
        [3, "status_changed", true],
      ]);
      expect(events[2]).to.include({
        actorType: "agent",
        actorId: agent.agent.id,
        actorName: agent.agent.name,
      });
      expect(events[2].changes).to.deep.equal([{ field: "status", from: "new", to: "open" }]);
      expect((await portalView(token)).body.ticket.status).to.equal("open");

      // A second reply changes nothing about the status.
      await agent.post(`/api/tickets/${id}/messages`, { body: "Still on it." }).expect(201);
      expect((await eventsOf(id)).map((e) => e.type)).to.deep.equal([
        "created",
        "message",
        "status_changed",
        "message",
      ]);
    });

    it("keeps a reply on a waiting ticket from changing its status", async () => {
      const { id } = await openPortal();
      await agent.patch(`/api/tickets/${id}`, { status: "pending_distributor" }).expect(200);
      await agent
        .post(`/api/tickets/${id}/messages`, { body: "The unit is in Hong Kong." })
        .expect(201);
      expect((await row(id)).status).to.equal("pending_distributor");
    });

    it("keeps an internal note out of the portal, but shows it to agents as not public", async () => {
      const { id, token } = await openPortal();
      const secret = "Internal: looks like a reseller, check batch HK-17";
      const res = await agent
        .post(`/api/tickets/${id}/messages`, { body: secret, internal: true })
        .expect(201);
      expect(res.body.event).to.include({ type: "note", public: false, body: secret });

      const stored = await em()
        .getRepository(TicketEvent)
        .findOneByOrFail({ id: res.body.event.id as string });
      expect(stored).to.include({
        type: "note",
        public: false,
        actorId: agent.agent.id,
        body: secret,
      });
      // A note is not a reply: the ticket stays new.
      expect((await row(id)).status).to.equal("new");

      const view = await portalView(token);
      expect(JSON.stringify(view.body)).to.not.include("reseller");
      expect(view.body.messages).to.have.length(1);

      const detail = await agent.get(`/api/tickets/${id}`).expect(200);
      const note = (detail.body.events as Body[]).find((e) => e.id === res.body.event.id);
      expect(note).to.include({ type: "note", public: false, body: secret });
      expect((note!.actor as Body).id).to.equal(agent.agent.id);
    });

    it("refuses a message on a closed ticket with 409 and writes nothing", async () => {
      const { id } = await openByAgent();
      await agent.patch(`/api/tickets/${id}`, { status: "closed" }).expect(200);
      const before = await row(id);
      for (const internal of [false, true]) {
        const res = await agent
          .post(`/api/tickets/${id}/messages`, { body: "hello?", internal })
          .expect(409);
        expect(res.body.error.code).to.equal("conflict");
      }
      expect(await row(id)).to.deep.equal(before);
      expect((await eventsOf(id)).map((e) => e.type)).to.deep.equal(["created", "status_changed"]);
    });
  });

  describe("GET /api/tickets: filters, search and sort", () => {
    // A server of its own, so every expected list is exact.
    let s: TestServer;
    let me: SignedIn;
    let colleague: SignedIn;
    const ids: Record<string, string> = {};
    const numbers: Record<string, string> = {};
    let imeiA = "";
    let emailD = "";

    before(async () => {
      s = await startTestServer();
      me = await signedInAs(s, "agent", "Quinn Queue");
      colleague = await signedInAs(s, "agent", "Casey Colleague");

      const viaPortal = async (key: string, body: Body) => {
        const res = await request(s.url)
          .post("/api/portal/tickets")
          .send({ name: "Dana Whitfield", description: "Details.", ...body })
          .expect(201);
        numbers[key] = res.body.ticket.number as string;
        const ticket = await s.server.db.dataSource.manager
          .getRepository(Ticket)
          .findOneByOrFail({ number: numberOf(numbers[key]) });
        ids[key] = ticket.id;
      };
      const viaAgent = async (key: string, body: Body) => {
        const res = await me
          .post("/api/tickets", { category: "other", description: "Details.", ...body })
          .expect(201);
        ids[key] = res.body.ticket.id as string;
        numbers[key] = res.body.ticket.number as string;
      };

      imeiA = buildImei();
      emailD = "pat.pending@example.org";
      await viaPortal("a", {
        email: "alex.alpha@example.com",
        imei: imeiA,
        category: "network",
        subject: "No LTE on T-Mobile since day one",
      });
      await viaAgent("b", {
        customer: { email: "bo.beta@example.com", name: "Bo Beta" },
        imei: buildImei(),
        category: "billing",
        priority: "high",
        subject: "Charged twice for the Mi 5",
        assigneeId: me.agent.id,
      });
      await viaAgent("c", {
        customer: { email: "cy.gamma@example.com", name: "Cy Gamma" },
        imei: buildImei(),
        category: "doa",
        priority: "urgent",
        subject: "Dead on arrival, will not boot",
        assigneeId: colleague.agent.id,
      });
      await viaPortal("d", {
        email: emailD,
        imei: buildImei(),
        category: "network",
        subject: "Calls drop in the subway",
      });
      await viaAgent("e", {
        customer: { email: "eve.epsilon@example.com", name: "Eve Epsilon" },
        priority: "low",
        subject: "Weird text ' OR 1=1-- in my SMS",
      });
      await viaAgent("f", {
        customer: { email: "fay.zeta@example.com", name: "Fay Zeta" },
        imei: buildImei(),
        subject: "APN ims_internet is 100% wrong",
      });
      await viaPortal("g", {
        email: emailD,
        imei: buildImei(),
        category: "accessories",
        subject: "Charger has a Chinese plug",
      });

      await me.patch(`/api/tickets/${ids.c}`, { status: "open" }).expect(200);
      await me.patch(`/api/tickets/${ids.d}`, { status: "pending_customer" }).expect(200);
      await me.patch(`/api/tickets/${ids.e}`, { status: "resolved" }).expect(200);
      await me.patch(`/api/tickets/${ids.f}`, { status: "closed" }).expect(200);

      const detail = await me.get(`/api/tickets/${ids.d}`).expect(200);
      await me
        .patch(`/api/handsets/${detail.body.handset.id}`, { warrantySource: "none" })
        .expect(200);
    });
    after(async () => {
      await s.stop();
    });

    async function list(query: Record<string, string>): Promise<request.Response> {
      return me.get("/api/tickets").query({ limit: "100", ...query });
    }
    /** The keys of the fixture tickets a query returns, sorted. */
    async function keys(query: Record<string, string>): Promise<string[]> {
      const res = await list(query);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const byId = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
      return (res.body.items as Body[])
        .map((item) => byId.get(item.id as string) ?? `?${String(item.id)}`)
        .sort();
    }

    it("lists all seven fixture tickets without filters", async () => {
      expect(await keys({})).to.deep.equal(["a", "b", "c", "d", "e", "f", "g"]);
    });

    const filters: [string, Record<string, string>, string[]][] = [
      ["one status", { status: "new" }, ["a", "b", "g"]],
      ["a comma list of statuses", { status: "open,pending_customer" }, ["c", "d"]],
      ["a comma list with spaces", { status: "new, open" }, ["a", "b", "c", "g"]],
      ["a final status", { status: "closed" }, ["f"]],
      ["a status nothing has", { status: "pending_internal" }, []],
      ["one priority", { priority: "urgent" }, ["c"]],
      ["several priorities", { priority: "high,urgent" }, ["b", "c"]],
      ["one category", { category: "network" }, ["a", "d"]],
      ["several categories", { category: "doa,billing" }, ["b", "c"]],
      ["status and category together", { status: "new", category: "network" }, ["a"]],
      ["warrantySource none", { warrantySource: "none" }, ["d"]],
      [
        "warrantySource carrier (tickets without a handset excluded)",
        { warrantySource: "carrier" },
        ["a", "b", "c", "f", "g"],
      ],
      ["an email typed in capitals", { q: "PAT.PENDING@EXAMPLE.ORG" }, ["d", "g"]],
      ["part of an email", { q: "bo.beta@" }, ["b"]],
      ["a word of the subject, in another case", { q: "CHARGED" }, ["b"]],
      ["a word of the subject in lower case", { q: "t-mobile" }, ["a"]],
      ["a customer name", { q: "eve epsilon" }, ["e"]],
      ["a customer name in capitals", { q: "EVE EPSILON" }, ["e"]],
      ["the start of a customer name", { q: "Eve Eps" }, ["e"]],
      ["an SQL payload, by its words (or, 1)", { q: "' OR 1=1--" }, ["e"]],
      // Punctuation alone holds no word, and is never LIKE or full-text syntax.
      ["a percent sign alone: nothing", { q: "%" }, []],
      ["an underscore alone: nothing", { q: "_" }, []],
      ["a backslash alone: nothing", { q: "\\" }, []],
      ["a quote alone: nothing", { q: "'" }, []],
      ["text nothing contains", { q: "zzzz-nothing" }, []],
    ];
    for (const [what, query, expected] of filters) {
      it(`filters by ${what}`, async () => {
        expect(await keys(query)).to.deep.equal(expected);
      });
    }

    it("filters by assignee: me, none, and an agent id", async () => {
      expect(await keys({ assignee: "me" })).to.deep.equal(["b"]);
      expect(await keys({ assignee: "none" })).to.deep.equal(["a", "d", "e", "f", "g"]);
      expect(await keys({ assignee: colleague.agent.id })).to.deep.equal(["c"]);
      expect(await keys({ assignee: randomUUID() })).to.deep.equal([]);
      const theirs = await colleague.get("/api/tickets").query({ assignee: "me" }).expect(200);
      expect((theirs.body.items as Body[]).map((x) => x.id)).to.deep.equal([ids.c]);
    });

    it("finds a ticket by its number, with or without GD-", async () => {
      const label = numbers.c;
      expect(await keys({ q: label })).to.deep.equal(["c"]);
      expect(await keys({ q: label.toLowerCase() })).to.deep.equal(["c"]);
      expect(await keys({ q: label.slice(3) })).to.deep.equal(["c"]);
      expect(await keys({ q: "GD-999999" })).to.deep.equal([]);
    });

    it("finds a ticket by the full IMEI, typed with dashes or spaces", async () => {
      const dashed = `${imeiA.slice(0, 2)}-${imeiA.slice(2, 8)}-${imeiA.slice(8, 14)}-${imeiA.slice(14)}`;
      expect(await keys({ q: dashed })).to.deep.equal(["a"]);
      expect(await keys({ q: `${imeiA.slice(0, 8)} ${imeiA.slice(8)}` })).to.deep.equal(["a"]);
      expect(await keys({ q: imeiA })).to.deep.equal(["a"]);
    });

    it("still works after SQL payloads: the tickets table is intact", async () => {
      await list({ q: "'; DROP TABLE tickets;--" }).then((r) => expect(r.status).to.equal(200));
      expect(await keys({})).to.have.length(7);
    });

    it("shows the warranty source of the handset on the list", async () => {
      const res = await list({ warrantySource: "none" });
      expect(res.body.items[0].handset.warrantySource).to.equal("none");
      expect(res.body.items[0].warranty).to.include({
        status: "not_covered",
        reason: "sold_as_is",
      });
    });

    /** The fixture as the database orders it, to compare with the API's order. */
    async function storedOrder(
      column: "updatedAt" | "createdAt",
      direction: "ASC" | "DESC",
    ): Promise<string[]> {
      const rows = await s.server.db.dataSource.manager
        .getRepository(Ticket)
        .find({ select: { id: true, updatedAt: true, createdAt: true } });
      const sign = direction === "ASC" ? 1 : -1;
      return rows
        .sort(
          (x, y) =>
            sign *
            (x[column].getTime() - y[column].getTime() || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
        )
        .map((x) => x.id);
    }

    it("sorts by most recently updated by default", async () => {
      const res = await list({});
      const order = (res.body.items as Body[]).map((x) => x.id);
      expect(order).to.deep.equal(await storedOrder("updatedAt", "DESC"));
      // d was touched last (its handset's warranty changed), so it leads the queue.
      expect(order[0]).to.equal(ids.d);
      const updated = (res.body.items as Body[]).map((x) => Date.parse(x.updatedAt as string));
      expect([...updated].sort((x, y) => y - x)).to.deep.equal(updated);
      const explicit = await list({ sort: "updated_desc" });
      expect((explicit.body.items as Body[]).map((x) => x.id)).to.deep.equal(order);
    });

    for (const [sort, column, direction] of [
      ["created_asc", "createdAt", "ASC"],
      ["created_desc", "createdAt", "DESC"],
      ["updated_asc", "updatedAt", "ASC"],
    ] as const) {
      it(`sorts by ${sort}`, async () => {
        const res = await list({ sort });
        expect(res.status).to.equal(200);
        expect((res.body.items as Body[]).map((x) => x.id)).to.deep.equal(
          await storedOrder(column, direction),
        );
      });
    }

    const refused: [string, Record<string, string> | string, string][] = [
      ["a sort with an SQL statement", { sort: "updatedAt;DROP TABLE tickets" }, "query.sort"],
      ["a sort with a subquery", { sort: "ASC,(select 1)" }, "query.sort"],
      ["a sort by a column name", { sort: "updatedAt" }, "query.sort"],
      ["an order parameter", { order: "ASC" }, "query"],
      ["an unknown key", { foo: "bar" }, "query"],
      ["an operator in brackets", "status[$ne]=x", "query"],
      ["a where object", "where[id]=1", "query"],
      ["a repeated status (an array)", "status=new&status=open", "query.status"],
      ["a repeated q (an array)", "q=a&q=b", "query.q"],
      ["an unknown status", { status: "new,reopened" }, "query.status"],
      ["an empty status list", { status: "" }, "query.status"],
      ["an unknown priority", { priority: "critical" }, "query.priority"],
      ["an unknown category", { category: "refund" }, "query.category"],
      ["an unknown assignee word", { assignee: "everyone" }, "query.assignee"],
      ["an SQL payload as assignee", { assignee: "' OR 1=1--" }, "query.assignee"],
      ["an unknown warrantySource", { warrantySource: "manufacturer" }, "query.warrantySource"],
      ["a blank q", { q: "   " }, "query.q"],
      ["a q over 200 characters", { q: "x".repeat(201) }, "query.q"],
      ["limit 0", { limit: "0" }, "query.limit"],
      ["limit 101", { limit: "101" }, "query.limit"],
      ["limit abc", { limit: "abc" }, "query.limit"],
      ["a negative limit", { limit: "-1" }, "query.limit"],
      ["a fractional limit", { limit: "1.5" }, "query.limit"],
    ];
    for (const [what, query, path] of refused) {
      it(`refuses ${what} with 400 naming ${path}`, async () => {
        const res =
          typeof query === "string"
            ? await me.get(`/api/tickets?${query}`)
            : await me.get("/api/tickets").query(query);
        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(names(res, path), JSON.stringify(res.body.error.details)).to.equal(true);
        expect(res.body).to.not.have.property("items");
      });
    }

    it("refuses a NUL byte in q with 400 rather than a database error", async () => {
      const res = await me.get("/api/tickets").query({ q: "abc\u0000def" });
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(pathsOf(res)).to.include("query.q");
    });

    it("accepts limits 1 and 100", async () => {
      const one = await me.get("/api/tickets").query({ limit: "1" }).expect(200);
      expect(one.body.items).to.have.length(1);
      expect(one.body.nextCursor).to.be.a("string");
      const hundred = await me.get("/api/tickets").query({ limit: "100" }).expect(200);
      expect(hundred.body.items).to.have.length(7);
      expect(hundred.body.nextCursor).to.equal(null);
    });
  });

  describe("GET /api/tickets: word search", () => {
    // A server of its own, so every expected list is exact.
    let s: TestServer;
    let me: SignedIn;
    const ids: Record<string, string> = {};
    const numbers: Record<string, string> = {};
    let imeiH = "";

    before(async () => {
      s = await startTestServer();
      me = await signedInAs(s, "agent", "Wren Words");
      const open = async (key: string, body: Body) => {
        const res = await me.post("/api/tickets", { category: "other", ...body }).expect(201);
        ids[key] = res.body.ticket.id as string;
        numbers[key] = res.body.ticket.number as string;
      };
      imeiH = buildImei();
      await open("hotspot", {
        customer: { email: "ola.nordmann@example.net", name: "Ola Nordmann" },
        imei: imeiH,
        subject: "Hotspot drops after an hour",
        description: "Tethering a laptop from the phone stops working after about an hour.",
      });
      await open("camera", {
        customer: { email: "kari@example.net", name: "Kari Nordmann" },
        imei: buildImei(),
        subject: "Camera app crashes",
        description: "The rear camera of this phone flickers green in low light.",
      });
      await open("both", {
        customer: { email: buildEmail(), name: "Per Hansen" },
        subject: "Camera and hotspot together",
        description: "Using the hotspot makes the camera flicker.",
      });
      await open("described", {
        customer: { email: buildEmail(), name: "Liv Berg" },
        subject: "Question about my phone",
        description: "The screen shows a Zylophone logo at boot, then goes black. Grüße aus Köln.",
      });
      await open("mention", {
        customer: { email: buildEmail(), name: "Tor Lie" },
        subject: "Second phone, same fault",
        description: `My other phone (${imeiH}) has it too.`,
      });
      // Resolved: no SLA clock, so sla_asc has tickets with and without a due date.
      await me.patch(`/api/tickets/${ids.mention}`, { status: "resolved" }).expect(200);
    });
    after(async () => {
      await s.stop();
    });

    const em = () => s.server.db.dataSource.manager;

    /** The keys of the fixture tickets a search returns, sorted; the response must be a 200. */
    async function found(q: string): Promise<string[]> {
      const res = await me.get("/api/tickets").query({ q, limit: "100" });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const byId = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
      return (res.body.items as Body[])
        .map((item) => byId.get(item.id as string) ?? `?${String(item.id)}`)
        .sort();
    }

    it("finds a word that is only in the description, in any case", async () => {
      expect(await found("zylophone")).to.deep.equal(["described"]);
      expect(await found("ZYLOPHONE")).to.deep.equal(["described"]);
      expect(await found("tethering")).to.deep.equal(["hotspot"]);
    });

    it("keeps letters beyond ASCII inside words", async () => {
      expect(await found("grüße")).to.deep.equal(["described"]);
      expect(await found("köln")).to.deep.equal(["described"]);
      expect(await found("grüße köl")).to.deep.equal(["described"]);
    });

    it("finds the start of a word, for the last word only", async () => {
      expect(await found("zylo")).to.deep.equal(["described"]);
      expect(await found("hotsp")).to.deep.equal(["both", "hotspot"]);
      expect(await found("camera hotsp")).to.deep.equal(["both"]);
      expect(await found("hotsp camera")).to.deep.equal([]);
    });

    it("requires every word, wherever it is (subject or description)", async () => {
      expect(await found("hotspot camera")).to.deep.equal(["both"]);
      expect(await found("camera flicker")).to.deep.equal(["both", "camera"]);
      expect(await found("laptop hour")).to.deep.equal(["hotspot"]);
      expect(await found("hotspot zylophone")).to.deep.equal([]);
    });

    // Quotes, operators and FTS5 / tsquery syntax only separate words: never a 500, never syntax.
    const syntax: [string, string[]][] = [
      ['"hotspot"', ["both", "hotspot"]],
      ["hotspot*", ["both", "hotspot"]],
      ["-hotspot", ["both", "hotspot"]],
      ["hotspot:*", ["both", "hotspot"]],
      ["'hotspot'", ["both", "hotspot"]],
      ["(hotspot)", ["both", "hotspot"]],
      ["subject:hotspot", []],
      ["hotspot & !camera", ["both"]],
      ["hotspot | zylophone", []],
      ["hotspot OR zylophone", []],
      ["NOT camera", []],
      ["NEAR(hotspot camera)", []],
      ['zylo"*', ["described"]],
      ["hotspot <-> camera", ["both"]],
      ["camera'::tsquery", []],
      ['"', []],
      ["*", []],
      ["NEAR(", []],
      ["-", []],
      [":", []],
      ["'", []],
      ["''", []],
      ['"*', []],
      ["^", []],
      ["()", []],
      ["{}", []],
      ["\\", []],
      ["&|!", []],
      ["<->", []],
      ["%_", []],
      ['";--', []],
      ["\u0301", []],
      ["日本語", []],
    ];
    for (const [q, expected] of syntax) {
      it(`answers q=${q} with 200 and its words only`, async () => {
        expect(await found(q)).to.deep.equal(expected);
      });
    }

    it("follows changes: new words are found, old ones no longer, a deleted ticket is gone", async () => {
      const tickets = em().getRepository(Ticket);
      const extra = (
        await me
          .post("/api/tickets", {
            customer: { email: buildEmail(), name: "Siv Dahl" },
            category: "other",
            subject: "Quokka sticker on the box",
            description: "Arrived with a wombat manual.",
          })
          .expect(201)
      ).body.ticket.id as string;
      const only = async (q: string) =>
        ((await me.get("/api/tickets").query({ q }).expect(200)).body.items as Body[]).map(
          (item) => item.id,
        );
      expect(await only("quokka")).to.deep.equal([extra]);
      expect(await only("wombat")).to.deep.equal([extra]);

      await tickets.update(extra, { subject: "Platypus sticker on the box" });
      expect(await only("platypus")).to.deep.equal([extra]);
      expect(await only("quokka")).to.deep.equal([]);
      expect(await only("wombat")).to.deep.equal([extra]);

      await tickets.update(extra, { description: "Arrived with a koala manual." });
      expect(await only("koala")).to.deep.equal([extra]);
      expect(await only("wombat")).to.deep.equal([]);
      expect(await only("platypus")).to.deep.equal([extra]);

      // A change to other columns leaves the words alone.
      await tickets.update(extra, { priority: "high" });
      expect(await only("koala platypus")).to.deep.equal([extra]);

      await tickets.delete(extra);
      expect(await only("koala")).to.deep.equal([]);
      if (s.server.db.kind === "sqlite") {
        // The FTS5 index agrees with the tickets table, row for row (rank 1: against the content).
        await em().query(
          `INSERT INTO "tickets_fts"("tickets_fts", rank) VALUES ('integrity-check', 1)`,
        );
      }
    });

    it("still finds a ticket by number, and by IMEI (its handset, and where a description names it)", async () => {
      expect(await found(numbers.camera)).to.deep.equal(["camera"]);
      expect(await found(numbers.camera.slice(3))).to.deep.equal(["camera"]);
      expect(await found(imeiH)).to.deep.equal(["hotspot", "mention"]);
    });

    it("finds a customer by the whole email, or the start of the email or name, in any case", async () => {
      expect(await found("ola.nordmann@example.net")).to.deep.equal(["hotspot"]);
      expect(await found("OLA.NORDMANN@EXAMPLE.NET")).to.deep.equal(["hotspot"]);
      expect(await found("ola.nord")).to.deep.equal(["hotspot"]);
      expect(await found("kari nord")).to.deep.equal(["camera"]);
      expect(await found("KARI NORDMANN")).to.deep.equal(["camera"]);
      // Not by a word inside the name or the email: only its start has an index.
      expect(await found("nordmann")).to.deep.equal([]);
      expect(await found("example.net")).to.deep.equal([]);
    });

    it("gives the same pages whether it tests rows one by one or lists matches from the indexes", async () => {
      const queries = [
        "hotspot",
        "camera",
        "zylo",
        "camera flicker",
        imeiH,
        numbers.both,
        "ola.nordmann@example.net",
        "kari nord",
        "phone",
      ];
      /** Every id the search returns, paging by 2 with this scan budget. */
      const pages = async (
        q: string,
        sort: TicketSort,
        budget: number,
        status?: TicketStatus[],
      ) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 10; page++) {
          const result = await listTicketIds(
            em(),
            { q, sort, limit: 2, cursor, status },
            me.agent.id,
            (d) => s.server.db.dateParam(d),
            new Date(),
            budget,
          );
          seen.push(...result.ids);
          if (result.nextCursor === null) {
            return seen;
          }
          cursor = result.nextCursor;
        }
        throw new Error("more pages than tickets");
      };
      for (const q of queries) {
        for (const sort of TICKET_SORTS) {
          for (const status of [undefined, ["new" as const]]) {
            // Budget 1000 scans every ticket; the small ones leave some pages to the indexes.
            const expected = await pages(q, sort, 1000, status);
            for (const budget of [1, 2, 3, 4]) {
              expect(await pages(q, sort, budget, status), `${q} ${sort} ${budget}`).to.deep.equal(
                expected,
              );
            }
          }
        }
      }
      expect(await pages("hotspot", "updated_desc", 1)).to.have.members([ids.hotspot, ids.both]);
    });
  });

  describe("GET /api/tickets: cursor pagination", () => {
    let s: TestServer;
    let me: SignedIn;
    const originals: string[] = [];

    async function create(n: number): Promise<string[]> {
      const created: string[] = [];
      for (let i = 0; i < n; i++) {
        const res = await me
          .post(
            "/api/tickets",
            agentTicketBody({ subject: `Paging ticket ${originals.length + i}` }),
          )
          .expect(201);
        created.push(res.body.ticket.id as string);
      }
      return created;
    }

    before(async () => {
      s = await startTestServer();
      me = await signedInAs(s, "agent", "Page Turner");
      originals.push(...(await create(30)));
    });
    after(async () => {
      await s.stop();
    });

    async function page(
      query: Record<string, string>,
    ): Promise<{ ids: string[]; next: string | null }> {
      const res = await me.get("/api/tickets").query(query);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return {
        ids: (res.body.items as Body[]).map((x) => x.id as string),
        next: res.body.nextCursor as string | null,
      };
    }

    async function all(sort: string): Promise<string[]> {
      const res = await me.get("/api/tickets").query({ sort, limit: "100" }).expect(200);
      return (res.body.items as Body[]).map((x) => x.id as string);
    }

    for (const sort of ["updated_desc", "updated_asc", "created_desc", "created_asc"]) {
      it(`pages through every ticket by 7 with ${sort}: no duplicates, no gaps, in order`, async () => {
        const expected = await all(sort);
        const seen: string[] = [];
        const sizes: number[] = [];
        let cursor: string | null = null;
        do {
          const query: Record<string, string> = { sort, limit: "7" };
          if (cursor !== null) {
            query.cursor = cursor;
          }
          const result = await page(query);
          seen.push(...result.ids);
          sizes.push(result.ids.length);
          cursor = result.next;
        } while (cursor !== null && sizes.length < 20);
        const full = Math.floor(expected.length / 7);
        const rest = expected.length % 7;
        expect(sizes).to.deep.equal([...Array<number>(full).fill(7), ...(rest > 0 ? [rest] : [])]);
        expect(new Set(seen).size).to.equal(seen.length);
        expect(seen).to.deep.equal(expected);
        expect(seen).to.include.members(originals);
      });
    }

    it("neither repeats nor skips a ticket while new ones arrive between pages (updated_desc)", async () => {
      const before = await all("updated_desc");
      const first = await page({ limit: "7" });
      const seen = [...first.ids];
      const added: string[] = [];
      let cursor = first.next;
      while (cursor !== null) {
        // New tickets are created while the next page is being fetched.
        const [result, ...created] = await Promise.all([
          page({ limit: "7", cursor }),
          create(1),
          create(1),
          create(1),
        ]);
        added.push(...created.flat());
        seen.push(...result.ids);
        cursor = result.next;
      }
      expect(added).to.have.length(3 * (Math.ceil(before.length / 7) - 1));
      expect(new Set(seen).size).to.equal(seen.length);
      // Newer tickets sort before the cursor, so later pages hold exactly the tickets listed before.
      expect(seen).to.deep.equal(before);
      originals.splice(0, originals.length, ...before);
    });

    it("neither repeats nor skips an original ticket while new ones arrive (created_asc)", async () => {
      const before = await all("created_asc");
      const first = await page({ sort: "created_asc", limit: "7" });
      const seen = [...first.ids];
      const added: string[] = [];
      let cursor = first.next;
      let pages = 1;
      while (cursor !== null && pages < 40) {
        const [result, created] = await Promise.all([
          page({ sort: "created_asc", limit: "7", cursor }),
          pages < 6 ? create(2) : Promise.resolve([]),
        ]);
        added.push(...created);
        seen.push(...result.ids);
        cursor = result.next;
        pages++;
      }
      expect(new Set(seen).size).to.equal(seen.length);
      const originalsSeen = seen.filter((id) => before.includes(id));
      expect(originalsSeen).to.deep.equal(before);
      // The new ones come after every original, in the order they were opened.
      expect(seen.slice(0, before.length)).to.deep.equal(before);
      expect(seen.slice(before.length)).to.deep.equal(
        await all("created_asc").then((x) => x.slice(before.length)),
      );
      expect(seen.slice(before.length).sort()).to.deep.equal([...added].sort());
    });

    it("refuses a tampered cursor with 400 naming query.cursor", async () => {
      const { next } = await page({ limit: "7" });
      const decoded = JSON.parse(Buffer.from(next!, "base64url").toString("utf8")) as unknown[];
      const forged = (value: unknown[]) =>
        Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
      const tampered = [
        `${next!.slice(0, 5)}${next![5] === "A" ? "B" : "A"}${next!.slice(6)}`,
        `x${next}`,
        "not-a-cursor",
        "!!!",
        forged([decoded[0], decoded[1], "' OR 1=1--"]),
        forged([decoded[0], String(decoded[1]), decoded[2]]),
        forged([decoded[0], decoded[1]]),
        forged({ sort: decoded[0] } as unknown as unknown[]),
        forged([decoded[0], 8.64e15 + 1, decoded[2]]),
        forged([decoded[0], Number.MAX_SAFE_INTEGER, decoded[2]]),
        forged([decoded[0], -Number.MAX_SAFE_INTEGER, decoded[2]]),
        forged([decoded[0], 1.5, decoded[2]]),
      ];
      for (const cursor of tampered) {
        const res = await me.get("/api/tickets").query({ limit: "7", cursor });
        expect(res.status, `${cursor}: ${JSON.stringify(res.body)}`).to.equal(400);
        expect(res.body.error.code).to.equal("validation_failed");
        expect(pathsOf(res), cursor).to.deep.equal(["query.cursor"]);
      }
    });

    it("refuses a cursor from another sort with 400 naming query.cursor", async () => {
      const created = await page({ sort: "created_asc", limit: "7" });
      const res = await me.get("/api/tickets").query({ limit: "7", cursor: created.next! });
      expect(res.status).to.equal(400);
      expect(pathsOf(res)).to.deep.equal(["query.cursor"]);
      const back = await me
        .get("/api/tickets")
        .query({ sort: "updated_asc", limit: "7", cursor: created.next! });
      expect(pathsOf(back)).to.deep.equal(["query.cursor"]);
    });

    it("keeps filters applied on every page", async () => {
      const target = originals.slice(0, 12);
      for (const id of target) {
        await me.patch(`/api/tickets/${id}`, { priority: "urgent" }).expect(200);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = { priority: "urgent", limit: "5" };
        if (cursor !== null) {
          query.cursor = cursor;
        }
        const result = await page(query);
        seen.push(...result.ids);
        cursor = result.next;
      } while (cursor !== null);
      expect([...seen].sort()).to.deep.equal([...target].sort());
    });
  });
});
