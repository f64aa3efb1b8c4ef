import { expect } from "chai";
import request from "supertest";
import { Customer } from "../../server/src/modules/customers/customer.entity";
import { OutboxMessage } from "../../server/src/modules/outbox/outbox.entity";
import type { PortalMessageDto } from "../../shared/contracts/http/portal";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildEmail, buildImei } from "../support/factories";
import { startTestServer, fixedClock } from "../support/test-server";
import type { TestServer } from "../support/test-server";
import { closeAll, connected, socketFor, waitFor } from "../support/sockets";
import { dayOffset, openPortalTicket } from "../support/tickets";
import type { OpenedTicket } from "../support/tickets";

const TODAY = "2026-12-01";

describe("what a ticket's customer is, and what they may see", () => {
  let t: TestServer;
  let agent: SignedIn;
  before(async () => {
    t = await startTestServer({}, { clock: fixedClock(`${TODAY}T10:00:00Z`) });
    agent = await signedInAs(t);
  });
  after(async () => {
    await t.stop();
  });
  afterEach(() => closeAll());

  const portalView = async (ticket: OpenedTicket) =>
    (await request(t.url).get(`/api/portal/tickets/${ticket.token}`).expect(200)).body;
  const customerByEmail = (email: string) =>
    t.server.db.dataSource.getRepository(Customer).findOneByOrFail({ email });

  describe("T41 unverified-email-identity", () => {
    const alice = {
      name: "Alice Owner",
      phone: "+1 555 010 1111",
      subject: "Alice's own problem: no VoLTE",
    };
    let email: string;
    let own: OpenedTicket;
    let stranger: OpenedTicket;
    before(async () => {
      email = buildEmail();
      own = await openPortalTicket(t, { email, ...alice });
      stranger = await openPortalTicket(t, {
        email: email.toUpperCase(),
        name: "Mallory Stranger",
        phone: "+44 20 7946 0999",
        subject: "Someone else's problem",
      });
    });

    it("keeps the name and phone given on the ticket and tells the agent they differ", async () => {
      const res = await agent.get(`/api/tickets/${stranger.id}`).expect(200);
      expect(res.body.contact).to.deep.equal({
        name: "Mallory Stranger",
        phone: "+44 20 7946 0999",
        differsFromCustomer: true,
      });
      // The record stays the first customer's: an address typed on a form proves nothing.
      expect(res.body.customer).to.include({
        name: alice.name,
        phone: alice.phone,
        email,
        emailVerifiedAt: null,
      });
      const created = (res.body.events as { type: string; actor: { name: string } }[]).find(
        (event) => event.type === "created",
      );
      expect(created?.actor.name).to.equal("Mallory Stranger");

      const mine = await agent.get(`/api/tickets/${own.id}`).expect(200);
      expect(mine.body.contact).to.deep.equal({
        name: alice.name,
        phone: alice.phone,
        differsFromCustomer: false,
      });
      expect(mine.body.customer.emailVerifiedAt).to.equal(null);
    });

    it("changes nothing on the customer's record, not even a missing phone", async () => {
      const quiet = buildEmail();
      await openPortalTicket(t, { email: quiet, name: "Quiet Owner", phone: undefined });
      await openPortalTicket(t, { email: quiet, name: "Loud Stranger", phone: "+1 555 010 6666" });
      expect(await customerByEmail(quiet)).to.include({ name: "Quiet Owner", phone: null });
      expect(await customerByEmail(email)).to.include({ name: alice.name, phone: alice.phone });
    });

    it("shows the stranger nothing of the customer: not their name, phone or tickets", async () => {
      const socket = await connected(socketFor(t, { ticketToken: stranger.token }));
      const live = waitFor(socket, "ticket:message");
      const reply = await request(t.url)
        .post(`/api/portal/tickets/${stranger.token}/messages`)
        .send({ body: "Any news?" })
        .expect(201);
      expect(reply.body.message.authorName).to.equal("Mallory Stranger");
      expect(((await live) as PortalMessageDto).authorName).to.equal("Mallory Stranger");

      const view = await portalView(stranger);
      expect(view.messages.map((m: { authorName: string }) => m.authorName)).to.deep.equal([
        "Mallory Stranger",
        "Mallory Stranger",
      ]);
      const text = JSON.stringify(view);
      for (const secret of [alice.name, alice.phone, alice.subject, own.number]) {
        expect(text, secret).to.not.include(secret);
      }
      // Their own ticket as they filed it.
      expect(view.ticket).to.include({
        number: stranger.number,
        subject: "Someone else's problem",
      });
    });

    it("greets by the name given on the ticket in the link's email", async () => {
      const mail = await t.server.db.dataSource
        .getRepository(OutboxMessage)
        .findOneByOrFail({ ticketId: stranger.id });
      expect(mail.body).to.match(/^Hello Mallory Stranger,/);
    });
  });

  describe("T42 imei-owner-disclosure", () => {
    let imei: string;
    let ownerEmail: string;
    let owner: OpenedTicket;
    let stranger: OpenedTicket;
    before(async () => {
      imei = buildImei();
      ownerEmail = buildEmail();
      owner = await openPortalTicket(t, {
        imei,
        email: ownerEmail,
        brand: "Xiaomi",
        model: "Redmi Note 3 (Alice's)",
      });
      await agent
        .patch(`/api/handsets/${owner.handsetId}`, {
          warrantySource: "carrier",
          warrantyStart: dayOffset(TODAY, -90),
          warrantyEnd: dayOffset(TODAY, 275),
          voidReason: "liquid_damage",
          model: "Redmi Note 3 Pro (checked)",
        })
        .expect(200);
      stranger = await openPortalTicket(t, { imei, name: "Mallory Stranger" });
      expect(stranger.handsetId).to.equal(owner.handsetId);
    });

    it("shows a stranger with the owner's IMEI nothing agent-set about the handset", async () => {
      const view = await portalView(stranger);
      expect(view.warranty).to.equal(null);
      // Only what the IMEI itself says: the model its TAC names.
      expect(view.handset).to.deep.equal({
        brand: "Xiaomi",
        model: "Redmi Note 3",
        imeiMasked: `${imei.slice(0, 8)}******${imei.slice(13)}`,
      });
      const text = JSON.stringify(view);
      for (const secret of [
        "liquid",
        "water",
        "voided",
        "checked",
        "Alice's",
        dayOffset(TODAY, -90),
        dayOffset(TODAY, 275),
      ]) {
        expect(text, secret).to.not.include(secret);
      }
    });

    it("still shows the owner their handset and its warranty decision", async () => {
      const view = await portalView(owner);
      expect(view.handset).to.include({ brand: "Xiaomi", model: "Redmi Note 3 Pro (checked)" });
      expect(view.warranty).to.include({
        status: "not_covered",
        reason: "voided",
        voidReason: "liquid_damage",
      });
      // The owner's covered phone shows its dates once the void reason is lifted.
      await agent.patch(`/api/handsets/${owner.handsetId}`, { voidReason: null }).expect(200);
      expect((await portalView(owner)).warranty).to.include({
        status: "covered",
        until: dayOffset(TODAY, 275),
      });
      expect((await portalView(stranger)).warranty).to.equal(null);
    });

    it("shows the owner the warranty on every ticket of theirs about the handset", async () => {
      const again = await openPortalTicket(t, { imei, email: ownerEmail });
      const warranty = (await portalView(again)).warranty;
      expect(warranty).to.not.equal(null);
      expect(warranty).to.deep.equal((await portalView(owner)).warranty);
    });
  });
});
