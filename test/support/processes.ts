import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash) and wait for the exit. */
  kill(): Promise<void>;
}

/**
 * Runs the real entry point (server/src/main.ts through ts-node) as its own process with `env`,
 * and resolves once it listens. For tests that need several processes or kill one.
 */
export function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "server/src/main.ts"],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? "",
          LOG_LEVEL: "warn",
          PORT: "0",
          RATE_LIMIT_PORTAL: "0",
          RATE_LIMIT_PORTAL_REPLIES: "0",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let listening = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match && !listening) {
        listening = true;
        clearTimeout(timer);
        resolve({
          url: match[1].replace("localhost", "127.0.0.1"),
          child,
          output: () => out,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill("SIGTERM");
            }
            await exited;
          },
          kill: async () => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill("SIGKILL");
            }
            await exited;
          },
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (!listening) {
        reject(new Error(`server exited (${code}) before listening:\n${out}`));
      }
    });
  });
}
