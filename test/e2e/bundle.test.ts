import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { CLIENT_DIR } from "./helpers";

/**
 * The browser bundle (built by `npm run test:e2e`) takes only types from shared/contracts, so
 * none of zod's code reaches it (the lint rule for client/ says the same of the source).
 */
describe("the built client bundle", () => {
  it("carries no zod", () => {
    const assets = path.join(CLIENT_DIR, "assets");
    const scripts = readdirSync(assets).filter((name) => name.endsWith(".js"));
    expect(scripts).to.not.be.empty;
    for (const name of scripts) {
      const code = readFileSync(path.join(assets, name), "utf8");
      // Names zod's classes and errors carry into any build, minified or not.
      for (const marker of ["ZodError", "$ZodType", "_zod", "invalid_type"]) {
        expect(code.includes(marker), `${name} contains ${marker}`).to.equal(false);
      }
    }
  });
});
