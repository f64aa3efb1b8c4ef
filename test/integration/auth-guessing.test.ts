import { guessingTests } from "../support/guessing";
import { startTestServer } from "../support/test-server";

describe("password and link guessing raced from one address (counts in memory)", () => {
  guessingTests({ start: (clock) => startTestServer({ trustProxy: 1 }, { clock }) });
});
