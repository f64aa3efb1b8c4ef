import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import request from "supertest";

const root = path.resolve(__dirname, "../..");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real entry point (through ts-node) with `env`; `untilListening` stops it once up. */
function runMain(
  env: Record<string, string>,
  onListening?: (url: string) => Promise<void>,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "server/src/main.ts"],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    let handled = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match && !handled) {
        handled = true;
        // Let the rest of the start-up output arrive.
        setTimeout(() => {
          (onListening ? onListening(match[1]) : Promise.resolve()).then(
            () => child.kill("SIGTERM"),
            (error: unknown) => {
              child.kill("SIGKILL");
              reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        }, 200);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("start-up (the real process)", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-start-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to start on bad configuration, naming every problem", async () => {
    const run = await runMain({
      PORT: "http",
      DATABASE_URL: "mysql://nope",
      RATE_LIMIT_PORTAL: "-5",
    });
    expect(run.code).to.equal(78);
    expect(run.stderr).to.include("PORT");
    expect(run.stderr).to.include("DATABASE_URL");
    expect(run.stderr).to.include("RATE_LIMIT_PORTAL");
    expect(run.stderr).to.not.match(/at .*\.ts:\d+/);
  });

  it("creates admin@localhost with a random password on first start, printed once", async () => {
    const env = {
      PORT: "0",
      DATABASE_URL: `sqlite:${path.join(dir, "desk.sqlite")}`,
      GREYDESK_DATA_DIR: dir,
    };
    const first = await runMain(env, async (url) => {
      await request(url).get("/api/health").expect(200);
    });
    expect(first.code).to.equal(0);
    expect(first.stdout).to.include("admin@localhost");
    const password = /with the password\s+(\S+)/.exec(first.stdout)?.[1];
    expect(password).to.be.a("string").with.length.greaterThan(16);

    const second = await runMain(env);
    expect(second.code).to.equal(0);
    expect(second.stdout).to.not.include("password");
  });

  it("creates the configured admin and prints no password", async () => {
    const run = await runMain({
      PORT: "0",
      DATABASE_URL: `sqlite:${path.join(dir, "desk.sqlite")}`,
      GREYDESK_DATA_DIR: dir,
      GREYDESK_ADMIN_EMAIL: "boss@example.com",
      GREYDESK_ADMIN_PASSWORD: "a long and secret passphrase",
    });
    expect(run.code).to.equal(0);
    expect(run.stdout).to.not.include("passphrase");
    expect(run.stdout).to.not.include("with the password");
  });
});
