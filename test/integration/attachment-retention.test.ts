import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildPortalTicket, tokenOf } from "../support/factories";
import { testDatabaseKind } from "../support/databases";
import { mutableClock, startTestServer } from "../support/test-server";
import type { MutableClock, TestServer } from "../support/test-server";

const DAY = 86_400_000;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function blobs(root: string): string[] {
  if (!existsSync(root)) {
    return [];
  }
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => sha256(readFileSync(path.join(e.parentPath, e.name))));
}

describe(`ATTACHMENT_RETENTION_DAYS (${testDatabaseKind()})`, () => {
  let t: TestServer;
  let clock: MutableClock;
  let agent: SignedIn;

  async function ticketWithFile(): Promise<{ id: string; token: string; file: Buffer }> {
    const file = Buffer.from(`%PDF-1.4\n% ${randomBytes(16).toString("hex")}\n%%EOF\n`);
    let req = request(t.url).post("/api/portal/tickets");
    for (const [key, value] of Object.entries(buildPortalTicket())) {
      req = req.field(key, String(value));
    }
    const res = await req
      .attach("attachments", file, { filename: "receipt.pdf", contentType: "application/pdf" })
      .expect(201);
    const list = await agent.get(`/api/tickets?q=${res.body.ticket.number}`).expect(200);
    return {
      id: (list.body.items as { id: string }[])[0].id,
      token: tokenOf(res.body.accessUrl),
      file,
    };
  }

  before(async () => {
    clock = mutableClock(new Date("2026-03-02T10:00:00Z"));
    t = await startTestServer({ attachmentRetentionDays: 30 }, { clock });
    agent = await signedInAs(t, "agent");
  });
  after(async () => {
    await t.stop();
  });

  it("deletes the files of tickets closed longer than the setting, and nothing else", async () => {
    const closedOld = await ticketWithFile();
    const resolvedOld = await ticketWithFile();
    const open = await ticketWithFile();
    await agent.patch(`/api/tickets/${closedOld.id}`, { status: "closed" }).expect(200);
    await agent.patch(`/api/tickets/${resolvedOld.id}`, { status: "resolved" }).expect(200);
    const root = path.join(t.server.config.dataDir, "attachments");
    expect(blobs(root)).to.have.length(3);
    const filesOf = async (id: string) =>
      (
        (await agent.get(`/api/tickets/${id}`).expect(200)).body.events as {
          attachments?: unknown[];
        }[]
      ).flatMap((e) => e.attachments ?? []);
    expect(await filesOf(closedOld.id)).to.have.length(1);

    // Not yet 30 days: nothing goes.
    clock.advance(29 * DAY);
    expect(await t.server.retention!.sweep()).to.equal(0);
    // Sessions end with the clock too (12 h at most).
    agent = await signedInAs(t, "agent");
    const closedLate = await ticketWithFile();
    await agent.patch(`/api/tickets/${closedLate.id}`, { status: "closed" }).expect(200);

    clock.advance(2 * DAY);
    expect(await t.server.retention!.sweep()).to.equal(1);
    agent = await signedInAs(t, "agent");
    const left = blobs(root);
    expect(left).to.not.include(sha256(closedOld.file));
    for (const kept of [resolvedOld, open, closedLate]) {
      expect(left).to.include(sha256(kept.file));
    }
    // The ticket and its messages stay; only the file is gone.
    const detail = await agent.get(`/api/tickets/${closedOld.id}`).expect(200);
    expect(detail.body.ticket.status).to.equal("closed");
    expect(await filesOf(closedOld.id)).to.deep.equal([]);
    expect(await t.server.retention!.sweep()).to.equal(0);
  });

  it("is off by default", async () => {
    const plain = await startTestServer();
    try {
      expect(plain.server.retention).to.equal(null);
    } finally {
      await plain.stop();
    }
  });
});
