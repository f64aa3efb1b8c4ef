import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { signIn } from "./client";
import { generateTickets } from "./generate";
import { startGreydesk } from "./processes";
import { percentile, round, timeEach } from "./stats";

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  samples: number;
}

export interface QueueResult {
  tickets: number;
  generateSeconds: number;
  /** The second start, on the loaded file: until the server listens and its health answers. */
  startSeconds: number;
  queue: Latency;
  searchImei: Latency;
  searchWord: Latency;
}

const latency = (times: number[]): Latency => ({
  p50: round(percentile(times, 50), 2),
  p95: round(percentile(times, 95), 2),
  p99: round(percentile(times, 99), 2),
  samples: times.length,
});

/**
 * Waits until the server answers `GET /api/health` with 200 (its database answers). It has no
 * way to say that start-up work is over; what it does at start with generated data is the SLA
 * backfill, which finds every clock present (generateTickets checks that) and stops at once.
 */
async function waitHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${url}/api/health`).catch(() => null);
    if (res?.status === 200) {
      await res.arrayBuffer();
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${url}/api/health: ${res?.status ?? "no answer"} after 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const ADMIN = { email: "bench@example.com", password: "bench-password-long-enough" };

/**
 * The agent queue (50 rows, a status filter, newest update first) and the two searches, one
 * client, request after request, at `count` tickets. The data is loaded before the timed part.
 */
export async function benchQueue(count: number, samples: number): Promise<QueueResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-bench-queue-"));
  const env = {
    DATABASE_URL: `sqlite:${path.join(dir, "greydesk.sqlite")}`,
    GREYDESK_DATA_DIR: dir,
    GREYDESK_ADMIN_EMAIL: ADMIN.email,
    GREYDESK_ADMIN_PASSWORD: ADMIN.password,
  };
  try {
    // First start: migrations and the admin. Then load, then start again to measure.
    await (await startGreydesk(env)).stop();
    const generated = await generateTickets(path.join(dir, "greydesk.sqlite"), count);
    if (generated.withoutClocks !== 0) {
      // The server would compute them in the background at start, during the timed requests.
      throw new Error(`${generated.withoutClocks} generated tickets have no SLA clocks`);
    }
    const starting = Date.now();
    const server = await startGreydesk(env);
    try {
      await waitHealthy(server.url);
      const startSeconds = (Date.now() - starting) / 1000;
      const agent = await signIn(server.url, ADMIN.email, ADMIN.password);
      const expectOk = async (res: Response) => {
        if (res.status !== 200) {
          throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
        }
        await res.arrayBuffer();
      };
      const statuses = ["open", "new", "pending_customer", "resolved"];
      // Warm-up: the first requests pay for cold pages and JIT, as a restarted desk would once.
      await timeEach(20, async (i) =>
        expectOk(await agent.get(`/api/tickets?status=${statuses[i % 4]}&limit=50`)),
      );
      const queue = await timeEach(samples, async (i) =>
        expectOk(
          await agent.get(`/api/tickets?status=${statuses[i % 4]}&limit=50&sort=updated_desc`),
        ),
      );
      const searchImei = await timeEach(Math.max(20, samples / 5), async () =>
        expectOk(await agent.get(`/api/tickets?q=${generated.sampleImei}&limit=50`)),
      );
      const searchWord = await timeEach(Math.max(10, samples / 20), async () =>
        expectOk(await agent.get(`/api/tickets?q=${generated.sampleWord}&limit=50`)),
      );
      return {
        tickets: count,
        generateSeconds: round(generated.seconds),
        startSeconds: round(startSeconds, 2),
        queue: latency(queue),
        searchImei: latency(searchImei),
        searchWord: latency(searchWord),
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
