import { expect } from "chai";
import type { Socket } from "node:net";
import request from "supertest";
import { startTestServer } from "../support/test-server";

const REDIS_URL = process.env.GREYDESK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const redisPort = Number(new URL(REDIS_URL).port || 6379);

/** This process's open TCP connections to Redis. */
function redisSockets(): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter(
    (handle) =>
      handle !== null &&
      typeof handle === "object" &&
      (handle as Socket).remotePort === redisPort &&
      !(handle as Socket).destroyed,
  ).length;
}

describe("a server's Redis connections", () => {
  it("are all closed once the server stops (its own and the Socket.io adapter's)", async () => {
    const before = redisSockets();
    const t = await startTestServer({ redisUrl: REDIS_URL });
    const health = await request(t.url).get("/api/health").expect(200);
    expect(health.body.redis).to.equal("ok");
    expect(redisSockets()).to.be.at.least(before + 2);
    await t.stop();
    // The adapter's stream reader lets go once its blocking read returns (at most 5 s).
    const until = Date.now() + 10_000;
    while (redisSockets() > before && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(redisSockets()).to.equal(before);
  });
});
