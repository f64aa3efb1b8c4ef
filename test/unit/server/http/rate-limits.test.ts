import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { expect } from "chai";
import express from "express";
import type { ErrorRequestHandler } from "express";
import request from "supertest";
import { AppError } from "../../../../server/src/errors/app-error";
import { perIpFailureLimit } from "../../../../server/src/http/rate-limits";

const LIMIT = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The failure limit in front of handlers that take a while (as a lookup on a loaded server does),
 * with the most requests seen running at once.
 */
async function limitedServer() {
  const app = express();
  let running = 0;
  let mostAtOnce = 0;
  app.use(
    perIpFailureLimit({
      name: "test",
      windowMs: 60_000,
      limit: LIMIT,
      status: 404,
      message: "Too many wrong links",
    }),
  );
  app.get("/link/:kind", async (req, res) => {
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await sleep(25);
    running -= 1;
    res.status(req.params.kind === "good" ? 200 : 404).json({});
  });
  const refuse: ErrorRequestHandler = (error, _req, res, _next) => {
    const limited = error instanceof AppError && error.code === "rate_limited";
    res.status(limited ? 429 : 500).json({ error: String(error) });
  };
  app.use(refuse);
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server, mostAtOnce: () => mostAtOnce };
}

function statuses(url: string, paths: string[]): Promise<number[]> {
  return Promise.all(paths.map(async (path) => (await request(url).get(path)).status));
}

describe("perIpFailureLimit (wrong link tokens, docs/SECURITY.md T35)", () => {
  let t: Awaited<ReturnType<typeof limitedServer>>;
  beforeEach(async () => {
    t = await limitedServer();
  });
  afterEach(async () => {
    t.server.closeAllConnections();
    await new Promise((resolve) => t.server.close(resolve));
  });

  it("answers every good request of a burst from one address, running at most the limit at once", async () => {
    const answers = await statuses(t.url, Array<string>(40).fill("/link/good"));
    expect(answers).to.deep.equal(Array<number>(40).fill(200));
    expect(t.mostAtOnce()).to.be.at.most(LIMIT);
  });

  it("looks up only `limit` of a burst of wrong ones and refuses the rest", async () => {
    const answers = await statuses(t.url, Array<string>(40).fill("/link/wrong"));
    expect(answers.filter((status) => status === 404)).to.have.length(LIMIT);
    expect(answers.filter((status) => status === 429)).to.have.length(40 - LIMIT);
    // The address stays refused, a good request too, until the window ends.
    expect((await request(t.url).get("/link/good")).status).to.equal(429);
  });

  it("gives good requests' slots back: failures alone use up the allowance", async () => {
    await statuses(t.url, Array<string>(20).fill("/link/good"));
    const wrong = await statuses(t.url, Array<string>(LIMIT).fill("/link/wrong"));
    expect(wrong).to.deep.equal(Array<number>(LIMIT).fill(404));
    expect((await request(t.url).get("/link/wrong")).status).to.equal(429);
  });
});
