import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { testDatabaseKind } from "../support/databases";
import { openPortalTicket } from "../support/tickets";
import { startTestServer } from "../support/test-server";

describe(`scheduled backups: BACKUP_DIR, BACKUP_EVERY, BACKUP_KEEP (${testDatabaseKind()})`, function () {
  this.timeout(60_000);

  it("writes a backup every period and keeps the newest BACKUP_KEEP, leaving other files alone", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-schedule-"));
    const backups = path.join(dir, "backups");
    const dataDir = path.join(dir, "desk");
    const database =
      testDatabaseKind() === "sqlite"
        ? { type: "sqlite" as const, path: path.join(dataDir, "greydesk.sqlite") }
        : undefined;
    const t = await startTestServer({
      ...(database === undefined ? {} : { database }),
      dataDir,
      backup: { dir: backups, everyMs: 1000, keep: 2 },
    });
    let stopped = false;
    try {
      await openPortalTicket(t);
      // The operator's own file in the same folder.
      mkdirSync(backups, { recursive: true });
      const mine = path.join(backups, "notes.txt");
      writeFileSync(mine, "keep me");
      const listed = () => readdirSync(backups, { withFileTypes: true }).map((e) => e.name);
      const deadline = Date.now() + 30_000;
      // Names carry the second: three runs a second apart leave three distinct archives, of which
      // the oldest must go.
      let seen = new Set<string>();
      while (Date.now() < deadline && seen.size < 3) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        try {
          listed()
            .filter((name) => name.endsWith(".tar.gz"))
            .forEach((name) => seen.add(name));
        } catch {
          seen = new Set();
        }
      }
      expect(seen.size).to.be.at.least(3);
      // Stopping waits for a run in flight: what is left is complete.
      await t.stop();
      stopped = true;
      const archives = listed()
        .filter((name) => name.endsWith(".tar.gz"))
        .sort();
      expect(archives).to.have.length(2);
      expect(
        archives.every((name) => /^greydesk-backup-\d{8}T\d{6}Z\.tar\.gz$/.test(name)),
      ).to.equal(true);
      expect([...seen].sort()[0]).to.not.be.oneOf(archives);
      for (const name of archives) {
        const sum = readFileSync(path.join(backups, `${name}.sha256`), "utf8").split(" ")[0];
        const bytes = readFileSync(path.join(backups, name));
        expect(createHash("sha256").update(bytes).digest("hex")).to.equal(sum);
      }
      expect(readFileSync(mine, "utf8")).to.equal("keep me");
    } finally {
      if (!stopped) {
        await t.stop();
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
