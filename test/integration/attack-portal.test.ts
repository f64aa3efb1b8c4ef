import { createHash, randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";
import { incomingUploadsDir } from "../../server/src/modules/attachments/uploads";
import { OutboxMessage } from "../../server/src/modules/outbox/outbox.entity";
import { buildPortalTicket, tokenOf } from "../support/factories";
import { openPortalTicket } from "../support/tickets";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const MiB = 1024 * 1024;

interface StalledAnswer {
  /** What the server sent (status line, headers, body), or "" if it never answered. */
  response: string;
  /** Whether the server closed the connection (rather than wait for the rest of the body). */
  closedByServer: boolean;
  /** Bytes of the body this client had written when the answer came. */
  sentBeforeAnswer: number;
}

/**
 * The attack of T36 on one connection: a multipart POST that declares `declaredBytes`, sends
 * only `sendBytes` of it and stalls, as a slow or hostile client does. Waits at most `waitMs`
 * for an answer (a server that reads the body first never answers a stalled client).
 */
function stalledUpload(
  base: string,
  urlPath: string,
  declaredBytes: number,
  sendBytes: number,
  waitMs = 5000,
): Promise<StalledAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let sent = 0;
    let sentBeforeAnswer = -1;
    let finished = false;
    const finish = (closedByServer: boolean) => {
      if (finished) {
        return;
      }
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({
        response: Buffer.concat(chunks).toString("latin1"),
        closedByServer,
        sentBeforeAnswer,
      });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on("data", (chunk: Buffer) => {
      if (sentBeforeAnswer === -1) {
        sentBeforeAnswer = sent;
      }
      chunks.push(chunk);
    });
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.on("connect", () => {
      socket.write(
        [
          `POST ${urlPath} HTTP/1.1`,
          `Host: ${hostname}:${port}`,
          "Content-Type: multipart/form-data; boundary=XyZ",
          `Content-Length: ${declaredBytes}`,
          "",
          "",
        ].join("\r\n"),
      );
      const head = Buffer.from(
        '--XyZ\r\nContent-Disposition: form-data; name="attachments"; filename="a.png"\r\n' +
          "Content-Type: image/png\r\n\r\n",
      );
      socket.write(Buffer.concat([head, PNG]));
      sent = head.length + PNG.length;
      const piece = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!finished && sent < sendBytes) {
          sent += piece.length;
          if (!socket.write(piece)) {
            socket.once("drain", pump);
            return;
          }
        }
        // Then nothing more: the stall.
      };
      pump();
    });
  });
}

function statusOf(response: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return match === null ? 0 : Number(match[1]);
}

function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        found.push(full);
      }
    }
  };
  walk(dir);
  return found;
}

describe("attack on the running desk: the portal", () => {
  describe("T36 upload-before-auth", () => {
    let t: TestServer;
    let token: string;
    before(async () => {
      t = await startTestServer();
      const created = await request(t.url)
        .post("/api/portal/tickets")
        .send(buildPortalTicket())
        .expect(201);
      token = tokenOf(created.body.accessUrl as string);
    });
    after(async () => {
      await t.stop();
    });

    it("refuses an upload to a wrong link before reading its body, and closes the connection", async () => {
      const bogus = randomBytes(32).toString("base64url");
      const answer = await stalledUpload(
        t.url,
        `/api/portal/tickets/${bogus}/messages`,
        50 * MiB,
        2 * MiB,
      );
      expect(statusOf(answer.response), answer.response.slice(0, 200)).to.equal(404);
      expect(answer.response).to.include('"code":"not_found"');
      expect(answer.response.toLowerCase()).to.include("connection: close");
      expect(answer.closedByServer).to.equal(true);
      // The answer came while most of the declared body was still unsent.
      expect(answer.sentBeforeAnswer).to.be.at.most(2 * MiB + 64 * 1024);
      // Malformed tokens too (they never reach a database lookup).
      const malformed = await stalledUpload(
        t.url,
        "/api/portal/tickets/not-a-token/messages",
        50 * MiB,
        MiB,
      );
      expect(statusOf(malformed.response)).to.equal(404);
      expect(malformed.closedByServer).to.equal(true);
      expect(filesUnder(incomingUploadsDir(t.server.config.dataDir))).to.deep.equal([]);
    });

    it("holds no memory for 20 stalled uploads to wrong links (figure printed, not asserted)", async () => {
      const before = process.memoryUsage().rss;
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          stalledUpload(
            t.url,
            `/api/portal/tickets/${randomBytes(32).toString("base64url")}/messages`,
            50 * MiB,
            5 * MiB,
          ),
        ),
      );
      const after = process.memoryUsage().rss;
      expect(answers.map((answer) => statusOf(answer.response))).to.deep.equal(
        Array.from({ length: 20 }, () => 404),
      );
      process.stdout.write(
        `      [T36] rss before=${Math.round(before / MiB)} MiB after=${Math.round(after / MiB)} MiB (20 x 5 MiB sent to wrong links)\n`,
      );
      await request(t.url).get("/api/health").expect(200);
    });

    it("refuses a body that declares more than five files at the limit, before reading it", async () => {
      const answer = await stalledUpload(
        t.url,
        `/api/portal/tickets/${token}/messages`,
        60 * MiB,
        MiB,
      );
      expect(statusOf(answer.response), answer.response.slice(0, 200)).to.equal(413);
      expect(answer.response).to.include('"code":"payload_too_large"');
      expect(answer.closedByServer).to.equal(true);
      const create = await stalledUpload(t.url, "/api/portal/tickets", 60 * MiB, MiB);
      expect(statusOf(create.response)).to.equal(413);
    });

    it("still takes five 10 MB photos on a good link, streamed to disk and stored whole", async () => {
      const photos = Array.from({ length: 5 }, (_, i) => {
        const bytes = Buffer.alloc(10_000_000, i + 1);
        PNG.copy(bytes);
        return bytes;
      });
      let req = request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .field("body", "Five photos of the box");
      photos.forEach((bytes, i) => {
        req = req.attach("attachments", bytes, { filename: `p${i}.png`, contentType: "image/png" });
      });
      const res = await req.expect(201);
      const files = res.body.message.attachments as { id: string; size: number }[];
      expect(files.map((file) => file.size)).to.deep.equal(photos.map(() => 10_000_000));
      const download = await request(t.url)
        .get(`/api/portal/tickets/${token}/attachments/${files[3].id}`)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
      expect(sha(download.body as Buffer)).to.equal(sha(photos[3]));
      // Nothing is left of the upload outside the store.
      expect(filesUnder(incomingUploadsDir(t.server.config.dataDir))).to.deep.equal([]);
    });

    it("leaves nothing on disk of a refused upload (too large, or not a photo)", async () => {
      const big = Buffer.concat([PNG, Buffer.alloc(10 * MiB)]);
      await request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .field("body", "too big")
        .attach("attachments", big, { filename: "big.png", contentType: "image/png" })
        .expect(413);
      await request(t.url)
        .post(`/api/portal/tickets/${token}/messages`)
        .field("body", "not a photo")
        .attach("attachments", Buffer.from("<html></html>"), {
          filename: "x.png",
          contentType: "image/png",
        })
        .expect(400);
      expect(filesUnder(incomingUploadsDir(t.server.config.dataDir))).to.deep.equal([]);
    });
  });

  describe("T37 portal-reply-flood", () => {
    let t: TestServer;
    beforeEach(async () => {
      t = await startTestServer();
    });
    afterEach(async () => {
      await t.stop();
    });

    const reply = (token: string, body: string) =>
      request(t.url).post(`/api/portal/tickets/${token}/messages`).send({ body });

    it("takes 10 replies a minute on one ticket: 100 sent in a burst get 90 answers of 429", async () => {
      const ticket = await openPortalTicket(t);
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) => reply(ticket.token, `reply ${i} ${"x".repeat(200)}`)),
      );
      const statuses = answers.map((res) => res.status);
      expect(statuses.filter((status) => status === 201)).to.have.length(10);
      expect(statuses.filter((status) => status === 429)).to.have.length(90);
      const refused = answers.find((res) => res.status === 429)!;
      expect(refused.body.error.code).to.equal("rate_limited");
      expect(refused.body.error.message).to.include("this ticket");
      expect(Number(refused.headers["retry-after"])).to.be.greaterThan(0).and.at.most(60);
      const view = await request(t.url).get(`/api/portal/tickets/${ticket.token}`).expect(200);
      expect(view.body.messages).to.have.length(11);
      // Another ticket, from the same address, is not held back by this one.
      const other = await openPortalTicket(t);
      await reply(other.token, "my own question").expect(201);
    });

    it("takes 60 replies a minute from one address, across tickets", async () => {
      const tickets = await Promise.all(Array.from({ length: 7 }, () => openPortalTicket(t)));
      const statuses: number[] = [];
      for (let round = 0; round < 9; round++) {
        for (const ticket of tickets) {
          statuses.push((await reply(ticket.token, `round ${round}`)).status);
        }
      }
      expect(statuses.slice(0, 60).every((status) => status === 201)).to.equal(true);
      expect(statuses.slice(60)).to.deep.equal([429, 429, 429]);
      const refused = await reply(tickets[0].token, "once more").expect(429);
      expect(refused.body.error.message).to.include("this address");
    });

    it("RATE_LIMIT_PORTAL_REPLIES=0 lifts the per-address limit; each ticket's limit still holds", async () => {
      await t.stop();
      t = await startTestServer({ rateLimitPortalReplies: 0 });
      const tickets = await Promise.all(Array.from({ length: 7 }, () => openPortalTicket(t)));
      const statuses: number[] = [];
      for (let round = 0; round < 10; round++) {
        for (const ticket of tickets) {
          statuses.push((await reply(ticket.token, `round ${round}`)).status);
        }
      }
      expect(statuses.every((status) => status === 201)).to.equal(true);
      const refused = await reply(tickets[0].token, "an eleventh").expect(429);
      expect(refused.body.error.message).to.include("this ticket");
    });

    it("replaces a ticket's link 3 times an hour: 40 tries queue 3 more emails, not 40", async () => {
      const ticket = await openPortalTicket(t);
      let token = ticket.token;
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await request(t.url).post(`/api/portal/tickets/${token}/revoke`).send({});
        statuses.push(res.status);
        if (res.status === 200) {
          token = tokenOf(res.body.accessUrl as string);
        } else {
          expect(res.body.error.code).to.equal("rate_limited");
          expect(Number(res.headers["retry-after"])).to.be.greaterThan(60).and.at.most(3600);
        }
      }
      expect(statuses.slice(0, 3)).to.deep.equal([200, 200, 200]);
      expect(statuses.slice(3).every((status) => status === 429)).to.equal(true);
      // The link last handed out still works; the limit did not break the ticket.
      await request(t.url).get(`/api/portal/tickets/${token}`).expect(200);
      const emails = await t.server.db.dataSource
        .getRepository(OutboxMessage)
        .countBy({ ticketId: ticket.id });
      expect(emails).to.equal(4);
    });
  });
});
