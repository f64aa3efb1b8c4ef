import { expect } from "chai";
import request from "supertest";
import { guessingTests } from "../support/guessing";
import { startTestServer } from "../support/test-server";

const REDIS_URL = process.env.GREYDESK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

describe("password and link guessing raced from one address (counts in Redis)", () => {
  guessingTests({
    async start(clock) {
      const t = await startTestServer({ trustProxy: 1, redisUrl: REDIS_URL }, { clock });
      // Counted in Redis or not at all: without it these tests would prove nothing.
      const health = await request(t.url).get("/api/health");
      if (health.body.redis !== "ok") {
        await t.stop();
        expect.fail(`Redis at ${REDIS_URL} is not reachable: ${JSON.stringify(health.body)}`);
      }
      return t;
    },
  });
});
