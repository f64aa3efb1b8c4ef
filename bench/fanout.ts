import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../shared/contracts/realtime";
import { portalBody, signIn } from "./client";
import { startGreydesk } from "./processes";
import { percentile, round } from "./stats";

export interface FanoutResult {
  sockets: number;
  tickets: number;
  /** From sending the portal request to each socket's receipt of ticket:created, in ms. */
  receipt: { p50: number; p99: number };
  /** From sending the request to the last socket's receipt, per ticket. */
  lastReceipt: { p50: number; p99: number };
  /** The create request alone (its response), for reading the fan-out part. */
  createResponse: { p50: number };
  rssIdleMiB: number;
  rssSocketsMiB: number;
}

type AgentSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One new ticket to `count` connected agent sockets (websocket, one session shared, as many
 * tabs would). The server runs in its own process; RSS is read from /proc.
 */
export async function benchFanout(count: number, tickets: number): Promise<FanoutResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-bench-fanout-"));
  const server = await startGreydesk({
    DATABASE_URL: `sqlite:${path.join(dir, "greydesk.sqlite")}`,
    GREYDESK_DATA_DIR: dir,
    GREYDESK_ADMIN_EMAIL: "bench@example.com",
    GREYDESK_ADMIN_PASSWORD: "bench-password-long-enough",
  });
  const sockets: AgentSocket[] = [];
  try {
    const agent = await signIn(server.url, "bench@example.com", "bench-password-long-enough");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssIdleMiB = server.rssMiB();
    for (let i = 0; i < count; i += 100) {
      const batch = Array.from({ length: Math.min(100, count - i) }, () => {
        const socket: AgentSocket = io(server.url, {
          transports: ["websocket"],
          reconnection: false,
          forceNew: true,
          extraHeaders: { Cookie: agent.cookie, Origin: server.url },
        });
        sockets.push(socket);
        return new Promise<void>((resolve, reject) => {
          socket.once("connect", () => resolve());
          socket.once("connect_error", reject);
        });
      });
      await Promise.all(batch);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssSocketsMiB = server.rssMiB();

    const receipts: number[] = [];
    const lasts: number[] = [];
    const responses: number[] = [];
    for (let n = 0; n < tickets; n++) {
      const started = performance.now();
      let pending = sockets.length;
      const all = new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.once("ticket:created", () => {
            const at = performance.now() - started;
            receipts.push(at);
            pending -= 1;
            if (pending === 0) {
              lasts.push(at);
              resolve();
            }
          });
        }
      });
      const res = await fetch(`${server.url}/api/portal/tickets`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: portalBody(),
      });
      responses.push(performance.now() - started);
      if (res.status !== 201) {
        throw new Error(`create failed: ${res.status}`);
      }
      await all;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
      sockets: count,
      tickets,
      receipt: { p50: round(percentile(receipts, 50)), p99: round(percentile(receipts, 99)) },
      lastReceipt: { p50: round(percentile(lasts, 50)), p99: round(percentile(lasts, 99)) },
      createResponse: { p50: round(percentile(responses, 50)) },
      rssIdleMiB,
      rssSocketsMiB,
    };
  } finally {
    for (const socket of sockets) {
      socket.disconnect();
    }
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
