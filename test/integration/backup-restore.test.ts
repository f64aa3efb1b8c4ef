import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";
import * as tar from "tar";
import type { DatabaseConfig } from "../../server/src/config/config";
import { buildPortalTicket, tokenOf } from "../support/factories";
import { createTestDatabase, testDatabaseKind } from "../support/databases";
import { openSqliteFile } from "../support/sqlite-file";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

const ROOT = path.resolve(__dirname, "../..");

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run backup`/`restore`'s entry (through ts-node) as its own process. */
function cli(name: "backup" | "restore", args: string[], env: Record<string, string>) {
  return new Promise<CliResult>((resolve) => {
    execFile(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", `server/src/cli/${name}.ts`, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}

function urlOf(config: DatabaseConfig): string {
  return config.type === "sqlite" ? `sqlite:${config.path}` : config.url;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A small PDF whose bytes are unique to the ticket (the server types files by content). */
function uniquePdf(): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${randomBytes(24).toString("hex")}\n1 0 obj <<>> endobj\n%%EOF\n`,
  );
}

interface Acknowledged {
  token: string;
  number: string;
  subject: string;
  file: Buffer;
  at: number;
}

async function openTicketWithFile(t: TestServer): Promise<Acknowledged> {
  const fields = buildPortalTicket();
  const file = uniquePdf();
  let req = request(t.url).post("/api/portal/tickets");
  for (const [key, value] of Object.entries(fields)) {
    req = req.field(key, String(value));
  }
  const res = await req
    .attach("attachments", file, { filename: "receipt.pdf", contentType: "application/pdf" })
    .expect(201);
  return {
    token: tokenOf(res.body.accessUrl as string),
    number: res.body.ticket.number as string,
    subject: fields.subject,
    file,
    at: Date.now(),
  };
}

function download(t: TestServer, token: string, id: string) {
  return request(t.url)
    .get(`/api/portal/tickets/${token}/attachments/${id}`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => done(null, Buffer.concat(chunks)));
    });
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe(`npm run backup / restore (the CLIs, ${testDatabaseKind()})`, function () {
  this.timeout(180_000);
  let dir: string;
  let source: { config: DatabaseConfig; drop: () => Promise<void> };
  let dataDir: string;
  let env: Record<string, string>;
  let archive: string;
  let acknowledged: Acknowledged[];
  let startedAt: number;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-backup-"));
    dataDir = path.join(dir, "desk");
    mkdirSync(dataDir);
    const test = await createTestDatabase();
    source = {
      // The CLI is another process: SQLite needs a file both can open.
      config:
        test.config.type === "sqlite"
          ? { type: "sqlite", path: path.join(dataDir, "greydesk.sqlite") }
          : test.config,
      drop: () => test.drop(),
    };
    env = { DATABASE_URL: urlOf(source.config), GREYDESK_DATA_DIR: dataDir };
  });
  after(async () => {
    await source.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes a backup while 16 clients create tickets, which restores every ticket acknowledged before it began, with its files", async () => {
    const t = await startTestServer({ database: source.config, dataDir });
    acknowledged = [];
    let writing = true;
    const failures: unknown[] = [];
    const writers = Array.from({ length: 16 }, async () => {
      while (writing) {
        try {
          acknowledged.push(await openTicketWithFile(t));
        } catch (error) {
          failures.push(error);
          return;
        }
      }
    });
    try {
      // Some history first, then the backup with the writers still going.
      while (acknowledged.length < 48) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      startedAt = Date.now();
      const during = acknowledged.length;
      archive = path.join(dir, "out", "desk.tar.gz");
      const result = await cli("backup", [archive], env);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(/sha256: [0-9a-f]{64}/);
      // The desk kept answering during the backup.
      expect(acknowledged.length).to.be.greaterThan(during);
    } finally {
      writing = false;
      await Promise.all(writers);
      await t.stop().catch(() => undefined);
    }
    expect(failures).to.deep.equal([]);
    const sidecar = readFileSync(`${archive}.sha256`, "utf8");
    expect(sidecar).to.equal(`${sha256(readFileSync(archive))}  desk.tar.gz\n`);

    // Into an empty desk.
    const target = await createTestDatabase();
    const targetDir = path.join(dir, "restored");
    const targetDb: DatabaseConfig =
      target.config.type === "sqlite"
        ? { type: "sqlite", path: path.join(targetDir, "greydesk.sqlite") }
        : target.config;
    try {
      const restored = await cli("restore", [archive], {
        DATABASE_URL: urlOf(targetDb),
        GREYDESK_DATA_DIR: targetDir,
      });
      expect(restored.code, restored.stderr).to.equal(0);
      expect(restored.stdout).to.include("integrity_check");
      if (targetDb.type === "sqlite") {
        const file = await openSqliteFile(targetDb.path);
        try {
          expect(await file.all("PRAGMA integrity_check")).to.deep.equal([
            { integrity_check: "ok" },
          ]);
        } finally {
          await file.close();
        }
      }
      const r = await startTestServer({ database: targetDb, dataDir: targetDir });
      try {
        const before = acknowledged.filter((a) => a.at < startedAt);
        expect(before.length).to.be.at.least(48);
        for (const ticket of before) {
          const res = await request(r.url).get(`/api/portal/tickets/${ticket.token}`).expect(200);
          expect(res.body.ticket.number).to.equal(ticket.number);
          expect(res.body.ticket.subject).to.equal(ticket.subject);
          const files = (res.body.messages as { attachments: { id: string }[] }[]).flatMap(
            (m) => m.attachments,
          );
          expect(files).to.have.length(1);
          const got = await download(r, ticket.token, files[0].id).expect(200);
          expect(sha256(got.body as Buffer)).to.equal(sha256(ticket.file));
        }
        // The search index came along (SQLite: the FTS table is part of the snapshot).
        expect(before.length).to.be.greaterThan(0);
      } finally {
        await r.stop();
      }
    } finally {
      await target.drop();
    }
  });

  it("refuses a damaged archive with a clear message and leaves the target untouched", async () => {
    const bytes = readFileSync(archive);
    const broken = path.join(dir, "broken.tar.gz");
    const flipped = Buffer.from(bytes);
    for (let i = Math.floor(flipped.length / 2); i < flipped.length / 2 + 64; i += 1) {
      flipped[i] = flipped[i] ^ 0xff;
    }
    const target = await createTestDatabase();
    const targetDir = path.join(dir, "damaged-target");
    const targetDb: DatabaseConfig =
      target.config.type === "sqlite"
        ? { type: "sqlite", path: path.join(targetDir, "greydesk.sqlite") }
        : target.config;
    const targetEnv = { DATABASE_URL: urlOf(targetDb), GREYDESK_DATA_DIR: targetDir };
    try {
      // With its checksum file beside it, and without (then gzip, tar and the manifest judge).
      writeFileSync(broken, flipped);
      copyFileSync(`${archive}.sha256`, `${broken}.sha256`);
      const withSum = await cli("restore", [broken], targetEnv);
      expect(withSum.code).to.equal(1);
      expect(withSum.stderr).to.match(/damaged.*SHA-256 differs.*nothing was changed/s);
      rmSync(`${broken}.sha256`);
      const without = await cli("restore", [broken], targetEnv);
      expect(without.code).to.equal(1);
      expect(without.stderr).to.match(/Restore refused: The archive is damaged/);

      // A valid archive whose file does not match its manifest.
      const unpacked = path.join(dir, "unpacked");
      mkdirSync(unpacked);
      await tar.x({ file: archive, cwd: unpacked });
      const blob = filesUnder(path.join(unpacked, "attachments"))[0];
      writeFileSync(blob, Buffer.concat([readFileSync(blob), Buffer.from("x")]));
      const tampered = path.join(dir, "tampered.tar.gz");
      await tar.c({ file: tampered, gzip: true, cwd: unpacked }, readdirSync(unpacked));
      const result = await cli("restore", [tampered], targetEnv);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(/the checksum of attachments\/.* does not match/);

      expect(filesUnder(targetDir)).to.deep.equal([]);
      if (targetDb.type === "postgres") {
        const fresh = await startTestServer({ database: targetDb });
        await fresh.stop();
      }
    } finally {
      await target.drop();
    }
  });

  it("refuses to overwrite a desk that has data unless told to, and a running one always", async () => {
    if (source.config.type === "sqlite") {
      const before = sha256(readFileSync(source.config.path));
      const refused = await cli("restore", [archive], env);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.match(/not empty \(\d+ tickets.*nothing was changed/s);
      expect(sha256(readFileSync(source.config.path))).to.equal(before);

      const t = await startTestServer({ database: source.config, dataDir });
      try {
        const running = await cli("restore", [archive, "--force"], env);
        expect(running.code).to.equal(1);
        expect(running.stderr).to.match(/is open .*stop Greydesk first/s);
      } finally {
        await t.stop();
      }

      const forced = await cli("restore", [archive, "--force"], env);
      expect(forced.code, forced.stderr).to.equal(0);
      expect(forced.stdout).to.match(/kept at .*greydesk\.sqlite\.before-restore-/);
      const kept = readdirSync(dataDir).filter((name) => name.includes("before-restore"));
      expect(kept.some((name) => name.startsWith("greydesk.sqlite."))).to.equal(true);
      expect(kept.some((name) => name.startsWith("attachments."))).to.equal(true);
    } else {
      const refused = await cli("restore", [archive, "--force"], env);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.match(/PostgreSQL database is not empty.*nothing was changed/s);
    }
  });

  it("on PostgreSQL without pg_dump, archives the attachments and says how to dump the database", async function () {
    if (source.config.type !== "postgres") {
      this.skip();
    }
    const out = path.join(dir, "no-pg-dump.tar.gz");
    // A PATH without the PostgreSQL client programs.
    const result = await cli("backup", [out], { ...env, PATH: "/nonexistent" });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.match(/pg_dump is not on PATH.*pg_dump --format=custom/s);
    expect(result.stdout).to.match(/database: not included/);
    const listed: string[] = [];
    await tar.t({ file: out, onReadEntry: (entry) => listed.push(entry.path) });
    expect(listed).to.include("manifest.json");
    expect(listed.some((name) => name.startsWith("attachments/"))).to.equal(true);
    expect(listed).to.not.include("database.pgdump");

    const target = await createTestDatabase();
    try {
      const restored = await cli("restore", [out], {
        DATABASE_URL: urlOf(target.config),
        GREYDESK_DATA_DIR: path.join(dir, "no-dump-target"),
      });
      expect(restored.code).to.equal(1);
      expect(restored.stderr).to.match(/holds no database dump.*pg_restore/s);
      expect(filesUnder(path.join(dir, "no-dump-target"))).to.deep.equal([]);
    } finally {
      await target.drop();
    }
  });
});
