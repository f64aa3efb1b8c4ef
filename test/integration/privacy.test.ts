import { OutboxMessage } from "../../server/src/modules/outbox/outbox.entity";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";
import type { DataSource } from "typeorm";
import { signedInAs } from "../support/agents";
import type { SignedIn } from "../support/agents";
import { buildEmail, buildImei, buildPortalTicket, tokenOf } from "../support/factories";
import { testDatabaseKind } from "../support/databases";
import { connected, disconnected, socketFor } from "../support/sockets";
import { openSqliteFile } from "../support/sqlite-file";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const word = (prefix: string) => `${prefix}${randomBytes(5).toString("hex")}`;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

interface Person {
  name: string;
  email: string;
  phone: string;
  imei: string;
  /** Words only this person's tickets contain. */
  subject: string;
  description: string;
  reply: string;
  rating: string;
  file: Buffer;
  tickets: { id: string; token: string }[];
  customerId: string;
}

function person(first: string, last: string): Person {
  return {
    name: `${first} ${last}`,
    email: buildEmail(),
    phone: `+1555${String(randomBytes(3).readUIntBE(0, 3) % 10_000_000).padStart(7, "0")}`,
    imei: buildImei(),
    subject: `No LTE ${word("subj")}`,
    description: `Bought it abroad ${word("desc")}, only 3G here.`,
    reply: `Here is my receipt ${word("reply")}, from ${first}`,
    rating: `Thanks ${word("rate")}`,
    file: Buffer.from(`%PDF-1.4\n% ${randomBytes(24).toString("hex")}\n%%EOF\n`),
    tickets: [],
    customerId: "",
  };
}

/** Every text-like column of every table, with how many rows contain `needle` (any case). */
async function textColumnsContaining(
  dataSource: DataSource,
  needle: string,
): Promise<{ table: string; column: string; rows: number }[]> {
  const found: { table: string; column: string; rows: number }[] = [];
  const columns: { table: string; column: string }[] = [];
  if (dataSource.options.type === "postgres") {
    const rows = await dataSource.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb')`,
    );
    columns.push(...rows.map((r) => ({ table: r.table_name, column: r.column_name })));
  } else {
    const tables = await dataSource.query<{ name: string }[]>(
      `SELECT name FROM sqlite_master WHERE type = 'table'`,
    );
    for (const { name } of tables) {
      const info = await dataSource.query<{ name: string }[]>(`PRAGMA table_info("${name}")`);
      // Every column, whatever its declared type (SQLite stores text in any of them, and the
      // search index's own tables hold blobs).
      columns.push(...info.map((c) => ({ table: name, column: c.name })));
    }
  }
  for (const { table, column } of columns) {
    const sql =
      dataSource.options.type === "postgres"
        ? `SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}"::text ILIKE $1`
        : `SELECT COUNT(*) AS n FROM "${table}" WHERE LOWER(CAST("${column}" AS TEXT)) LIKE LOWER(?)`;
    const [row] = await dataSource.query<{ n: number | string }[]>(sql, [`%${needle}%`]);
    if (Number(row?.n ?? 0) > 0) {
      found.push({ table, column, rows: Number(row.n) });
    }
  }
  return found;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe(`customer export and erasure (${testDatabaseKind()})`, function () {
  this.timeout(60_000);
  let dir: string;
  let t: TestServer;
  let admin: SignedIn;
  let agent: SignedIn;
  let zelda: Person;
  let other: Person;

  async function openTickets(p: Person, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const fields = buildPortalTicket({
        name: p.name,
        email: p.email,
        phone: p.phone,
        imei: p.imei,
        subject: p.subject,
        description: p.description,
      });
      let req = request(t.url).post("/api/portal/tickets");
      for (const [key, value] of Object.entries(fields)) {
        req = req.field(key, String(value));
      }
      if (i === 0) {
        req = req.attach("attachments", p.file, {
          filename: `${p.name.split(" ")[1]}-receipt.pdf`,
          contentType: "application/pdf",
        });
      }
      const res = await req.expect(201);
      const token = tokenOf(res.body.accessUrl as string);
      const list = await admin.get(`/api/tickets?q=${res.body.ticket.number}`).expect(200);
      const id = (list.body.items as { id: string }[])[0].id;
      p.tickets.push({ id, token });
    }
    const [first] = p.tickets;
    await request(t.url)
      .post(`/api/portal/tickets/${first.token}/messages`)
      .send({ body: p.reply })
      .expect(201);
    const [firstName] = p.name.split(" ");
    await agent
      .post(`/api/tickets/${first.id}/messages`, {
        body: `Hello ${firstName}, thanks for the receipt.`,
      })
      .expect(201);
    await agent
      .post(`/api/tickets/${first.id}/messages`, {
        body: `${p.name} called from ${p.phone} about ${p.email}`,
        internal: true,
      })
      .expect(201);
    await agent.patch(`/api/tickets/${first.id}`, { status: "resolved" }).expect(200);
    await request(t.url)
      .post(`/api/portal/tickets/${first.token}/rating`)
      .send({ rating: "good", comment: p.rating })
      .expect((res) => expect(res.status).to.be.oneOf([200, 201, 204]));
    const detail = await admin.get(`/api/tickets/${first.id}`).expect(200);
    p.customerId = detail.body.customer.id as string;
  }

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-privacy-"));
    t = await startTestServer(
      testDatabaseKind() === "sqlite"
        ? { database: { type: "sqlite", path: path.join(dir, "desk.sqlite") }, dataDir: dir }
        : { dataDir: dir },
    );
    admin = await signedInAs(t, "admin", "Ada Admin");
    agent = await signedInAs(t, "agent", "Sam Support");
    zelda = person("Zelda", "Quixotic");
    other = person("Oscar", "Brightwater");
    await openTickets(zelda, 2);
    await openTickets(other, 1);
  });
  after(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("exports exactly the customer's data, to admins only", async () => {
    await agent.get(`/api/customers/${zelda.customerId}/export`).expect(403);
    await request(t.url).get(`/api/customers/${zelda.customerId}/export`).expect(401);
    await admin.get(`/api/customers/3f1c1e52-6a89-4c2e-9a34-5b8a2a0f7d11/export`).expect(404);

    const res = await admin.get(`/api/customers/${zelda.customerId}/export`).expect(200);
    expect(res.headers["content-disposition"]).to.match(/^attachment; filename="customer-/);
    expect(res.headers["cache-control"]).to.equal("no-store");
    const data = res.body as {
      customer: { email: string; name: string; phone: string | null };
      tickets: {
        id: string;
        subject: string;
        satisfactionComment: string | null;
        messages: { body: string; internal: boolean }[];
        attachments: { sha256: string }[];
      }[];
      handsets: { identifiers: { value: string }[] }[];
      emails: unknown[];
    };
    expect(data.customer).to.include({ email: zelda.email, name: zelda.name });
    expect(data.tickets.map((x) => x.id).sort()).to.deep.equal(
      zelda.tickets.map((x) => x.id).sort(),
    );
    const messages = data.tickets.flatMap((x) => x.messages);
    expect(messages.some((m) => m.body === zelda.reply)).to.equal(true);
    expect(data.tickets.flatMap((x) => x.attachments).map((a) => a.sha256)).to.deep.equal([
      sha256(zelda.file),
    ]);
    expect(data.tickets.some((x) => x.satisfactionComment === zelda.rating)).to.equal(true);
    expect(data.handsets.flatMap((h) => h.identifiers.map((i) => i.value))).to.include(zelda.imei);
    expect(data.emails.length).to.be.at.least(2);
    // Nothing of anyone else.
    const text = JSON.stringify(data);
    for (const value of [other.email, other.name, other.subject, other.reply, other.imei]) {
      expect(text).to.not.include(value);
    }
    // No secret link in it.
    for (const ticket of zelda.tickets) {
      expect(text).to.not.include(ticket.token);
    }
  });

  it("refuses an erasure without the right confirmation, or from an agent, and changes nothing", async () => {
    const wrong = await admin
      .post(`/api/customers/${zelda.customerId}/erase`, {
        reason: "Customer asked",
        confirmEmail: other.email,
      })
      .expect(400);
    expect(wrong.body.error.code).to.equal("validation_failed");
    expect(wrong.body.error.details).to.deep.equal([
      { path: "confirmEmail", message: "must be the customer's email address, to confirm" },
    ]);
    const noReason = await admin
      .post(`/api/customers/${zelda.customerId}/erase`, { confirmEmail: zelda.email })
      .expect(400);
    expect(noReason.body.error.details[0].path).to.equal("reason");
    await admin
      .post(`/api/customers/${zelda.customerId}/erase`, {
        reason: "x".repeat(10),
        confirmEmail: zelda.email,
        extra: true,
      })
      .expect(400);
    await agent
      .post(`/api/customers/${zelda.customerId}/erase`, {
        reason: "Customer asked",
        confirmEmail: zelda.email,
      })
      .expect(403);
    const still = await admin.get(`/api/customers/${zelda.customerId}/export`).expect(200);
    expect(still.body.customer.email).to.equal(zelda.email);
    await request(t.url).get(`/api/portal/tickets/${zelda.tickets[0].token}`).expect(200);
  });

  it("erases the customer: no trace in any text column, the search index or the files; tickets still counted; audited", async () => {
    const root = path.join(dir, "attachments");
    const blobsBefore = filesUnder(root).map((f) => sha256(readFileSync(f)));
    expect(blobsBefore).to.include(sha256(zelda.file));
    const countBefore = await t.server.db.dataSource.query<{ n: number | string }[]>(
      `SELECT COUNT(*) AS n FROM "tickets"`,
    );
    // Every email queued to her (openings, the rating request, agent replies) leaves the outbox.
    const queued = await t.server.db.dataSource
      .getRepository(OutboxMessage)
      .countBy({ recipient: zelda.email });
    expect(queued).to.be.at.least(2);
    const socket = await connected(socketFor(t, { ticketToken: zelda.tickets[0].token }));
    const gone = disconnected(socket, 5000);

    const res = await admin
      .post(`/api/customers/${zelda.customerId}/erase`, {
        reason: `Zelda asked by email on ${new Date().toISOString().slice(0, 10)}`,
        confirmEmail: zelda.email.toUpperCase(),
      })
      .expect(200);
    expect(res.body.erasure).to.deep.include({
      customerId: zelda.customerId,
      by: { id: admin.agent.id, name: "Ada Admin" },
    });
    // Two openings, the reply and the rating comment are the customer's own words.
    expect(res.body.erasure.counts).to.deep.include({
      tickets: 2,
      attachments: 1,
      outbox: queued,
      handsets: 1,
    });
    expect(res.body.erasure.counts.messages).to.be.at.least(3);
    expect(res.body.erasure.reason).to.match(/^\[erased\] asked by email on /);
    await gone;

    // No trace in any text column of any table (the search index's tables included).
    const [firstName, lastName] = zelda.name.split(" ");
    for (const needle of [
      zelda.email,
      zelda.email.split("@")[0],
      zelda.name,
      firstName,
      lastName,
      zelda.phone,
      zelda.subject,
      zelda.description,
      zelda.reply,
      zelda.rating,
      zelda.reply.split(" ")[4],
    ]) {
      expect(await textColumnsContaining(t.server.db.dataSource, needle), needle).to.deep.equal([]);
    }
    if (testDatabaseKind() === "sqlite") {
      // Nor among the words of the search index, nor anywhere in the file's bytes (freed pages
      // are zeroed, the WAL checkpointed).
      const raw = await openSqliteFile(path.join(dir, "desk.sqlite"));
      try {
        await raw.exec(
          `CREATE VIRTUAL TABLE temp.words USING fts5vocab('main', 'tickets_fts', 'row')`,
        );
        const words = (await raw.all<{ term: string }>(`SELECT term FROM temp.words`)).map(
          (w) => w.term,
        );
        const secret = [zelda.subject, zelda.description]
          .join(" ")
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter((w) => /^(subj|desc)[0-9a-f]{10}$/.test(w));
        expect(secret.length).to.equal(2);
        for (const term of secret) {
          expect(words).to.not.include(term);
        }
        // The other customer's words are still searchable.
        expect(words).to.include(other.subject.split(" ").pop()!.toLowerCase());
      } finally {
        await raw.close();
      }
      const bytes = Buffer.concat(
        ["desk.sqlite", "desk.sqlite-wal"]
          .map((name) => path.join(dir, name))
          .filter((file) => existsSync(file))
          .map((file) => readFileSync(file)),
      );
      for (const needle of [zelda.email, zelda.reply, zelda.rating, zelda.name]) {
        expect(bytes.includes(Buffer.from(needle)), needle).to.equal(false);
      }
    }
    const search = await agent.get(`/api/tickets?q=${encodeURIComponent(zelda.email)}`).expect(200);
    expect(search.body.items).to.deep.equal([]);

    // The files are gone; the other customer's stay.
    const blobsAfter = filesUnder(root).map((f) => sha256(readFileSync(f)));
    expect(blobsAfter).to.not.include(sha256(zelda.file));
    expect(blobsAfter).to.include(sha256(other.file));

    // The tickets are still there and counted, anonymised, with their status and category.
    const countAfter = await t.server.db.dataSource.query<{ n: number | string }[]>(
      `SELECT COUNT(*) AS n FROM "tickets"`,
    );
    expect(Number(countAfter[0].n)).to.equal(Number(countBefore[0].n));
    const ticket = await admin.get(`/api/tickets/${zelda.tickets[0].id}`).expect(200);
    expect(ticket.body.ticket).to.include({ subject: "[erased]", status: "resolved" });
    expect(ticket.body.customer.name).to.equal("Erased customer");
    const resolved = await agent.get(`/api/tickets?status=resolved&category=network`).expect(200);
    expect((resolved.body.items as { id: string }[]).map((x) => x.id)).to.include(
      zelda.tickets[0].id,
    );
    // The links are revoked.
    for (const { token } of zelda.tickets) {
      await request(t.url).get(`/api/portal/tickets/${token}`).expect(404);
    }
    // The other customer is untouched.
    const theirs = await request(t.url)
      .get(`/api/portal/tickets/${other.tickets[0].token}`)
      .expect(200);
    expect(theirs.body.ticket.subject).to.equal(other.subject);

    // Audited; and irreversible: a second erasure is a conflict.
    const audit = await admin.get("/api/customers/erasures").expect(200);
    expect(audit.body.erasures).to.have.length(1);
    expect(audit.body.erasures[0]).to.deep.include({
      customerId: zelda.customerId,
      by: { id: admin.agent.id, name: "Ada Admin" },
    });
    await agent.get("/api/customers/erasures").expect(403);
    const again = await admin
      .post(`/api/customers/${zelda.customerId}/erase`, {
        reason: "again please",
        confirmEmail: `erased-${zelda.customerId}@erased.invalid`,
      })
      .expect(409);
    expect(again.body.error.code).to.equal("conflict");
  });
});
