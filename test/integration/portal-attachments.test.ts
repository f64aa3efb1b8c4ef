import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";
import { OutboxMessage } from "../../server/src/modules/outbox/outbox.entity";
import { Ticket } from "../../server/src/modules/tickets/ticket.entity";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildPortalTicket, tokenOf } from "../support/factories";
import { closeAll, connected, disconnected, socketFor, waitFor } from "../support/sockets";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

/** A real 1x1 PNG, a minimal PDF, a GIF that is also a script, and hostile look-alikes. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const GIF_POLYGLOT = Buffer.concat([
  Buffer.from("GIF89a/*"),
  Buffer.alloc(16),
  Buffer.from("*/=1;alert(1)//"),
]);
const HTML = Buffer.from("<html><script>alert(document.cookie)</script></html>");
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
);

function blobsIn(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
      } else {
        found.push(full);
      }
    }
  };
  walk(root);
  return found;
}

describe("portal: attachments, link revocation, rating, outbox", () => {
  let t: TestServer;
  let agent: SignedIn;
  let root: string;
  before(async () => {
    t = await startTestServer();
    agent = await signedInAs(t, "agent", "Sam Support");
    root = path.join(t.server.config.dataDir, "attachments");
  });
  afterEach(() => closeAll());
  after(async () => {
    await t.stop();
  });

  function multipart(files: [Buffer, string, string?][], fields = buildPortalTicket()) {
    let req = request(t.url).post("/api/portal/tickets");
    for (const [key, value] of Object.entries(fields)) {
      req = req.field(key, String(value));
    }
    for (const [bytes, filename, contentType] of files) {
      req = req.attach("attachments", bytes, {
        filename,
        contentType: contentType ?? "application/octet-stream",
      });
    }
    return req;
  }

  async function idOf(token: string): Promise<string> {
    const view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
    const list = await agent.get(`/api/tickets?q=${view.body.ticket.number as string}`).expect(200);
    return list.body.items[0].id as string;
  }

  describe("uploads", () => {
    it("opens a ticket with a photo and a PDF, served back as inert downloads", async () => {
      const res = await multipart([
        [PNG, "screenshot.png", "image/png"],
        [PDF, "receipt.pdf", "application/pdf"],
      ]).expect(201);
      const token = tokenOf(res.body.accessUrl as string);
      const view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      const files = view.body.messages[0].attachments as {
        id: string;
        filename: string;
        contentType: string;
        size: number;
      }[];
      expect(files.map((f) => [f.filename, f.contentType, f.size])).to.deep.equal([
        ["screenshot.png", "image/png", PNG.length],
        ["receipt.pdf", "application/pdf", PDF.length],
      ]);
      expect(files[0].id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);

      const download = await request(t.url)
        .get(`/api/portal/tickets/${token}/attachments/${files[0].id}`)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(Buffer.compare(download.body as Buffer, PNG)).to.equal(0);
      expect(download.headers["content-type"]).to.equal("image/png");
      expect(download.headers["content-disposition"]).to.equal(
        `attachment; filename="screenshot.png"; filename*=UTF-8''screenshot.png`,
      );
      expect(download.headers["x-content-type-options"]).to.equal("nosniff");
      expect(download.headers["content-security-policy"]).to.match(/^sandbox/);
      expect(download.headers["cache-control"]).to.include("no-store");
      // Stored only under server-made names inside the attachments folder.
      for (const blob of blobsIn(root)) {
        expect(path.basename(blob)).to.match(/^[0-9a-f]{32}$/);
      }
    });

    it("decides the type by content: HTML or SVG labelled as a PNG is refused naming the file", async () => {
      for (const [bytes, name] of [
        [HTML, "photo.png"],
        [SVG, "logo.png"],
      ] as const) {
        const before = blobsIn(root).length;
        const res = await multipart([
          [PNG, "fine.png", "image/png"],
          [bytes, name, "image/png"],
        ]).expect(400);
        expect(res.body.error.details[0].path).to.equal("attachments.1");
        expect(blobsIn(root).length).to.equal(before);
      }
    });

    it("serves a GIF/JS polyglot only as an image/gif download", async () => {
      const res = await multipart([[GIF_POLYGLOT, "x.js", "application/javascript"]]).expect(201);
      const token = tokenOf(res.body.accessUrl as string);
      const view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      const id = view.body.messages[0].attachments[0].id as string;
      const download = await request(t.url)
        .get(`/api/portal/tickets/${token}/attachments/${id}`)
        .expect(200);
      expect(download.headers["content-type"]).to.equal("image/gif");
      expect(download.headers["content-disposition"]).to.match(/^attachment;/);
    });

    it("refuses a file over 10 MB with 413 and more than five files with 400, storing nothing", async () => {
      const before = blobsIn(root).length;
      const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
      const tooBig = await multipart([[big, "huge.png", "image/png"]]).expect(413);
      expect(tooBig.body.error.code).to.equal("payload_too_large");
      const six = Array.from(
        { length: 6 },
        (_, i) => [PNG, `p${i}.png`, "image/png"] as [Buffer, string, string],
      );
      const tooMany = await multipart(six).expect(400);
      expect(tooMany.body.error.details[0].path).to.equal("attachments");
      expect(blobsIn(root).length).to.equal(before);
    });

    it("refuses malformed multipart bodies with 400", async () => {
      const noBoundary = await request(t.url)
        .post("/api/portal/tickets")
        .set("Content-Type", "multipart/form-data")
        .send('--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nAnn\r\n--x--')
        .expect(400);
      expect(noBoundary.body.error.code).to.equal("validation_failed");
      const cut = await request(t.url)
        .post("/api/portal/tickets")
        .set("Content-Type", "multipart/form-data; boundary=x")
        .send(
          '--x\r\nContent-Disposition: form-data; name="attachments"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabc',
        )
        .expect(400);
      expect(cut.body.error.code).to.equal("validation_failed");
      await request(t.url).get("/api/health").expect(200);
    });

    it("makes hostile file names inert text and never a path", async () => {
      const names = [
        "../../../../etc/passwd.png",
        "..\\..\\windows\\win.ini.png",
        "%2e%2e%2fsecret.png",
        "/etc/shadow.png",
        "C:\\boot.png",
        "\u200B.htaccess",
        ".htaccess",
        "x.phtml",
        "exe.\u202Etxt.png",
        `${"a".repeat(300)}.png`,
      ];
      const res = await multipart(names.slice(0, 5).map((n) => [PNG, n, "image/png"])).expect(201);
      const res2 = await multipart(names.slice(5).map((n) => [PNG, n, "image/png"])).expect(201);
      const shown: string[] = [];
      for (const r of [res, res2]) {
        const token = tokenOf(r.body.accessUrl as string);
        const view = await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
        for (const file of view.body.messages[0].attachments as {
          id: string;
          filename: string;
        }[]) {
          shown.push(file.filename);
          const download = await request(t.url)
            .get(`/api/portal/tickets/${token}/attachments/${file.id}`)
            .expect(200);
          expect(download.headers["content-disposition"]).to.match(
            /^attachment; filename="[^"/\\]*"; filename\*=UTF-8''[^/\\\s]+$/,
          );
        }
      }
      expect(shown.slice(0, 5)).to.deep.equal([
        "passwd.png",
        "win.ini.png",
        "%2e%2e%2fsecret.png",
        "shadow.png",
        "boot.png",
      ]);
      expect(shown[5]).to.equal("htaccess");
      expect(shown[6]).to.equal("htaccess");
      expect(shown[7]).to.equal("x.phtml");
      expect(shown[8]).to.equal("exe.txt.png");
      expect([...shown[9]].length).to.be.at.most(120);
      expect(shown[9]).to.match(/\.png$/);
      for (const blob of blobsIn(root)) {
        expect(path.dirname(path.dirname(blob))).to.equal(root);
        expect(path.basename(blob)).to.match(/^[0-9a-f]{32}$/);
      }
    });

    it("lets the customer reply with photos, and agents download them", async () => {
      const created = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket())
        .expect(201);
      const token = tokenOf(created.body.accessUrl as string);
      const reply = await request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .field("body", "Here is the box label")
        .attach("attachments", PNG, { filename: "label.png", contentType: "image/png" })
        .expect(201);
      const file = reply.body.message.attachments[0] as { id: string };
      const id = await idOf(token);
      await agent.get(`/api/tickets/${id}/attachments/${file.id}`).expect(200);
      const detail = await agent.get(`/api/tickets/${id}`).expect(200);
      const events = detail.body.events as { attachments: { id: string }[] }[];
      expect(events.flatMap((e) => e.attachments).map((a) => a.id)).to.include(file.id);
    });
  });

  describe("who may download", () => {
    it("answers 404 to another ticket's link, to a guessed id and to an internal note's file", async () => {
      const mine = await multipart([[PNG, "mine.png", "image/png"]]).expect(201);
      const other = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket())
        .expect(201);
      const myToken = tokenOf(mine.body.accessUrl as string);
      const otherToken = tokenOf(other.body.accessUrl as string);
      const view = await request(t.url).get(`/api/portal/tickets/${myToken}`).expect(200);
      const fileId = view.body.messages[0].attachments[0].id as string;
      const foreign = await request(t.url)
        .get(`/api/portal/tickets/${otherToken}/attachments/${fileId}`)
        .expect(404);
      expect(foreign.body.error).to.include({ code: "not_found", message: "Attachment not found" });
      await request(t.url)
        .get(
          `/api/portal/tickets/${myToken}/attachments/${`${fileId.slice(0, -1)}${fileId.endsWith("0") ? "1" : "0"}`}`,
        )
        .expect(404);
      await request(t.url).get(`/api/portal/tickets/${myToken}/attachments/1`).expect(404);
      await request(t.url)
        .get(`/api/tickets/00000000-0000-4000-8000-000000000000/attachments/${fileId}`)
        .expect(401);

      const otherId = await idOf(otherToken);
      const note = await agent.http
        .post(`/api/tickets/${otherId}/messages`)
        .set("X-CSRF-Token", agent.csrf)
        .field("body", "internal scan of the invoice")
        .field("internal", "true")
        .attach("attachments", PDF, { filename: "invoice.pdf", contentType: "application/pdf" })
        .expect(201);
      expect(note.body.event).to.include({ type: "note", public: false });
      const noteFile = note.body.event.attachments[0].id as string;
      await agent.get(`/api/tickets/${otherId}/attachments/${noteFile}`).expect(200);
      await request(t.url)
        .get(`/api/portal/tickets/${otherToken}/attachments/${noteFile}`)
        .expect(404);
      const customerView = await request(t.url)
        .get(`/api/portal/tickets/${otherToken}`)
        .expect(200);
      expect(JSON.stringify(customerView.body)).to.not.include("invoice.pdf");
    });
  });

  describe("link revocation", () => {
    it("replaces the link: the old one is 404 everywhere at once, the new one works, the outbox has it", async () => {
      const created = await multipart([[PNG, "a.png", "image/png"]]).expect(201);
      const old = tokenOf(created.body.accessUrl as string);
      const view = await request(t.url).get(`/api/portal/tickets/${old}`).expect(200);
      const fileId = view.body.messages[0].attachments[0].id as string;
      const socket = await connected(socketFor(t, { ticketToken: old }));
      const gone = disconnected(socket, 1000);

      const revoked = await request(t.url)
        .post(`/api/portal/tickets/${old}/revoke`)
        .send({})
        .expect(200);
      const fresh = tokenOf(revoked.body.accessUrl as string);
      expect(fresh).to.not.equal(old);
      await gone;
      await request(t.url).get(`/api/portal/tickets/${old}`).expect(404);
      await request(t.url)
        .post(`/api/portal/tickets/${old}/messages`)
        .send({ body: "hi" })
        .expect(404);
      await request(t.url).get(`/api/portal/tickets/${old}/attachments/${fileId}`).expect(404);
      await request(t.url).post(`/api/portal/tickets/${old}/revoke`).send({}).expect(404);
      await request(t.url).get(`/api/portal/tickets/${fresh}`).expect(200);
      await request(t.url).get(`/api/portal/tickets/${fresh}/attachments/${fileId}`).expect(200);

      const id = await idOf(fresh);
      const outbox = await t.server.db.dataSource
        .getRepository(OutboxMessage)
        .find({ where: { ticketId: id }, order: { createdAt: "ASC" } });
      expect(outbox).to.have.length(2);
      // Each message renders with its link; the outbox row itself keeps it sealed, never in clear.
      expect(t.server.mail.render(outbox[0]).text).to.include(`/portal/t/${old}`);
      expect(t.server.mail.render(outbox[1]).text).to.include(`/portal/t/${fresh}`);
      expect(JSON.stringify(outbox)).to.not.include(old).and.not.include(fresh);
      expect(outbox[1].recipient).to.equal(outbox[0].recipient);
      const detail = await agent.get(`/api/tickets/${id}`).expect(200);
      expect((detail.body.events as { type: string }[]).map((e) => e.type)).to.include(
        "link_revoked",
      );
    });

    it("queues the link for a ticket an agent opened on a customer's behalf", async () => {
      const res = await agent
        .post("/api/tickets", {
          customer: { email: "walk.in@example.com", name: "Walk In" },
          category: "billing",
          subject: "Double charge",
          description: "Charged twice in March",
        })
        .expect(201);
      const token = tokenOf(res.body.accessUrl as string);
      const outbox = await t.server.db.dataSource
        .getRepository(OutboxMessage)
        .findBy({ ticketId: res.body.ticket.id as string });
      expect(outbox).to.have.length(1);
      expect(outbox[0]).to.include({
        kind: "ticket_link",
        recipient: "walk.in@example.com",
        sentAt: null,
      });
      expect(t.server.mail.render(outbox[0]).text).to.include(token);
      expect(JSON.stringify(outbox[0])).to.not.include(token);
    });
  });

  describe("satisfaction rating", () => {
    it("opens only once resolved, takes one rating, and agents see it", async () => {
      const created = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket())
        .expect(201);
      const token = tokenOf(created.body.accessUrl as string);
      const id = await idOf(token);
      expect((await request(t.url).get(`/api/portal/tickets/${token}`)).body).to.include({
        canRate: false,
        satisfaction: null,
      });
      const early = await request(t.url)
        .post(`/api/portal/tickets/${token}/rating`)
        .send({ rating: "good" })
        .expect(409);
      expect(early.body.error.details[0].path).to.equal("rating");

      const customer = await connected(socketFor(t, { ticketToken: token }));
      const changed = waitFor(customer, "ticket:changed", (ticket) => ticket.status === "resolved");
      await agent.patch(`/api/tickets/${id}`, { status: "resolved" }).expect(200);
      expect((await changed).status).to.equal("resolved");
      expect((await request(t.url).get(`/api/portal/tickets/${token}`)).body.canRate).to.equal(
        true,
      );

      await request(t.url)
        .post(`/api/portal/tickets/${token}/rating`)
        .send({ rating: "meh" })
        .expect(400);
      await request(t.url)
        .post(`/api/portal/tickets/${token}/rating`)
        .send({ rating: "bad", comment: "Took three weeks" })
        .expect(204);
      const again = await request(t.url)
        .post(`/api/portal/tickets/${token}/rating`)
        .send({ rating: "good" })
        .expect(409);
      expect(again.body.error.code).to.equal("conflict");

      const view = (await request(t.url).get(`/api/portal/tickets/${token}`)).body;
      expect(view.canRate).to.equal(false);
      expect(view.satisfaction).to.include({ rating: "bad", comment: "Took three weeks" });
      const detail = await agent.get(`/api/tickets/${id}`).expect(200);
      expect(detail.body.ticket.satisfaction).to.equal("bad");
      const rated = (detail.body.events as { type: string; body: string; public: boolean }[]).find(
        (e) => e.type === "rated",
      );
      expect(rated).to.include({ body: "Took three weeks", public: false });
      const row = await t.server.db.dataSource.getRepository(Ticket).findOneByOrFail({ id });
      expect(row.satisfaction).to.equal("bad");
    });
  });

  describe("durability of uploads", () => {
    it("removes the blobs of a reply the database refused (closed ticket)", async () => {
      const created = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket())
        .expect(201);
      const token = tokenOf(created.body.accessUrl as string);
      await agent.patch(`/api/tickets/${await idOf(token)}`, { status: "closed" }).expect(200);
      const before = blobsIn(root).length;
      await request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .field("body", "one more thing")
        .attach("attachments", PNG, { filename: "late.png", contentType: "image/png" })
        .expect(409);
      expect(blobsIn(root).length).to.equal(before);
    });

    it("collects orphan blobs (a crash between write and commit) and keeps referenced ones", async () => {
      const store = path.join(root, "ff");
      const { mkdirSync, writeFileSync, utimesSync } = await import("node:fs");
      mkdirSync(store, { recursive: true });
      const orphan = path.join(store, "ff".padEnd(32, "0"));
      writeFileSync(orphan, PNG);
      const old = new Date(Date.now() - 2 * 3600_000);
      utimesSync(orphan, old, old);
      const referenced = blobsIn(root).length - 1;
      const removed = await t.server.attachments.collectGarbage();
      expect(removed).to.equal(1);
      expect(blobsIn(root)).to.have.length(referenced);
    });
  });
});
