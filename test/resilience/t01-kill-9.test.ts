import { randomBytes, randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { HttpClient } from "../support/http-client";
import type { HttpResult } from "../support/http-client";
import { freePort, sleep } from "../support/ports";
import { startServerProcess } from "../support/processes";
import type { ServerProcess } from "../support/processes";
import { openSqliteFile } from "../support/sqlite-file";
import type { PortalMessageDto, PortalTicketView } from "../../shared/contracts/http/portal";
import {
  StatusCounts,
  createPortalTicket,
  markedTicket,
  portalReply,
  report,
  sha256,
  tinyPng,
} from "./fixtures";
import type { TinyPng } from "./fixtures";

/**
 * docs/SECURITY.md T01, sized for CI: a supervisor starts the real server on a SQLite file and kills it
 * with SIGKILL at random 1-4 s intervals (at least 10 kills) while clients open portal tickets
 * (some with a photo) and reply through their links. Whatever was acknowledged must survive
 * intact; whatever was not must be absent or complete, never partial.
 */
const KILLS = 10;
const CLIENTS = 6;

interface AckedTicket {
  marker: string;
  number: string;
  token: string;
  subject: string;
  description: string;
  email: string;
  png: TinyPng | null;
}

interface AckedReply {
  ticket: AckedTicket;
  id: string;
  body: string;
  png: TinyPng | null;
}

interface Unacked {
  kind: "ticket" | "reply";
  marker: string;
  png: TinyPng | null;
  res: HttpResult;
}

const tokenOfUrl = (url: string) => new URL(url).pathname.split("/").pop()!;

describe("T01 kill -9 during writes (SQLite, real server process)", () => {
  let dir: string;
  let server: ServerProcess | null = null;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-t01-"));
  });
  after(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`loses no acknowledged ticket or message across ${KILLS} kill -9 under load`, async function () {
    this.timeout(9 * 60_000);
    const port = await freePort();
    const dbFile = path.join(dir, "greydesk.sqlite");
    const env = {
      PORT: String(port),
      DATABASE_URL: `sqlite:${dbFile}`,
      GREYDESK_DATA_DIR: dir,
      SESSION_SECRET: "t01-kill-test-secret-0123456789abcdef",
    };
    const base = `http://127.0.0.1:${port}`;

    const ackedTickets: AckedTicket[] = [];
    const ackedReplies: AckedReply[] = [];
    const unacked: Unacked[] = [];
    const statuses = new StatusCounts();
    let stopping = false;

    async function clientLoop(n: number): Promise<void> {
      const http = new HttpClient(base);
      let i = 0;
      while (!stopping) {
        i += 1;
        const marker = `c${n}-${i}-${randomBytes(4).toString("hex")}`;
        const body = markedTicket(marker);
        const png = i % 2 === 0 ? tinyPng() : null;
        const res = await createPortalTicket(http, body, png, 20_000);
        statuses.add(res);
        if (res.status !== 201) {
          unacked.push({ kind: "ticket", marker, png, res });
          await sleep(res.status === 0 ? 150 : 50);
          continue;
        }
        const answer = res.body as { ticket: { number: string }; accessUrl: string };
        const ticket: AckedTicket = {
          marker,
          number: answer.ticket.number,
          token: tokenOfUrl(answer.accessUrl),
          subject: body.subject,
          description: body.description,
          email: body.email,
          png,
        };
        ackedTickets.push(ticket);
        const replies = randomInt(1, 3);
        for (let r = 0; r < replies && !stopping; r++) {
          const replyMarker = `${marker}-r${r}`;
          const text = `Still no 4G (${replyMarker}).`;
          const replyPng = r === 0 && i % 3 === 0 ? tinyPng() : null;
          const sent = await portalReply(http, ticket.token, text, replyPng, 20_000);
          statuses.add(sent);
          if (sent.status === 201) {
            const message = (sent.body as { message: PortalMessageDto }).message;
            ackedReplies.push({ ticket, id: message.id, body: text, png: replyPng });
          } else {
            unacked.push({ kind: "reply", marker: text, png: replyPng, res: sent });
            if (sent.status === 0) {
              await sleep(150);
            }
          }
        }
      }
    }

    // The supervisor: start, let the clients write for 1-4 s, kill -9, start again.
    const startedAt = Date.now();
    const startTimes: number[] = [];
    const start = async () => {
      const t0 = Date.now();
      server = await startServerProcess(env, 120_000);
      startTimes.push(Date.now() - t0);
    };
    await start();
    const clients = Array.from({ length: CLIENTS }, (_, n) => clientLoop(n));
    let kills = 0;
    const ackedBeforeKill: number[] = [];
    try {
      while (kills < KILLS) {
        await sleep(randomInt(1000, 4001));
        ackedBeforeKill.push(ackedTickets.length + ackedReplies.length);
        await server!.kill();
        kills += 1;
        if (kills < KILLS) {
          await start();
        }
      }
    } finally {
      stopping = true;
      await Promise.all(clients);
    }
    const cutMidRequest = unacked.filter(
      (u) => u.res.status === 0 && u.res.error !== "ECONNREFUSED",
    ).length;

    // Only refusals, cut connections and successes are expected; a 4xx/5xx means a bug.
    expect(
      statuses.unexpected((key) => key === "201" || key.startsWith("0:")),
      statuses.toString(),
    ).to.deep.equal([]);
    expect(ackedTickets.length, "tickets acknowledged").to.be.greaterThan(20);
    expect(ackedReplies.length, "replies acknowledged").to.be.greaterThan(10);

    // The database as the last kill left it, before any server touches it again.
    const db = await openSqliteFile(dbFile);
    try {
      const integrity = await db.all<{ integrity_check: string }>("PRAGMA integrity_check");
      expect(integrity.map((row) => row.integrity_check)).to.deep.equal(["ok"]);
      expect(await db.all("PRAGMA foreign_key_check")).to.deep.equal([]);

      const withoutFirstEvent = await db.all(
        `SELECT t."number" FROM "tickets" t WHERE NOT EXISTS (SELECT 1 FROM "ticket_events" e
           WHERE e."ticketId" = t."id" AND e."seq" = 1 AND e."type" = 'created')`,
      );
      expect(withoutFirstEvent, "tickets without their first event").to.deep.equal([]);
      const brokenHistory = await db.all(
        `SELECT t."number" FROM "tickets" t WHERE t."lastEventSeq" <>
           (SELECT COUNT(*) FROM "ticket_events" e WHERE e."ticketId" = t."id")
           OR t."lastEventSeq" <> (SELECT MAX(e."seq") FROM "ticket_events" e WHERE e."ticketId" = t."id")`,
      );
      expect(brokenHistory, "tickets whose history has gaps").to.deep.equal([]);
      const withoutOutbox = await db.all(
        `SELECT t."number" FROM "tickets" t
           WHERE NOT EXISTS (SELECT 1 FROM "outbox" o WHERE o."ticketId" = t."id")`,
      );
      expect(withoutOutbox, "tickets without their link message").to.deep.equal([]);

      const attachments = await db.all<{ storageKey: string; size: number; sha256: string }>(
        `SELECT "storageKey", "size", "sha256" FROM "attachments"`,
      );
      const missingBlobs = attachments.filter((row) => {
        const file = path.join(dir, "attachments", row.storageKey.slice(0, 2), row.storageKey);
        return !existsSync(file) || sha256(readFileSync(file)) !== row.sha256;
      });
      expect(missingBlobs, "attachment rows whose blob is missing or different").to.deep.equal([]);

      for (const ticket of ackedTickets) {
        const rows = await db.all<{
          id: string;
          subject: string;
          description: string;
          accessTokenHash: string;
          email: string;
          body: string;
        }>(
          `SELECT t."id", t."subject", t."description", t."accessTokenHash", c."email", e."body"
             FROM "tickets" t JOIN "customers" c ON c."id" = t."customerId"
             JOIN "ticket_events" e ON e."ticketId" = t."id" AND e."seq" = 1
             WHERE t."number" = ?`,
          [Number(ticket.number.replace(/\D/g, ""))],
        );
        expect(rows, `acknowledged ticket ${ticket.number}`).to.have.length(1);
        const row = rows[0];
        expect(row, ticket.number).to.include({
          subject: ticket.subject,
          description: ticket.description,
          accessTokenHash: sha256(ticket.token),
          email: ticket.email.toLowerCase(),
          body: ticket.description,
        });
        const files = await db.all<{ sha256: string }>(
          `SELECT a."sha256" FROM "attachments" a JOIN "ticket_events" e ON e."id" = a."eventId"
             WHERE e."ticketId" = ? AND e."seq" = 1`,
          [row.id],
        );
        expect(files.map((f) => f.sha256)).to.deep.equal(ticket.png ? [ticket.png.sha256] : []);
      }
      for (const reply of ackedReplies) {
        const rows = await db.all<{ body: string; type: string; number: number }>(
          `SELECT e."body", e."type", t."number" FROM "ticket_events" e
             JOIN "tickets" t ON t."id" = e."ticketId" WHERE e."id" = ?`,
          [reply.id],
        );
        expect(rows, `acknowledged reply ${reply.id}`).to.have.length(1);
        expect(rows[0]).to.include({ body: reply.body, type: "message" });
        expect(rows[0].number).to.equal(Number(reply.ticket.number.replace(/\D/g, "")));
        const files = await db.all<{ sha256: string }>(
          `SELECT "sha256" FROM "attachments" WHERE "eventId" = ?`,
          [reply.id],
        );
        expect(files.map((f) => f.sha256)).to.deep.equal(reply.png ? [reply.png.sha256] : []);
      }
      // Not acknowledged: absent, or there in full (one row, with its photo), never half.
      let unackedPresent = 0;
      for (const attempt of unacked) {
        const events =
          attempt.kind === "ticket"
            ? await db.all<{ id: string }>(
                `SELECT e."id" FROM "tickets" t JOIN "ticket_events" e
                   ON e."ticketId" = t."id" AND e."seq" = 1 WHERE t."subject" = ?`,
                [`Fault test ${attempt.marker}`],
              )
            : await db.all<{ id: string }>(`SELECT "id" FROM "ticket_events" WHERE "body" = ?`, [
                attempt.marker,
              ]);
        expect(events.length, `un-acknowledged ${attempt.kind} ${attempt.marker}`).to.be.at.most(1);
        if (events.length === 1) {
          unackedPresent += 1;
          const files = await db.all(`SELECT "id" FROM "attachments" WHERE "eventId" = ?`, [
            events[0].id,
          ]);
          expect(files, `photo of ${attempt.marker}`).to.have.length(attempt.png ? 1 : 0);
        }
      }
      report("T01", {
        kills,
        clients: CLIENTS,
        ackedTickets: ackedTickets.length,
        ackedReplies: ackedReplies.length,
        attachments: attachments.length,
        unacked: unacked.length,
        cutMidRequest,
        unackedButCommitted: unackedPresent,
        startMsMedian: startTimes.sort((a, b) => a - b)[Math.floor(startTimes.length / 2)],
        seconds: (Date.now() - startedAt) / 1000,
      });
      report("T01", { statuses: statuses.toString() });
    } finally {
      await db.close();
    }

    // The same facts through the API, after one more start.
    await start();
    const http = new HttpClient(base);
    for (const ticket of ackedTickets) {
      const res = await http.get(`/api/portal/tickets/${ticket.token}`);
      expect(res.status, `GET ticket ${ticket.number}`).to.equal(200);
      const view = res.body as PortalTicketView;
      expect(view.ticket).to.include({ number: ticket.number, subject: ticket.subject });
      const [first, ...rest] = view.messages;
      expect(first?.body).to.equal(ticket.description);
      const replies = ackedReplies.filter((reply) => reply.ticket === ticket);
      const seen = new Map(rest.map((message) => [message.id, message]));
      for (const reply of replies) {
        expect(seen.get(reply.id)?.body, `reply ${reply.id}`).to.equal(reply.body);
      }
      const expected = [
        ...(ticket.png ? [{ message: first, png: ticket.png }] : []),
        ...replies.flatMap((reply) =>
          reply.png ? [{ message: seen.get(reply.id)!, png: reply.png }] : [],
        ),
      ];
      for (const { message, png } of expected) {
        expect(message.attachments).to.have.length(1);
        const file = await http.get(
          `/api/portal/tickets/${ticket.token}/attachments/${message.attachments[0].id}`,
          { raw: true },
        );
        expect(file.status).to.equal(200);
        expect(sha256(file.body as Buffer)).to.equal(png.sha256);
      }
    }
    await server!.stop();
    server = null;
  });
});
