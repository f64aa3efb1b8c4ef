import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { portalBody } from "./client";
import { startBaseline, startGreydesk } from "./processes";
import { round } from "./stats";

export interface CreateResult {
  connections: number;
  seconds: number;
  greydesk: { rps: number; p50: number; p99: number; errors: number; non2xx: number };
  baseline: { rps: number; p50: number; p99: number; errors: number; non2xx: number };
  ratio: number;
}

function load(url: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: portalBody() }) }],
  });
}

const summary = (r: autocannon.Result) => ({
  rps: round(r.requests.average),
  p50: r.latency.p50,
  p99: r.latency.p99,
  errors: r.errors,
  non2xx: r.non2xx,
});

/**
 * Ticket creation through the whole portal API (validation, customer and handset upsert, ticket,
 * first event, outbox, broadcast), against the same run's bare baseline: Express and one
 * INSERT through the same sqlite3 driver with the same durability. Both on files in a temp dir.
 */
export async function benchCreate(seconds: number, connections = 50): Promise<CreateResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-bench-create-"));
  try {
    const baseline = await startBaseline(path.join(dir, "baseline.sqlite"));
    let base: autocannon.Result;
    try {
      await load(`${baseline.url}/baseline`, 2, connections);
      base = await load(`${baseline.url}/baseline`, seconds, connections);
    } finally {
      await baseline.stop();
    }
    const server = await startGreydesk({
      DATABASE_URL: `sqlite:${path.join(dir, "greydesk.sqlite")}`,
      GREYDESK_DATA_DIR: dir,
      GREYDESK_ADMIN_EMAIL: "bench@example.com",
      GREYDESK_ADMIN_PASSWORD: "bench-password-long-enough",
    });
    let desk: autocannon.Result;
    try {
      await load(`${server.url}/api/portal/tickets`, 2, connections);
      desk = await load(`${server.url}/api/portal/tickets`, seconds, connections);
    } finally {
      await server.stop();
    }
    return {
      connections,
      seconds,
      greydesk: summary(desk),
      baseline: summary(base),
      ratio: round(desk.requests.average / base.requests.average, 3),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
