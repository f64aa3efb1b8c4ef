import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createConnection } from "node:net";
import { freePort, sleep } from "./ports";

/**
 * A private redis-server for tests that stop Redis (the machine's shared one on 6379 is never
 * touched): a child process on a spare loopback port, no persistence, that a test can kill and
 * start again on the same port.
 */
export interface RedisInstance {
  port: number;
  url: string;
  /** Whether the server process is running now. */
  readonly running: boolean;
  /** Starts the server (again) on the same port and resolves once it answers PING. */
  start(): Promise<void>;
  /** Kills the server (SIGKILL unless `signal` says otherwise) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** What the server printed, for failure messages. */
  output(): string;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let answer = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes("\r\n")) {
        done(answer.startsWith("+PONG"));
      }
    });
  });
}

export async function startRedisInstance(): Promise<RedisInstance> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let out = "";

  const instance: RedisInstance = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null;
    },
    output: () => out,
    async start() {
      if (child !== null) {
        return;
      }
      const proc = spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          "no",
          "--daemonize",
          "no",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child = proc;
      proc.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
      proc.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
      exited = new Promise<void>((resolve) =>
        proc.once("exit", () => {
          if (child === proc) {
            child = null;
          }
          resolve();
        }),
      );
      const started = Date.now();
      while (!(await ping(port))) {
        if (child !== proc || Date.now() - started > 15_000) {
          proc.kill("SIGKILL");
          await exited;
          throw new Error(`redis-server did not start on ${port}:\n${out}`);
        }
        await sleep(50);
      }
    },
    async stop(signal: NodeJS.Signals = "SIGKILL") {
      const proc = child;
      if (proc === null) {
        return;
      }
      proc.kill(signal);
      await exited;
    },
  };
  await instance.start();
  return instance;
}
