import { expect } from "chai";
import request from "supertest";
import { OutboxMessage } from "../../server/src/modules/outbox/outbox.entity";
import { buildEmail, buildPortalTicket } from "../support/factories";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";

describe("the customer's sign-in link (POST /api/portal/sign-in-link)", () => {
  let t: TestServer;
  let clock: MutableClock;
  before(async () => {
    clock = mutableClock();
    t = await startTestServer({}, { clock });
  });
  after(async () => {
    await t.stop();
  });

  const signInMails = (recipient: string) =>
    t.server.db.dataSource
      .getRepository(OutboxMessage)
      .find({ where: { kind: "sign_in_link", recipient }, order: { createdAt: "ASC" } });

  /** The link in the latest sign-in mail to `email`, as the customer reads it. */
  async function linkFor(email: string): Promise<string> {
    const mails = await signInMails(email);
    const text = t.server.mail.render(mails[mails.length - 1]).text;
    const match = /https?:\/\/\S+\/portal\/sign-in\/([A-Za-z0-9_-]{43})/.exec(text);
    expect(match, text).to.not.equal(null);
    expect(JSON.stringify(mails)).to.not.include(match![1]);
    return match![1];
  }

  it("answers 202 alike for a known and an unknown address; only the known one gets mail", async () => {
    const email = buildEmail();
    const first = await request(t.url)
      .post("/api/portal/tickets")
      .send(buildPortalTicket({ email, subject: "First one" }))
      .expect(201);
    const second = await request(t.url)
      .post("/api/portal/tickets")
      .send(buildPortalTicket({ email, subject: "Second one" }))
      .expect(201);
    const unknown = buildEmail();
    const known = await request(t.url).post("/api/portal/sign-in-link").send({ email }).expect(202);
    const stranger = await request(t.url)
      .post("/api/portal/sign-in-link")
      .send({ email: unknown })
      .expect(202);
    expect(known.body).to.deep.equal(stranger.body);
    expect(await signInMails(unknown)).to.have.length(0);

    const token = await linkFor(email);
    // The page the link opens uses nothing up (mail scanners fetch links).
    await request(t.url).get(`/portal/sign-in/${token}`).expect(200);
    const res = await request(t.url).post(`/api/portal/sign-in/${token}`).send({}).expect(200);
    const items = res.body.tickets as { subject: string; url: string; number: string }[];
    expect(items.map((i) => i.subject).sort()).to.deep.equal(["First one", "Second one"]);
    const urls = items.map((i) => i.url).sort();
    expect(urls).to.deep.equal(
      [first.body.accessUrl as string, second.body.accessUrl as string].sort(),
    );
  });

  it("works once only", async () => {
    const email = buildEmail();
    await request(t.url).post("/api/portal/tickets").send(buildPortalTicket({ email })).expect(201);
    await request(t.url).post("/api/portal/sign-in-link").send({ email }).expect(202);
    const token = await linkFor(email);
    await request(t.url).post(`/api/portal/sign-in/${token}`).send({}).expect(200);
    const again = await request(t.url).post(`/api/portal/sign-in/${token}`).send({}).expect(404);
    expect(again.body.error.code).to.equal("not_found");
    // The HTML page's button says so too.
    await request(t.url).post(`/portal/sign-in/${token}`).type("form").send("").expect(404);
  });

  it("expires after 15 minutes", async () => {
    const email = buildEmail();
    await request(t.url).post("/api/portal/tickets").send(buildPortalTicket({ email })).expect(201);
    await request(t.url).post("/api/portal/sign-in-link").send({ email }).expect(202);
    const token = await linkFor(email);
    clock.advance(15 * 60 * 1000 + 1000);
    await request(t.url).post(`/api/portal/sign-in/${token}`).send({}).expect(404);
  });

  it("lists the tickets on the HTML page reached by its button, the subject as text", async () => {
    const email = buildEmail();
    await request(t.url)
      .post("/api/portal/tickets")
      .send(buildPortalTicket({ email, subject: "<img src=x onerror=alert(1)>" }))
      .expect(201);
    await request(t.url).post("/api/portal/sign-in-link").send({ email }).expect(202);
    const token = await linkFor(email);
    const page = await request(t.url)
      .post(`/portal/sign-in/${token}`)
      .type("form")
      .send("")
      .expect(200);
    expect(page.text).to.include("&lt;img src=x onerror=alert(1)&gt;");
    expect(page.text).to.not.include("<img");
    expect(page.headers["cache-control"]).to.equal("no-store");
  });

  it("refuses a bad address (400) and limits requests per address (429)", async () => {
    const bad = await request(t.url)
      .post("/api/portal/sign-in-link")
      .send({ email: "not an address" })
      .expect(400);
    expect(bad.body.error.details[0].path).to.equal("email");
    const email = buildEmail();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await request(t.url).post("/api/portal/sign-in-link").send({ email })).status);
    }
    expect(statuses).to.deep.equal([202, 202, 202, 429, 429]);
  });
});
