import "reflect-metadata";
import { testResponseCheck } from "../../server/src/http/api-router";

/**
 * Root hooks. Tests never reach the outside world: only loopback connections are expected.
 * Anything a test forgets to close shows up as mocha not exiting (there is no --exit), which is
 * a bug to fix.
 *
 * Servers built in test mode check every successful answer against its route's declared
 * response schema (server/src/http/api-router.ts); an answer that does not match fails the test
 * that caused it, here, even when the test itself did not look at that field.
 */
export const mochaHooks = {
  afterEach(this: Mocha.Context): void {
    const mismatches = testResponseCheck.mismatches.splice(0);
    if (mismatches.length > 0) {
      const lines = mismatches.map((m) => `  ${m.route}: ${m.issues}`).join("\n");
      (this.test as Mocha.Hook | undefined)?.error(
        new Error(`Answers that do not match their declared schema:\n${lines}`),
      );
    }
  },
};
