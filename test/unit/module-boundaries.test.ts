import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ESLint } from "eslint";
import type { Linter } from "eslint";

/**
 * The module order and the one publisher are lint rules (eslint.config.mjs, docs/ARCHITECTURE.md):
 * these lint deliberate violations, written in memory at real module paths, with the repository's
 * own configuration, as `npm run lint` would.
 */
describe("module boundaries (lint)", function () {
  // Type-aware lint builds a TypeScript program first.
  this.timeout(120_000);
  const root = path.resolve(__dirname, "../..");
  const eslint = new ESLint({ cwd: root });

  /** The messages for `file` with `lines` put before its own text. */
  async function lintWith(file: string, lines: string[]): Promise<Linter.LintMessage[]> {
    const text = `${lines.join("\n")}\n${readFileSync(path.join(root, file), "utf8")}`;
    const [result] = await eslint.lintText(text, { filePath: path.join(root, file) });
    return result?.messages ?? [];
  }

  const byRule = (messages: Linter.LintMessage[], rule: string) =>
    messages.filter((message) => message.ruleId === rule);

  it("accepts the module as it is", async () => {
    const messages = await lintWith("server/src/modules/catalog/catalog.presenter.ts", []);
    expect(messages).to.deep.equal([]);
  });

  it("fails a module importing a module above it, by value or by type", async () => {
    const messages = await lintWith("server/src/modules/catalog/catalog.presenter.ts", [
      'import { appendEvent } from "../tickets/tickets.repository";',
      'import type { RmaDto } from "../rma/rma.presenter";',
      "export const probe: [typeof appendEvent, RmaDto | null] = [appendEvent, null];",
    ]);
    const found = byRule(messages, "boundaries/dependencies");
    expect(found.map((message) => message.line)).to.deep.equal([1, 2]);
    expect(found[0]?.message).to.contain("catalog").and.contain("module order");
  });

  it("holds every module to the order: none is left out of the layers", async () => {
    // A folder missing from `moduleLayers` would import anything unchecked. Each module but the
    // top one (quality) importing the top one must be refused.
    const modules = readdirSync(path.join(root, "server/src/modules")).filter(
      (name) => name !== "quality",
    );
    const unchecked: string[] = [];
    for (const name of modules) {
      const folder = path.join(root, "server/src/modules", name);
      const files = readdirSync(folder).filter((entry) => entry.endsWith(".ts"));
      const file = files.find((entry) => !entry.endsWith(".entity.ts")) ?? files[0];
      expect(file, `a source file in modules/${name}`).to.be.a("string");
      const messages = await lintWith(`server/src/modules/${name}/${file}`, [
        'import type { DefectRatesService } from "../quality/defect-rates";',
        "export type Probe = DefectRatesService;",
      ]);
      if (byRule(messages, "boundaries/dependencies").length === 0) {
        unchecked.push(name);
      }
    }
    expect(unchecked, "modules the boundary rule does not check").to.deep.equal([]);
  });

  it("fails a module importing one of its own layer (no loop can form)", async () => {
    const messages = await lintWith("server/src/modules/views/views.service.ts", [
      'import type { PortalService } from "../portal/portal.service";',
      "export type Probe = PortalService;",
    ]);
    expect(byRule(messages, "boundaries/dependencies").map((m) => m.line)).to.deep.equal([1]);
  });

  it("lets entity files name each other's entities (TypeORM relations)", async () => {
    const messages = await lintWith("server/src/modules/catalog/device-model.entity.ts", [
      'import type { Ticket } from "../tickets/ticket.entity";',
      "export type Probe = Ticket;",
    ]);
    expect(byRule(messages, "boundaries/dependencies")).to.deep.equal([]);
  });

  it("fails a module importing realtime/ or Socket.io", async () => {
    const messages = await lintWith("server/src/modules/assignment/assignment.service.ts", [
      'import type { Realtime } from "../../realtime/realtime";',
      'import type { Server } from "socket.io";',
      'import type { RedisStreamsAdapterOptions } from "@socket.io/redis-streams-adapter";',
      "export type Probe = [Realtime, Server, RedisStreamsAdapterOptions];",
    ]);
    const found = byRule(messages, "no-restricted-imports");
    expect(found.map((message) => message.line)).to.deep.equal([1, 2, 3]);
    expect(found[0]?.message).to.contain("realtime/");
    expect(found[1]?.message).to.contain("Socket.io");
  });
});
