import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { expect } from "chai";
import request from "supertest";
import { createLogger } from "../../server/src/logging/logger";
import { buildPortalTicket, tokenOf } from "../support/factories";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** A logger writing into memory, and the lines it got (pino's JSON, one object per line). */
function capturedLogger() {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  return {
    logger: createLogger("debug", sink),
    text: () => chunks.join(""),
    lines: (): LogLine[] =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as LogLine),
  };
}

/**
 * A GET with the path sent byte for byte: clients that build a WHATWG URL first would
 * "repair" a malformed escape before it reached the server.
 */
function rawGet(
  base: string,
  rawPath: string,
): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, path: rawPath, method: "GET", headers: { Accept: "*/*" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"] ?? ""),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("attack on the running desk: URLs, logs, headers, build output", () => {
  describe("T44 malformed-url", () => {
    let t: TestServer;
    let log: ReturnType<typeof capturedLogger>;
    let clientDir: string;
    before(async () => {
      log = capturedLogger();
      // A stand-in for the built client, so the page routes exist.
      clientDir = mkdtempSync(path.join(os.tmpdir(), "greydesk-client-"));
      writeFileSync(path.join(clientDir, "index.html"), "<!doctype html><title>Greydesk</title>");
      t = await startTestServer({}, { logger: log.logger, clientDir });
    });
    after(async () => {
      await t.stop();
      rmSync(clientDir, { recursive: true, force: true });
    });

    it("answers malformed percent-encoding with 400 (JSON on the API), never a 500 or a stack in the logs", async () => {
      for (const api of [
        "/api/portal/tickets/%",
        "/api/tickets/%E0%A4%A",
        "/api/portal/tickets/%ZZ/messages",
        "/api/nothing/%",
      ]) {
        const res = await rawGet(t.url, api);
        expect(res.status, api).to.equal(400);
        expect(res.type, api).to.match(/^application\/json/);
        const body = JSON.parse(res.body) as {
          error: { code: string; details: { path: string }[] };
        };
        expect(body.error.code, api).to.equal("validation_failed");
        expect(body.error.details[0].path).to.equal("url");
        expect(res.body).to.not.match(/URIError|at .*\.(ts|js):\d+/);
      }
      for (const page of ["/portal/t/%ZZ", "/portal/t/%", "/assets/%E0%A4%A.js"]) {
        const res = await rawGet(t.url, page);
        expect(res.status, page).to.equal(400);
        expect(res.body).to.not.match(/URIError|at .*\.(ts|js):\d+/);
      }
      // Well-formed addresses still work around them.
      await request(t.url).get("/portal/t/abc").expect(200);
      await request(t.url).get("/api/health").expect(200);

      const lines = log.lines();
      expect(lines.filter((line) => line.level >= 50)).to.deep.equal([]);
      expect(log.text()).to.not.include("stack");
      expect(log.text()).to.not.include("URIError");
      const answered = lines.filter((line) => line.msg === "request" && line.status === 400);
      expect(answered).to.have.length(7);
    });
  });

  describe("T46 production-build-leaks", () => {
    it("keeps link tokens out of the logs whatever the case of the path, and on the page route", async () => {
      const log = capturedLogger();
      const t = await startTestServer({}, { logger: log.logger });
      try {
        const created = await request(t.url)
          .post("/api/portal/tickets")
          .send(buildPortalTicket())
          .expect(201);
        const token = tokenOf(created.body.accessUrl as string);
        // Express matches paths case-insensitively, so these are served, and must be hidden.
        await request(t.url).get(`/api/PORTAL/TICKETS/${token}`).expect(200);
        await request(t.url).get(`/api/Portal/Tickets/${token}`).expect(200);
        await request(t.url)
          .post(`/API/portal/TICKETS/${token}/messages`)
          .send({ body: "hello" })
          .expect(201);
        // The page (no client built here: a 404, but logged all the same) and an escaped form.
        await request(t.url).get(`/portal/t/${token}`);
        await request(t.url).get(`/PORTAL/T/${token}`);
        const escaped = [...token].map((c) => `%${c.charCodeAt(0).toString(16)}`).join("");
        await request(t.url).get(`/api/portal/tickets/${escaped}`).expect(200);
        const text = log.text();
        expect(text).to.not.include(token);
        expect(text).to.not.include(escaped);
        expect(text).to.not.include(token.slice(0, 20));
        const urls = log
          .lines()
          .filter((line) => line.msg === "request")
          .map((line) => String(line.url));
        expect(urls).to.include.members([
          "/api/PORTAL/TICKETS/[token]",
          "/API/portal/TICKETS/[token]/messages",
          "/portal/t/[token]",
          "/PORTAL/T/[token]",
        ]);
        // Other paths keep their words (a ticket's own id is not a secret, but is not a token).
        await request(t.url).get("/api/tickets/counts").expect(401);
        expect(
          log
            .lines()
            .filter((line) => line.msg === "request")
            .map((line) => line.url),
        ).to.include("/api/tickets/counts");
      } finally {
        await t.stop();
      }
    });

    it("allows fonts only from the site itself (CSP font-src 'self')", async () => {
      const t = await startTestServer();
      try {
        const res = await request(t.url).get("/api/health").expect(200);
        const csp = String(res.headers["content-security-policy"]);
        const fontSrc = csp
          .split(";")
          .map((part) => part.trim())
          .find((part) => part.startsWith("font-src"));
        expect(fontSrc).to.equal("font-src 'self'");
      } finally {
        await t.stop();
      }
    });

    it("never serves a source map, even one left in the client folder", async () => {
      const clientDir = mkdtempSync(path.join(os.tmpdir(), "greydesk-client-"));
      mkdirSync(path.join(clientDir, "assets"));
      writeFileSync(path.join(clientDir, "index.html"), "<!doctype html><title>Greydesk</title>");
      writeFileSync(path.join(clientDir, "assets", "index-abc.js"), "console.log(1);\n");
      writeFileSync(
        path.join(clientDir, "assets", "index-abc.js.map"),
        JSON.stringify({ version: 3, sources: ["main.tsx"], sourcesContent: ["secret"] }),
      );
      const t = await startTestServer({}, { clientDir });
      try {
        await request(t.url).get("/assets/index-abc.js").expect(200);
        const map = await request(t.url).get("/assets/index-abc.js.map").expect(404);
        expect(JSON.stringify(map.body)).to.not.include("sourcesContent");
      } finally {
        await t.stop();
        rmSync(clientDir, { recursive: true, force: true });
      }
    });
  });
});
