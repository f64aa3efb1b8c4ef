import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(__dirname, "..");

export interface Child {
  url: string;
  process: ChildProcess;
  /** Resident set size of the child now, in MiB (Linux /proc). */
  rssMiB(): number;
  stop(): Promise<void>;
}

/** Starts a server process and resolves once it prints its listening URL. */
export function startProcess(args: string[], env: Record<string, string>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => reject(new Error(`no listening line within 60 s:\n${out}\n${err}`)),
      60_000,
    );
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        const url = match[1].replace("localhost", "127.0.0.1");
        resolve({
          url,
          process: child,
          rssMiB: () => {
            const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
            const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0");
            return Math.round((kb / 1024) * 10) / 10;
          },
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) {
                return done();
              }
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/** Greydesk's production entry (dist/), as `npm start` runs it. */
export function startGreydesk(env: Record<string, string>): Promise<Child> {
  return startProcess([path.join(root, "dist/server/src/main.js")], {
    NODE_ENV: "development",
    PORT: "0",
    LOG_LEVEL: "warn",
    RATE_LIMIT_PORTAL: "0",
    ...env,
  });
}

export function startBaseline(dbFile: string): Promise<Child> {
  return startProcess([path.join(root, "bench/baseline.cjs")], { BASELINE_DB: dbFile });
}
