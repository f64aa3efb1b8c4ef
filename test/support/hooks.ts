import "reflect-metadata";
import { testResponseCheck } from "../../server/src/http/api-router";
import { ROUTES_NOT_CALLED } from "./route-coverage";

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
  /**
   * With GREYDESK_ROUTE_COVERAGE=1 (`npm run test:mocha`, `npm run test:pg`: the whole suite),
   * every declared route must have had a successful answer checked, or be listed in
   * test/support/route-coverage.ts; a listed route that the suite now calls must leave the list.
   */
  afterAll(): void {
    if (process.env.GREYDESK_ROUTE_COVERAGE !== "1") {
      return;
    }
    const { declared, checked } = testResponseCheck;
    const listed = new Set<string>(ROUTES_NOT_CALLED);
    const uncalled = [...declared].filter((key) => !checked.has(key) && !listed.has(key));
    const stale = [...listed].filter((key) => checked.has(key) || !declared.has(key));
    if (uncalled.length > 0 || stale.length > 0) {
      throw new Error(
        [
          ...uncalled.map((key) => `never answered successfully in the suite: ${key}`),
          ...stale.map((key) => `listed as not called, but called or gone: ${key}`),
        ].join("\n"),
      );
    }
  },
};
