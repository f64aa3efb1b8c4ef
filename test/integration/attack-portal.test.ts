import { createHash, randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";
import { incomingUploadsDir } from "../../server/src/modules/attachments/uploads";
import { buildPortalTicket, tokenOf } from "../support/factories";
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
});
